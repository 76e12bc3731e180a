#!/usr/bin/env node
// End-to-end test of the "Transfer learning" panel's demos in headless
// Chromium, driven like a user through the rectangles the app reports in
// Module.bricklab_state() (the launcher of inside.spec.js):
//
//   node tests/e2e/transfer.spec.js [--root build-wasm/web] [--timeout-min 4] [--no-isolation]
//                                   [--features]   (also demo (b), below; scripts/test.sh does)
//
// 1. opens the page with the panel open (?transfer) on MNIST and LeNet;
// 2. clicks "Run fine-tuning" (default N = 200 Fashion-MNIST images, 3
//    epochs): the page loads Fashion-MNIST, pretrains LeNet on 5000 MNIST
//    digits, then fine-tunes it and trains it from scratch side by side;
// 3. both curves have one point per epoch plus the start, and the
//    fine-tuned net ends ahead of the one from scratch;
// 4. the page kept drawing frames while it worked (>= 1 a second on a busy
//    machine, SwiftShader); no console or page errors;
// 5. (--features) demo (b): two classes typed in, three sample images
//    uploaded to each, a text file refused with a message, then ResNet50
//    features + dense and a CNN from scratch both give complete curves.
// Screenshots: test-artifacts/transfer.png, transfer-features.png.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const repo = path.resolve(__dirname, '../..');
const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const webRoot = path.resolve(repo, argValue('--root', 'build-wasm/web'));
const timeoutMs = Number(argValue('--timeout-min', '4')) * 60000;
const artifacts = path.join(repo, 'test-artifacts');
const query = 'model=lenet&slice=120&transfer';
const started = Date.now();

const log = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`, ...args);
class TestFailure extends Error {}
const check = (ok, message) => {
  if (!ok) throw new TestFailure(message);
  log('ok:', message);
};

function startServer() {
  return new Promise((resolve, reject) => {
    const server = spawn('python3', [path.join(repo, 'scripts/serve.py'), '--root', webRoot, '--port', '0', '--quiet',
                                     ...(process.argv.includes('--no-isolation') ? ['--no-isolation'] : [])],
                         { stdio: ['ignore', 'pipe', 'inherit'] });
    server.on('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      const m = /http:\/\/[^\s]+/.exec(String(chunk));
      if (m) resolve({ server, url: m[0] });
    });
  });
}

async function state(page) {
  return page.evaluate(() => (window.Module && Module.bricklab_state ? Module.bricklab_state() : null));
}

async function waitFor(page, what, predicate, { timeout } = {}) {
  const until = Date.now() + (timeout || timeoutMs);
  for (;;) {
    const s = await state(page);
    if (s && s.data && predicate(s)) return s;
    if (Date.now() > until) throw new TestFailure(`timed out waiting for ${what}` + (s ? `; transfer: ${JSON.stringify(s.transfer).slice(0, 600)}` : ''));
    await page.waitForTimeout(300);
  }
}

// A click as a user makes it: move there, press, release, over a few frames.
async function click(page, label) {
  const s = await state(page);
  const r = s.widgets[label];
  if (!r) throw new TestFailure(`no widget "${label}" on screen (have: ${Object.keys(s.widgets).join(', ')})`);
  const [x, y, w, h] = r;
  await page.mouse.move(x + w / 2, y + h / 2);
  await page.waitForTimeout(150);
  await page.mouse.down();
  await page.waitForTimeout(150);
  await page.mouse.up();
  await page.waitForTimeout(150);
}

// Demo (b) through the UI (--features): two classes of the sample
// textures' images, a file that is no image (a message, nothing added), then
// ResNet50 features + dense vs a CNN from scratch.
async function typeInto(page, label, text) {
  const [x, y, w, h] = (await state(page)).widgets[label];
  await page.mouse.click(x + w / 2, y + h / 2);
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
  const images = path.join(repo, 'assets/images');
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
  const notImage = path.join(artifacts, 'not-an-image.png');
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
  await page.screenshot({ path: path.join(artifacts, 'transfer-features.png') });
}

async function main() {
  if (!fs.existsSync(path.join(webRoot, 'bricklab.js')))
    throw new TestFailure(`${webRoot}/bricklab.js is missing: build the web app first`);
  fs.mkdirSync(artifacts, { recursive: true });
  const { server, url } = await startServer();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
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
    const a = tuned.accuracy[f.epochs], b = scratch.accuracy[f.epochs];
    log(`  ${tuned.label}: ${tuned.accuracy.map((v) => v.toFixed(3)).join(' ')}`);
    log(`  ${scratch.label}: ${scratch.accuracy.map((v) => v.toFixed(3)).join(' ')}`);
    check(a > b, `fine-tuned ${a.toFixed(3)} > from scratch ${b.toFixed(3)} after ${f.epochs} epochs`);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(artifacts, 'transfer.png') });

    if (process.argv.includes('--features')) await featuresDemo(page);
    check(problems.length === 0, `no console or page errors${problems.length ? ': ' + problems.join('; ') : ''}`);
  } finally {
    await browser.close();
    server.kill();
  }
  log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e instanceof TestFailure ? `FAILED: ${e.message}` : e);
  process.exit(1);
});
