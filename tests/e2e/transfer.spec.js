#!/usr/bin/env node
// End-to-end test of the "Transfer learning" panel's demos in headless
// Chromium, driven like a user through the rectangles the app reports in
// Module.bricklab_state() (server, browser and clicks: harness.js):
//
//   node tests/e2e/transfer.spec.js [--root build-wasm/web] [--timeout-min 4] [--no-isolation]
//                                   [--features]   (also demo (b), below; scripts/test.sh does)
//
// 1. opens the page with the panel open (?transfer) on MNIST and LeNet;
// 2. clicks "Run fine-tuning" (default N = 200 Fashion-MNIST images, 3
//    epochs): the page loads Fashion-MNIST, pretrains LeNet on 5000 MNIST
//    digits, then fine-tunes it and trains it from scratch side by side;
// 3. both curves have one point per epoch plus the start, are labelled with
//    the test images they are measured on, and the
//    fine-tuned net ends ahead of the one from scratch;
// 4. the page kept drawing frames while it worked (>= 1 a second on a busy
//    machine, SwiftShader); no console or page errors;
// 5. (--features) demo (b): two classes typed in, three sample images
//    uploaded to each, a text file refused with a message, then ResNet50
//    features + dense and a CNN from scratch both give complete curves.
// Screenshots: test-artifacts/transfer.png, transfer-features.png.
'use strict';
const fs = require('fs');
const path = require('path');
const h = require('./harness');
const { log, check, state, click, screenshot } = h;

const { webRoot, timeoutMs, isolated } = h.commonOptions({ timeoutMin: 4 });
const query = 'model=lenet&slice=120&transfer';

// On a time-out, the message shows the panel's state.
const waitFor = (page, what, predicate, { timeout } = {}) =>
  h.waitFor(page, what, predicate, {
    timeout: timeout || timeoutMs, every: 300,
    detail: (s) => (s ? `; transfer: ${JSON.stringify(s.transfer).slice(0, 600)}` : ''),
  });

// Demo (b) through the UI (--features): two classes of the sample
// textures' images, a file that is no image (a message, nothing added), then
// ResNet50 features + dense vs a CNN from scratch.
async function typeInto(page, label, text) {
  const [x, y, w, height] = (await h.scrollIntoView(page, label)).widgets[label];
  await page.mouse.click(x + w / 2, y + height / 2);
  await page.waitForTimeout(200);
  await page.keyboard.type(text, { delay: 50 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
}

async function upload(page, label, file) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, label)]);
  await chooser.setFiles(file);
}

async function featuresDemo(page) {
  const images = path.join(h.repo, 'assets/images');
  const classes = { brick: ['brick.png', 'gravel.png', 'grass.png'], photo: ['chelsea.png', 'coffee.png', 'astronaut.png'] };
  for (const [name, files] of Object.entries(classes)) {
    await typeInto(page, 'class name', name);
    await click(page, 'Add class');
    await waitFor(page, `class ${name}`, (s) => s.transfer.classes.some((c) => c.name === name), { timeout: 10000 });
    for (const f of files) {
      const before = (await state(page)).transfer.classes.find((c) => c.name === name).images;
      await upload(page, `Add images ${name}`, path.join(images, f));
      await waitFor(page, `${f} in ${name}`, (s) => s.transfer.classes.find((c) => c.name === name).images > before, { timeout: 20000 });
    }
  }
  const notImage = h.artifactPath('not-an-image.png');
  fs.writeFileSync(notImage, 'hello, I am text');
  await upload(page, 'Add images photo', notImage);
  const refused = await waitFor(page, 'the refusal', (s) => s.transfer.features.message !== '', { timeout: 20000 });
  check(/the picked file/.test(refused.transfer.features.message) &&
        refused.transfer.classes.find((c) => c.name === 'photo').images === 3,
        `a file that is no image is refused: "${refused.transfer.features.message}"`);
  await click(page, 'Run features');
  const done = await waitFor(page, 'demo (b) to finish', (s) => ['done', 'failed'].includes(s.transfer.features.phase));
  const f = done.transfer.features;
  check(f.phase === 'done', `demo (b) finished (${f.phase}; ${f.error})`);
  for (const c of f.curves) log(`  ${c.label}: ${c.accuracy.map((v) => v.toFixed(2)).join(' ')}`);
  check(f.curves.every((c) => c.accuracy.length === f.epochs + 1), 'demo (b): both curves complete');
  await screenshot(page, 'transfer-features.png');
}

async function main() {
  h.requireFiles(webRoot, ['bricklab.js'], 'build the web app first');
  await h.withBrowser(webRoot, { isolated }, async ({ url, browser, problems }) => {
    const page = await h.newPage(browser);
    h.collectProblems(page, problems, { httpErrors: 'problem' });
    log(`opening ${url}?${query}`);
    await page.goto(`${url}?${query}`);
    const loaded = await waitFor(page, 'the data', (s) => s.data.state !== 'loading', { timeout: 120000 });
    check(loaded.data.state === 'ready', `MNIST loaded (${loaded.data.error})`);
    const opened = await waitFor(page, 'the panel', (s) => s.transfer && s.widgets['Run fine-tuning'], { timeout: 30000 });
    check(opened.transfer.finetune.phase === 'idle', 'the transfer panel is open and idle');

    await click(page, 'Run fine-tuning');
    let lastStatus = '';
    const frames0 = (await state(page)).frames;
    const t0 = Date.now();
    const done = await waitFor(page, 'demo (a) to finish', (s) => {
      const f = s.transfer.finetune;
      if (f.status !== lastStatus && !/loss/.test(f.status)) log(`  ${f.phase}: ${(lastStatus = f.status)}`);
      return f.phase === 'done' || f.phase === 'failed' || f.message !== '';
    });
    const f = done.transfer.finetune;
    check(f.phase === 'done', `demo (a) finished (${f.phase}; ${f.error}${f.message})`);
    const seconds = (Date.now() - t0) / 1000;
    const fps = (done.frames - frames0) / seconds;
    log(`demo (a) took ${seconds.toFixed(1)} s at ${fps.toFixed(1)} frames/s (${done.mode})`);
    check(fps >= 1, `the page kept drawing while it worked (${fps.toFixed(1)} frames/s >= 1)`);
    const [tuned, scratch] = f.curves;
    check(tuned.accuracy.length === f.epochs + 1 && scratch.accuracy.length === f.epochs + 1,
          `one point per epoch plus the start for both: ${tuned.accuracy.length}, ${scratch.accuracy.length}`);
    // The plot says what the accuracy is measured on.
    check(f.measured_on === '1000 Fashion-MNIST test images', `the accuracies are labelled: "${f.measured_on}"`);
    const a = tuned.accuracy[f.epochs], b = scratch.accuracy[f.epochs];
    log(`  ${tuned.label}: ${tuned.accuracy.map((v) => v.toFixed(3)).join(' ')}`);
    log(`  ${scratch.label}: ${scratch.accuracy.map((v) => v.toFixed(3)).join(' ')}`);
    check(a > b, `fine-tuned ${a.toFixed(3)} > from scratch ${b.toFixed(3)} after ${f.epochs} epochs`);
    await page.waitForTimeout(500);
    await screenshot(page, 'transfer.png');

    if (h.hasFlag('--features')) await featuresDemo(page);
  });
  h.logPassed();
}

h.runMain(main);
