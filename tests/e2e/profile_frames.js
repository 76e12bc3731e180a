#!/usr/bin/env node
// Investigation tool (not a test): where the page's main thread spends its
// time while the default model trains. Opens the page (isolated or plain),
// presses Train, records a V8 CPU profile of the main thread for a few
// seconds (Chrome DevTools Protocol) and prints the functions with the most
// self time, WebAssembly and JavaScript (WebGL calls included).
//
//   node tests/e2e/profile_frames.js [--root build-wasm/web] [--page isolated|plain] [--seconds 10]
'use strict';
const h = require('./harness');

const { webRoot } = h.commonOptions({ timeoutMin: 5 });
const kind = h.argValue('--page', 'isolated');
const seconds = Number(h.argValue('--seconds', '10'));

async function main() {
  h.requireFiles(webRoot, ['bricklab.js'], 'build the web app first');
  await h.withBrowser(webRoot, { isolated: kind === 'isolated' }, async ({ url, browser }) => {
    const page = await h.newPage(browser);
    await page.goto(url);
    await h.waitFor(page, 'the data', (s) => s.data.state === 'ready' && s.training.state === 'ready', { timeout: 180000, every: 250 });
    await page.evaluate(() => Module._bricklab_set_colour_readback(0));
    await h.click(page, 'Train', { pause: 100, settle: false });
    await page.waitForTimeout(3000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.waitForTimeout(seconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    const dt = new Map();  // node id -> sampled microseconds
    for (let i = 0; i < profile.samples.length; ++i)
      dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + (profile.timeDeltas[i] || 0));
    const self = new Map();
    let total = 0;
    for (const n of profile.nodes) {
      const us = dt.get(n.id) || 0;
      total += us;
      const f = n.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}`;
      self.set(name, (self.get(name) || 0) + us);
    }
    const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
    h.log(`${kind} page: ${(total / 1e6).toFixed(2)} s sampled over ${seconds} s`);
    for (const [name, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${name}`);
  });
}

h.runMain(main);
