// What every end-to-end script in tests/e2e shares: the command line, the
// local server, headless Chromium, and driving the app the way a user does,
// through the state the app reports in Module.bricklab_state() (the widgets'
// on-screen rectangles, the data, the training, each panel's numbers).
//
// Plain node + playwright-core, no test runner: a spec checks with check(),
// which throws a TestFailure, and ends through runMain(), which prints
// "FAILED: ..." and exits 1.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const repo = path.resolve(__dirname, '../..');
// Screenshots, downloads and files made for upload land here (ignored by git).
const artifacts = path.join(repo, 'test-artifacts');
// The page's size in every script: the widgets' rectangles, and so the
// clicks, depend on it.
const VIEWPORT = { width: 1280, height: 860 };
// The log's clock starts when the script loads this module, i.e. at its start.
const started = Date.now();

// --- the command line -----------------------------------------------------------

// The value after `name` on the command line, or `fallback`.
function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const hasFlag = (name) => process.argv.includes(name);

// The options the scripts share: --root (the built web app, relative to the
// repository, so that a script works from any directory), --timeout-min
// (the default is each script's own: its longest wait) and --no-isolation
// (for the scripts that open one page: serve it without COOP/COEP).
function commonOptions({ timeoutMin }) {
  return {
    webRoot: path.resolve(repo, argValue('--root', 'build-wasm/web')),
    timeoutMs: Number(argValue('--timeout-min', String(timeoutMin))) * 60000,
    isolated: !hasFlag('--no-isolation'),
  };
}

// --- logging, checks and the exit code --------------------------------------------

// Each line stamped with the seconds since the start, to see where a slow run spends its time.
const log = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`, ...args);
const logPassed = () => log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// A failed expectation, as opposed to a crash: runMain prints only its message.
class TestFailure extends Error {}

// Every check that passes is logged too, so a run's output shows what was measured.
function check(ok, message) {
  if (!ok) throw new TestFailure(message);
  log('ok:', message);
}

// Runs the script's main(); any failure exits 1 (what scripts/test.sh looks at).
function runMain(main) {
  main().catch((e) => {
    console.error(e instanceof TestFailure ? `FAILED: ${e.message}` : e);
    process.exit(1);
  });
}

// Fails early, with what to build, when the web root lacks a file the script needs.
function requireFiles(webRoot, files, hint) {
  for (const file of files)
    if (!fs.existsSync(path.join(webRoot, file))) throw new TestFailure(`${webRoot}/${file} is missing: ${hint}`);
}

// A path in test-artifacts/, made on first use.
function artifactPath(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}

const screenshot = (page, name) => page.screenshot({ path: artifactPath(name) });

// --- the server and the browser -------------------------------------------------

// Serves `webRoot` with scripts/serve.py (which also serves the data sets the
// page fetches) on a free port. Isolated (COOP/COEP headers) the page runs the
// threaded build, bricklab-mt.js; without them, as on a plain static host,
// the single-threaded bricklab.js in time slices. Resolves once the server
// prints its address.
function startServer(webRoot, { isolated = true } = {}) {
  const args = [path.join(repo, 'scripts/serve.py'), '--root', webRoot, '--port', '0', '--quiet'];
  if (!isolated) args.push('--no-isolation');
  return new Promise((resolve, reject) => {
    const server = spawn('python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    server.on('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      const m = /http:\/\/[^\s]+/.exec(String(chunk));
      if (m) resolve({ server, url: m[0] });
    });
  });
}

// Debian's Chromium: Playwright cannot download its own browser here. No
// sandbox (we run as root), nothing that reaches the network on its own, and
// WebGL2 on SwiftShader since there is no GPU (the colour maps are shaders).
function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
}

const newPage = (browser) => browser.newPage({ viewport: VIEWPORT });

// Collects the page's console errors and uncaught exceptions in `problems`,
// which a spec checks at its end (checkNoProblems): an error the app only
// logs would otherwise pass unseen. `label` names the page in the message;
// `httpErrors` says what a response >= 400 is: 'problem', 'log' (only
// logged, for a page that probes files which may be missing) or 'ignore'.
function collectProblems(page, problems, { label = '', httpErrors = 'ignore' } = {}) {
  const where = label ? ` (${label})` : '';
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error${where}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error${where}: ${e.message}`));
  if (httpErrors === 'ignore') return;
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const message = `HTTP ${r.status()} for ${r.url()}`;
    if (httpErrors === 'problem') problems.push(message);
    else log(message);
  });
}

const checkNoProblems = (problems) =>
  check(problems.length === 0, `no console or page errors${problems.length ? ': ' + problems.join('; ') : ''}`);

// Serves `webRoot`, launches Chromium and runs `steps({ url, browser, problems })`,
// then checks that no page reported a problem (see collectProblems). The
// browser and the server stop whatever happens, so a failed run leaves no
// process behind.
async function withBrowser(webRoot, { isolated }, steps) {
  const { server, url } = await startServer(webRoot, { isolated });
  const browser = await launchChromium();
  const problems = [];
  try {
    await steps({ url, browser, problems });
    checkNoProblems(problems);
  } finally {
    await browser.close();
    server.kill();
  }
}

// --- the app's state ----------------------------------------------------------

// The app's state as it reports it, or null while the module is not up yet.
function state(page) {
  return page.evaluate(() => (window.Module && Module.bricklab_state ? Module.bricklab_state() : null));
}

// Polls the app's state every `every` ms until `predicate` holds and returns
// that state. `ready(s)` says the app is far enough up for the predicate to
// read it (by default: it reports its data). On a time-out the message ends
// with `detail(s)` (s may be null), the part of the state that tells why;
// `describe(s)` is logged every 15 s, for waits that take minutes.
async function waitFor(page, what, predicate, { timeout, every, ready = (s) => s.data, detail, describe }) {
  const until = Date.now() + timeout;
  let lastLog = 0;
  for (;;) {
    const s = await state(page);
    if (s && ready(s) && predicate(s)) return s;
    if (Date.now() > until) throw new TestFailure(`timed out waiting for ${what}` + (detail ? detail(s) : ''));
    if (describe && s && ready(s) && Date.now() - lastLog > 15000) {
      log(describe(s));
      lastLog = Date.now();
    }
    await page.waitForTimeout(every);
  }
}

// --- the user's hands -----------------------------------------------------------

// A click as a user makes it at the middle of rectangle [x, y, w, h]: move
// there, press, release, `pause` ms apart, so the app sees the press even when
// a frame takes long; `settle` waits once more after the release so that the
// next step sees the click's effect.
async function clickAt(page, [x, y, w, h], { pause = 150, settle = true } = {}) {
  await page.mouse.move(x + w / 2, y + h / 2);
  await page.waitForTimeout(pause);
  await page.mouse.down();
  await page.waitForTimeout(pause);
  await page.mouse.up();
  if (settle) await page.waitForTimeout(pause);
}

// The app reports rectangles in its own (device) pixels; the mouse moves in
// CSS pixels: they differ by the device pixel ratio.
const ratioOf = (s) => (s && s.layout ? s.layout.device_pixel_ratio : 1);
const toCss = (s, r) => r.map((v) => v / ratioOf(s));

// Scrolls the window (a region of the screen, or a tab's area) that holds
// widget `label` with the mouse wheel until the widget lies inside it, as a
// user would; returns the state then.
async function scrollIntoView(page, label) {
  let s = await state(page);
  for (let i = 0; i < 60; ++i) {
    const r = s.widgets[label], area = s.widget_areas && s.widget_areas[label];
    if (!r || !area) return s;
    const above = r[1] < area[1], below = r[1] + r[3] > area[1] + area[3];
    if (!above && !below) return s;
    // Over the window's own scroll bar (its right edge), not over a child
    // that scrolls by itself (a table, a list).
    const [ax, ay, aw, ah] = toCss(s, area);
    await page.mouse.move(ax + aw - 5, ay + ah / 2);
    await page.mouse.wheel(0, above ? -60 : 60);
    await page.waitForTimeout(120);
    s = await state(page);
  }
  return s;
}

// Clicks the widget the app reports under `label` (scrolled into view
// first); fails naming the widgets on screen when it is not there (a tab
// not selected, a label renamed).
async function click(page, label, options) {
  const s = await scrollIntoView(page, label);
  const r = s.widgets[label];
  if (!r) throw new TestFailure(`no widget "${label}" on screen (have: ${Object.keys(s.widgets).join(', ')})`);
  await clickAt(page, toCss(s, r), options);
}

// Selects a tab of the main area ("Training", "Inside the network", "Style
// transfer", "Transfer learning") by clicking it; returns the state once it shows.
async function openTab(page, label) {
  const s = await state(page);
  const r = s.layout && s.layout.tabs[label];
  if (!r) throw new TestFailure(`no tab "${label}" (have: ${s.layout ? Object.keys(s.layout.tabs).join(', ') : 'none'})`);
  await clickAt(page, toCss(s, r));
  return waitFor(page, `the ${label} tab`, (t) => t.layout.tab === label, { timeout: 20000, every: 100 });
}

module.exports = {
  repo,
  VIEWPORT,
  argValue,
  hasFlag,
  commonOptions,
  log,
  logPassed,
  TestFailure,
  check,
  runMain,
  requireFiles,
  artifactPath,
  screenshot,
  startServer,
  launchChromium,
  newPage,
  collectProblems,
  checkNoProblems,
  withBrowser,
  state,
  waitFor,
  clickAt,
  click,
  scrollIntoView,
  openTab,
};
