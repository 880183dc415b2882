import { it } from 'vitest';
import { serveFolder } from './static-server.js';
import { launchChromium } from './chromium.js';
it('scratch', async () => {
const server = await serveFolder('/work/wt/playground/apps/playground/dist', { isolated: process.env.PLAIN === undefined });
const { browser, close } = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(server.url + '?epochs=2&trainSamples=2000&validationSamples=500&kernels=auto', { timeout: 20000 });
  await page.waitForSelector('#status[data-state=ready]', { timeout: 30000 });
  console.log(await page.$eval('#kernel-facts', (e) => e.textContent));
  await page.click('#train');
  await page.waitForSelector('#status[data-state=done]', { timeout: 60000 });
  console.log(await page.$eval('#progress-text', (e) => e.textContent));
  console.log(await page.$eval('#message', (e) => e.textContent));
  await page.screenshot({ path: '/tmp/shot.png' });
} finally { await close(); await server.close(); }
}, 120000);
