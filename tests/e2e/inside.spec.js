#!/usr/bin/env node
// End-to-end test of "Inside the network" in headless Chromium (WebGL2 on
// SwiftShader), driven like a user: clicks at the widgets' rectangles that
// the app reports through Module.bricklab_state().
//
//   node tests/e2e/inside.spec.js [--root build-wasm/web] [--timeout-min 5] [--no-isolation]
//
// 1. opens the page (same flags as playground.spec.js), trains a few batches;
// 2. opens the panel: the input, saliency, overlay, first-layer filters and
//    every layer's maps must be drawn by the GLSL shaders, i.e. the textures
//    read back from the GPU have many colours (not blank); a click on a layer
//    in the strip of layers selects it; the maps are refreshed while
//    training, but at most a few times a second;
// 3. "Next misclassified" shows a test image the model gets wrong;
// 4. a digit drawn on the pad becomes the input (by itself, and by its button);
// 5. a page whose shaders are broken on purpose (?shader-fault) shows the
//    compiler's message in the panel and keeps running;
// 6. fails on any console error or page error.
// Screenshots go to test-artifacts/inside-*.png.
'use strict';
const h = require('./harness');
const { log, check, state, click, screenshot } = h;

const { webRoot, timeoutMs, isolated } = h.commonOptions({ timeoutMin: 5 });
const query = 'model=mnist-small&epochs=1&batch=32&slice=120';

// On a time-out, the message shows the panel's state.
const waitFor = (page, what, predicate, { timeout } = {}) =>
  h.waitFor(page, what, predicate, {
    timeout: timeout || timeoutMs, every: 300,
    detail: (s) => (s ? `; inside: ${JSON.stringify(s.inside).slice(0, 400)}` : ''),
  });

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
// The input shows as many colours as the image has distinct pixels, up to 16
// (some MNIST digits have only 5 grey levels; test image 22 has 10).
function checkPictures(inside, what) {
  const pixels = inside.input ? inside.input.pixels : 0;
  check(pixels >= 2, `${what}: the input image has ${pixels} distinct pixels (>= 2, not blank)`);
  for (const name of ['input', 'saliency', 'overlay', 'filters']) {
    const t = inside[name];
    const want = name === 'input' ? Math.min(16, pixels) : 16;
    check(t && t.size[0] > 0 && t.colours >= want,
          `${what}: ${name} ${t && t.size.join('x')} shows ${t && t.colours} colours (>= ${want})`);
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
  h.requireFiles(webRoot, ['bricklab.js'], 'build the web app first');
  await h.withBrowser(webRoot, { isolated }, async ({ url, browser, problems }) => {
    const watch = (page) => h.collectProblems(page, problems, { httpErrors: 'problem' });
    const page = await h.newPage(browser);
    watch(page);
    log(`opening ${url}?${query}`);
    await page.goto(`${url}?${query}`);
    const loaded = await waitFor(page, 'the data', (s) => s.data.state !== 'loading', { timeout: 120000 });
    check(loaded.data.state === 'ready', `data loaded (${loaded.data.error})`);

    // The tab shows every layer at once, already for the untrained model.
    await h.openTab(page, 'Inside the network');
    const first = await waitFor(page, 'the first pictures', (s) => s.inside.input && s.inside.input.colours > 0, { timeout: 30000 });
    check(first.inside.error === '', `the colour-map shaders compiled and linked in WebGL2 (error: "${first.inside.error}")`);
    check(first.inside.expanded, 'the tab opens on every layer');

    // A few training batches.
    await click(page, 'Train');
    await waitFor(page, '30 training batches', (s) => s.training.batches_done >= 30, { timeout: 60000 });
    log('trained 30 batches');

    // The maps are drawn while training goes on.
    const opened = await waitFor(page, 'the large panel', (s) => s.inside.expanded && s.inside.layers && s.inside.layers.length > 0,
                                 { timeout: 30000 });
    checkPictures(opened.inside, 'while training');
    check(opened.inside.input.size.join('x') === '28x28', 'the input texture is the 28x28 test image');
    // The layers left to right: a click on one shows its maps (the last is shown at first).
    check(opened.inside.selected_layer === opened.inside.layers[opened.inside.layers.length - 1].name,
          `the last layer's maps are shown at first (${opened.inside.selected_layer})`);
    await click(page, 'inside layer conv2d_1');
    await waitFor(page, 'conv2d_1 selected', (s) => s.inside.selected_layer === 'conv2d_1', { timeout: 10000 });
    log('clicked conv2d_1 in the layer strip: its maps are shown');
    const r0 = opened.inside.recomputes, t0 = Date.now();
    await page.waitForTimeout(4000);
    const later = await state(page);
    const seconds = (Date.now() - t0) / 1000;
    const per_second = (later.inside.recomputes - r0) / seconds;
    log(`${later.inside.recomputes - r0} recomputations in ${seconds.toFixed(1)} s while ${later.training.state}`);
    if (later.training.state === 'training')
      check(later.inside.recomputes > r0 && per_second <= 3,
            `the maps follow the training, ${per_second.toFixed(2)} times a second (<= 3)`);
    await screenshot(page, 'inside-training.png');

    // Fewer pictures, and Pause (always on screen, beside the tabs).
    await click(page, 'Fewer pictures');
    await waitFor(page, 'the small view', (s) => !s.inside.expanded, { timeout: 10000 });
    await click(page, 'Pause');
    await waitFor(page, 'training to pause', (s) => s.training.state !== 'training', { timeout: 30000 });
    // The weights stand still (a batch in flight when Pause was clicked has landed).
    for (let last = -1, now = (await state(page)).training.batches_done; now !== last;) {
      await page.waitForTimeout(700);
      [last, now] = [now, (await state(page)).training.batches_done];
    }
    await click(page, 'Every layer');
    await waitFor(page, 'every layer again', (s) => s.inside.expanded, { timeout: 10000 });
    await page.waitForTimeout(300);

    // A test image the model gets wrong.
    // The click's frame moves the index after that frame's recomputation, so
    // until the next one the state pairs the new index with the previous
    // image's label and prediction: wait for a recomputation too.
    const { index: before, recomputes: recomputesBefore } = (await state(page)).inside;
    await click(page, 'Next misclassified');
    const wrong = await waitFor(page, 'a misclassified image', (s) => s.inside.index !== before && s.inside.label >= 0 &&
                                s.inside.recomputes > recomputesBefore && s.inside.predicted !== undefined, { timeout: 30000 });
    check(wrong.inside.label !== wrong.inside.predicted,
          `test image ${wrong.inside.index}: true class ${wrong.inside.label}, predicted ${wrong.inside.predicted}`);
    checkPictures(wrong.inside, 'misclassified image');
    await page.waitForTimeout(500);
    await screenshot(page, 'inside-misclassified.png');

    // The pad's digit as the input.
    await drawOne(page);
    // A newly drawn digit becomes the input by itself.
    await waitFor(page, 'the drawn digit as the input', (s) => s.inside.source === 'pad', { timeout: 10000 });
    await click(page, 'inside drawing pad');
    const pad = await waitFor(page, 'the pad as input', (s) => s.inside.source === 'pad' && s.inside.label === -1 &&
                              s.inside.predicted !== undefined, { timeout: 30000 });
    check(pad.pad.has_ink && pad.inside.predicted === pad.pad.predicted,
          `the pad's digit is the input: predicted ${pad.inside.predicted}, as the pad says (${pad.pad.predicted})`);
    checkPictures(pad.inside, 'pad digit');
    await page.waitForTimeout(500);
    await screenshot(page, 'inside-pad.png');

    // Shaders that do not compile: a message in the panel, no crash.
    await page.close();
    const broken = await h.newPage(browser);
    watch(broken);
    await broken.goto(`${url}?${query}&inside&shader-fault`);
    const failed = await waitFor(broken, 'the shader error', (s) => s.inside.error !== '', { timeout: 120000 });
    check(/does not compile/.test(failed.inside.error), `a broken shader is reported: "${failed.inside.error.split('\n')[0].slice(0, 160)}"`);
    const f0 = failed.frames;
    await broken.waitForTimeout(1000);
    const still = await state(broken);
    check(still.frames > f0, `the page keeps running after the shader error (${still.frames - f0} frames in 1 s)`);
    await screenshot(broken, 'inside-shader-error.png');
  });
  h.logPassed();
}

h.runMain(main);
