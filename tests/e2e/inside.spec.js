#!/usr/bin/env node
// End-to-end test of "Inside the network" in headless Chromium (WebGL2 on
// SwiftShader), driven like a user: clicks at the widgets' rectangles that
// the app reports through Module.bricklab_state().
//
//   node tests/e2e/inside.spec.js [--root build-wasm/web] [--timeout-min 5]
//
// 1. opens the page (same flags as playground.spec.js), trains a few batches;
// 2. opens the panel: the input, saliency, overlay, first-layer filters and
//    every layer's maps must be drawn by the GLSL shaders, i.e. the textures
//    read back from the GPU have many colours (not blank); the maps are
//    refreshed while training, but at most a few times a second;
// 3. "Next misclassified" shows a test image the model gets wrong;
// 4. a digit drawn on the pad becomes the input;
// 5. a page whose shaders are broken on purpose (?shader-fault) shows the
//    compiler's message in the panel and keeps running;
// 6. fails on any console error or page error.
// Screenshots go to test-artifacts/inside-*.png.
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
const timeoutMs = Number(argValue('--timeout-min', '5')) * 60000;
const artifacts = path.join(repo, 'test-artifacts');
const query = 'model=mnist-small&epochs=1&batch=32&slice=120';
const started = Date.now();

const log = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`, ...args);
class TestFailure extends Error {}
const check = (ok, message) => {
  if (!ok) throw new TestFailure(message);
  log('ok:', message);
};

function startServer() {
  return new Promise((resolve, reject) => {
    const server = spawn('python3', [path.join(repo, 'scripts/serve.py'), '--root', webRoot, '--port', '0', '--quiet'],
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
    if (Date.now() > until) throw new TestFailure(`timed out waiting for ${what}` + (s ? `; inside: ${JSON.stringify(s.inside).slice(0, 400)}` : ''));
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

async function drawOne(page) {
  const [px, py, pw, ph] = (await state(page)).widgets.pad;
  await page.mouse.move(px + 0.52 * pw, py + 0.18 * ph);
  await page.waitForTimeout(100);
  await page.mouse.down();
  for (let t = 0; t <= 1.0001; t += 0.125) await page.mouse.move(px + (0.52 - 0.04 * t) * pw, py + (0.18 + 0.64 * t) * ph);
  await page.waitForTimeout(100);
  await page.mouse.up();
  await page.waitForTimeout(300);
}

// Every picture drawn and not blank: the colours read back from its texture.
function checkPictures(inside, what) {
  for (const name of ['input', 'saliency', 'overlay', 'filters']) {
    const t = inside[name];
    check(t && t.size[0] > 0 && t.colours >= 16, `${what}: ${name} ${t && t.size.join('x')} shows ${t && t.colours} colours (>= 16)`);
  }
  check(inside.filters.name === 'conv2d_1', `the filters are conv2d_1's`);
  const layers = inside.layers;
  check(layers.length >= 5, `${layers.length} layers drawn`);
  for (const l of layers) {
    // Maps: many colours. The 10 class scores: one colour each plus the gaps' background.
    const want = l.size[1] === 1 ? Math.min(l.shown, 8) : 16;
    check(l.colours >= want, `${what}: ${l.name} (${l.shape}) ${l.size.join('x')} texture, ${l.shown}/${l.total} maps, ${l.colours} colours (>= ${want})`);
  }
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
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    watch(page);
    log(`opening ${url}?${query}`);
    await page.goto(`${url}?${query}`);
    const loaded = await waitFor(page, 'the data', (s) => s.data.state !== 'loading', { timeout: 120000 });
    check(loaded.data.state === 'ready', `data loaded (${loaded.data.error})`);

    // The small panel in the corner already shows the untrained model's view.
    const small = await waitFor(page, 'the small panel', (s) => s.inside.input && s.inside.input.colours > 0, { timeout: 30000 });
    check(small.inside.error === '', `the colour-map shaders compiled and linked in WebGL2 (error: "${small.inside.error}")`);
    check(!small.inside.expanded, 'the panel starts small');

    // A few training batches.
    await click(page, 'Train');
    await waitFor(page, '30 training batches', (s) => s.training.batches_done >= 30, { timeout: 60000 });
    log('trained 30 batches');

    // Open the panel; the maps are drawn while training goes on.
    await click(page, 'Show inside the network');
    const opened = await waitFor(page, 'the large panel', (s) => s.inside.expanded && s.inside.layers && s.inside.layers.length > 0,
                                 { timeout: 30000 });
    checkPictures(opened.inside, 'while training');
    check(opened.inside.input.size.join('x') === '28x28', 'the input texture is the 28x28 test image');
    const r0 = opened.inside.recomputes, t0 = Date.now();
    await page.waitForTimeout(4000);
    const later = await state(page);
    const seconds = (Date.now() - t0) / 1000;
    const per_second = (later.inside.recomputes - r0) / seconds;
    log(`${later.inside.recomputes - r0} recomputations in ${seconds.toFixed(1)} s while ${later.training.state}`);
    if (later.training.state === 'training')
      check(later.inside.recomputes > r0 && per_second <= 3,
            `the maps follow the training, ${per_second.toFixed(2)} times a second (<= 3)`);
    await page.screenshot({ path: path.join(artifacts, 'inside-training.png') });

    // The large panel covers the training panel: shrink it to reach Pause.
    await click(page, 'Shrink');
    await waitFor(page, 'the small panel again', (s) => !s.inside.expanded, { timeout: 10000 });
    await click(page, 'Pause');
    await waitFor(page, 'training to pause', (s) => s.training.state !== 'training', { timeout: 30000 });
    // The weights stand still (a batch in flight when Pause was clicked has landed).
    for (let last = -1, now = (await state(page)).training.batches_done; now !== last;) {
      await page.waitForTimeout(700);
      [last, now] = [now, (await state(page)).training.batches_done];
    }
    await click(page, 'Show inside the network');
    await waitFor(page, 'the large panel', (s) => s.inside.expanded, { timeout: 10000 });
    await page.waitForTimeout(300);

    // A test image the model gets wrong.
    const before = (await state(page)).inside.index;
    await click(page, 'Next misclassified');
    const wrong = await waitFor(page, 'a misclassified image', (s) => s.inside.index !== before && s.inside.label >= 0 &&
                                s.inside.predicted !== undefined, { timeout: 30000 });
    check(wrong.inside.label !== wrong.inside.predicted,
          `test image ${wrong.inside.index}: true class ${wrong.inside.label}, predicted ${wrong.inside.predicted}`);
    checkPictures(wrong.inside, 'misclassified image');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(artifacts, 'inside-misclassified.png') });

    // The pad's digit as the input.
    await drawOne(page);
    await click(page, 'inside drawing pad');
    const pad = await waitFor(page, 'the pad as input', (s) => s.inside.source === 'pad' && s.inside.label === -1 &&
                              s.inside.predicted !== undefined, { timeout: 30000 });
    check(pad.pad.has_ink && pad.inside.predicted === pad.pad.predicted,
          `the pad's digit is the input: predicted ${pad.inside.predicted}, as the pad says (${pad.pad.predicted})`);
    checkPictures(pad.inside, 'pad digit');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(artifacts, 'inside-pad.png') });

    // Shaders that do not compile: a message in the panel, no crash.
    await page.close();
    const broken = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    watch(broken);
    await broken.goto(`${url}?${query}&inside&shader-fault`);
    const failed = await waitFor(broken, 'the shader error', (s) => s.inside.error !== '', { timeout: 120000 });
    check(/does not compile/.test(failed.inside.error), `a broken shader is reported: "${failed.inside.error.split('\n')[0].slice(0, 160)}"`);
    const f0 = failed.frames;
    await broken.waitForTimeout(1000);
    const still = await state(broken);
    check(still.frames > f0, `the page keeps running after the shader error (${still.frames - f0} frames in 1 s)`);
    await broken.screenshot({ path: path.join(artifacts, 'inside-shader-error.png') });

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
