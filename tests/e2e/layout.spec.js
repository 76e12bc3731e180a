// The playground's one screen (src/app/layout.h, screen.cpp) in headless
// Chromium, read through the regions the app reports (state.layout):
//
//   node tests/e2e/layout.spec.js [--root build-wasm/web] [--no-isolation] [--sizes 1280x800,800x600]
//
// 1. at 1280x800, 1920x1080, 1024x700 and 800x600 (or --sizes), each tab
//    opened by a click on it: no two regions overlap, none leaves the
//    viewport, the tabs lie in the main area; a screenshot per size and tab
//    (test-artifacts/layout-WxH-TAB[-plain].png);
// 2. presentation mode, by its button and by ?present: larger type (the
//    font size the app reports), the same checks;
// 3. bad query options (?model=lenet5&epochs=two): shown on the page, and
//    the defaults load;
// 4. resizing the page to exactly the screen's size (F11, kiosk mode): the
//    canvas follows, no fullscreen request, no console error;
// 5. device pixel ratio 2: the canvas's drawing buffer is twice its CSS
//    size and the text is rendered at twice the size.
'use strict';
const h = require('./harness');
const { log, check, state, screenshot } = h;

const { webRoot, isolated } = h.commonOptions({ timeoutMin: 3 });
const sizes = h.argValue('--sizes', '1280x800,1920x1080,1024x700,800x600')
  .split(',').map((s) => s.split('x').map(Number));
const tabs = ['Training', 'Inside the network', 'Style transfer', 'Transfer learning'];
const query = 'model=mnist-small';
const suffix = isolated ? '' : '-plain';
const slug = (text) => text.toLowerCase().replace(/[^a-z]+/g, '-');

const overlaps = (a, b) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
const inside = (outer, r) => r[0] >= outer[0] && r[1] >= outer[1] &&
  r[0] + r[2] <= outer[0] + outer[2] && r[1] + r[3] <= outer[1] + outer[3];

// The regions fill a viewport of width x height CSS pixels without overlap.
function checkLayout(s, width, height, what) {
  const L = s.layout;
  const ratio = L.device_pixel_ratio;
  check(Math.abs(L.viewport[0] - width * ratio) < 1 && Math.abs(L.viewport[1] - height * ratio) < 1,
        `${what}: the app's viewport ${L.viewport.join('x')} is the page's ${width}x${height} x ${ratio}`);
  const viewport = [0, 0, L.viewport[0], L.viewport[1]];
  const names = Object.keys(L.regions);
  for (const want of ['controls', 'settings', 'pad', 'main', 'status'])
    check(names.includes(want), `${what}: region ${want} is there`);
  const problems = [];
  for (const [i, a] of names.entries()) {
    const r = L.regions[a];
    if (!inside(viewport, r)) problems.push(`${a} [${r}] outside the viewport`);
    if (r[2] <= 0 || r[3] <= 0) problems.push(`${a} is empty`);
    for (const b of names.slice(i + 1))
      if (overlaps(r, L.regions[b])) problems.push(`${a} [${r}] overlaps ${b} [${L.regions[b]}]`);
  }
  for (const [label, r] of Object.entries(L.tabs))
    if (!inside(L.regions.main, r)) problems.push(`tab ${label} [${r}] outside the main area`);
  check(problems.length === 0, `${what}: ${names.length} regions inside the viewport, none overlapping` +
        (problems.length ? ': ' + problems.join('; ') : ''));
}


async function load(page, url, what) {
  await page.goto(url);
  return h.waitFor(page, `the data (${what})`, (s) => s.data.state !== 'loading' && s.layout, { timeout: 120000, every: 200 });
}

async function walk(browser, url, problems, [width, height]) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  h.collectProblems(page, problems, { label: `${width}x${height}` });
  const loaded = await load(page, `${url}?${query}`, `${width}x${height}`);
  check(loaded.data.state === 'ready', `${width}x${height}: data ready`);
  for (const tab of tabs) {
    const s = await h.openTab(page, tab);
    await page.mouse.move(width - 2, height - 2);  // no tooltip in the picture
    await page.waitForTimeout(400);  // a frame or two with the tab's contents
    checkLayout(await state(page), width, height, `${width}x${height}, ${tab}`);
    check(s.layout.tab === tab, `${width}x${height}: the ${tab} tab opened by a click`);
    await screenshot(page, `layout-${width}x${height}-${slug(tab)}${suffix}.png`);
  }
  await context.close();
}

async function presentation(browser, url, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  h.collectProblems(page, problems, { label: 'presentation' });
  const normal = await load(page, `${url}?${query}`, 'presentation');
  check(!normal.layout.presentation, `normal type: ${normal.layout.font_pixels} px`);
  await h.click(page, 'Presentation');
  const big = await h.waitFor(page, 'presentation mode', (s) => s.layout.presentation && s.layout.font_pixels > normal.layout.font_pixels,
                              { timeout: 20000, every: 100 });
  check(big.layout.font_pixels >= 1.4 * normal.layout.font_pixels,
        `the Presentation button: type ${normal.layout.font_pixels} -> ${big.layout.font_pixels} px`);
  await page.waitForTimeout(300);
  checkLayout(await state(page), 1280, 800, 'presentation mode');
  await screenshot(page, `layout-presentation${suffix}.png`);
  await h.click(page, 'Normal size');
  const back = await h.waitFor(page, 'normal type again', (s) => !s.layout.presentation && s.layout.font_pixels === normal.layout.font_pixels,
                               { timeout: 20000, every: 100 });
  check(!back.layout.presentation, 'Normal size goes back');
  // ?present starts in presentation mode.
  const started = await load(page, `${url}?${query}&present`, '?present');
  const s = await h.waitFor(page, 'presentation type', (t) => t.layout.font_pixels === big.layout.font_pixels, { timeout: 20000, every: 100 });
  check(started.layout.presentation && s.layout.font_pixels === big.layout.font_pixels,
        `?present starts with ${s.layout.font_pixels} px type`);
  await page.waitForTimeout(300);
  checkLayout(await state(page), 1280, 800, '?present');
  await context.close();
  return normal.layout.font_pixels;
}

async function badOptions(browser, url, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  h.collectProblems(page, problems, { label: 'bad options' });
  const s = await load(page, `${url}?model=lenet5&epochs=two`, 'bad options');
  const m = s.layout.messages;
  check(m.length === 2 && m.some((t) => t.includes('lenet5') && t.includes('mnist-small')) &&
        m.some((t) => t.includes('"two"') && t.includes('whole number')),
        `bad options are shown with what was expected: ${JSON.stringify(m)}`);
  check(s.data.state === 'ready' && s.model.preset === 'lenet' && s.training.settings.epochs === 2,
        `the defaults load: ${s.data.name} ${s.data.state}, model ${s.model.preset}, ${s.training.settings.epochs} epochs`);
  check(Boolean(s.layout.regions.messages), 'the messages have a region of their own');
  const hidden = await page.evaluate(() => document.getElementById('overlay').classList.contains('hidden'));
  check(hidden, 'the loading overlay is gone');
  await page.waitForTimeout(300);
  checkLayout(await state(page), 1280, 800, 'bad options');
  await screenshot(page, `layout-bad-options${suffix}.png`);
  await context.close();
}

// The screen is 1280x800; the page grows to exactly that (F11, kiosk).
async function screenSized(browser, url, problems) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, screen: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  h.collectProblems(page, problems, { label: 'screen-sized' });
  await load(page, `${url}?${query}`, 'screen-sized');
  await page.setViewportSize({ width: 1280, height: 800 });
  const s = await h.waitFor(page, 'the canvas to follow', (t) => t.layout.viewport[0] === 1280 && t.layout.viewport[1] === 800,
                            { timeout: 20000, every: 100 });
  await page.waitForTimeout(1000);
  const canvas = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { width: c.width, height: c.height, css: [c.clientWidth, c.clientHeight], fullscreen: Boolean(document.fullscreenElement) };
  });
  check(canvas.width === 1280 && canvas.height === 800 && canvas.css.join('x') === '1280x800' && !canvas.fullscreen,
        `resized to the screen's size: canvas ${canvas.width}x${canvas.height}, CSS ${canvas.css.join('x')}, no fullscreen, ` +
        `viewport ${s.layout.viewport.join('x')}`);
  check(errors.length === 0, `no console errors while resizing (${errors.length}: ${errors.slice(0, 2).join('; ')})`);
  checkLayout(await state(page), 1280, 800, 'screen-sized');
  await context.close();
}

async function pixelRatio2(browser, url, problems, normalFont) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  h.collectProblems(page, problems, { label: 'DPR 2' });
  await load(page, `${url}?${query}`, 'DPR 2');
  const s = await h.waitFor(page, 'the 2x type', (t) => t.layout.font_pixels === 2 * normalFont, { timeout: 20000, every: 100 });
  const canvas = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { width: c.width, height: c.height, css: [c.clientWidth, c.clientHeight], ratio: window.devicePixelRatio };
  });
  check(canvas.ratio === 2 && canvas.width === 2 * canvas.css[0] && canvas.height === 2 * canvas.css[1],
        `DPR ${canvas.ratio}: drawing buffer ${canvas.width}x${canvas.height} for a CSS size of ${canvas.css.join('x')}`);
  check(s.layout.device_pixel_ratio === 2 && s.layout.font_pixels === 2 * normalFont,
        `the text is rendered at ${s.layout.font_pixels} px (2 x ${normalFont})`);
  checkLayout(s, 1280, 800, 'DPR 2');
  // A click lands where the app draws (the harness converts to CSS pixels).
  await h.click(page, 'Step');
  await h.waitFor(page, 'one batch by Step', (t) => t.training.batches_done >= 1, { timeout: 60000, every: 200 });
  check(true, 'Step, clicked at DPR 2, trained a batch');
  await screenshot(page, `layout-dpr2${suffix}.png`);
  await context.close();
}

async function main() {
  h.requireFiles(webRoot, ['bricklab.js'], 'build the web app first');
  await h.withBrowser(webRoot, { isolated }, async ({ url, browser, problems }) => {
    log(`page ${isolated ? 'cross-origin isolated (bricklab-mt.js)' : 'not isolated (bricklab.js)'}`);
    for (const size of sizes) await walk(browser, url, problems, size);
    const normalFont = await presentation(browser, url, problems);
    await badOptions(browser, url, problems);
    await screenSized(browser, url, problems);
    await pixelRatio2(browser, url, problems, normalFont);
  });
  h.logPassed();
}

h.runMain(main);
