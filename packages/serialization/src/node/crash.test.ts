import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRng, Tensor } from '@annet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { loadCheckpoint, rotatedPath, saveCheckpoint } from '../node.js';
import { compileNodeEntry } from './test-child-build.js';

/** Elements of the large tensor: 2M float32 (8 MB), so a save takes long enough to be interrupted. */
const elements = 1 << 21;
/** Kills at least this many times, more (up to `maximumTrials`) until `requiredInsideSave` kills hit a save. */
const trials = 25;
const requiredInsideSave = 12;
const maximumTrials = 80;
const keepLast = 3;

/**
 * The checkpoint of step `step`. The child builds the same one (same formula), so the parent can
 * tell a complete checkpoint of one step from a mixture: element i is `step + i / 4` in float32.
 */
const checkpointSource = `
export function checkpointFor(Tensor, step, elements) {
  const weights = new Float32Array(elements);
  for (let index = 0; index < elements; index++) weights[index] = step + index / 4;
  return {
    format: 'annet-checkpoint', formatVersion: 1, annetVersion: '0.0.0-crash-test',
    tensors: { 'model.w': new Tensor(weights, [elements]), 'optimizer.w.m': new Tensor(Float64Array.of(step, -step), [2]) },
    architecture: { layers: [{ className: 'Dense', units: 4 }] },
    optimizer: { type: 'Adam', config: { learningRate: 0.001 }, state: { step } },
    schedule: null, rng: { loader: { algorithm: 'xoshiro128**', words: [step, 2, 3, 4] } }, dataLoader: { position: step },
    epoch: Math.floor(step / 10), step, history: { loss: [1 / (step + 1)] },
  };
}
`;

/** Saves checkpoints for steps start+1, start+2, … forever, printing `begin <step>` before each save and `<step>` once it has returned. */
const childSource = (nodeEntry: string, tensorEntry: string) => `
import { saveCheckpoint } from ${JSON.stringify(pathToFileURL(nodeEntry).href)};
import { Tensor } from ${JSON.stringify(pathToFileURL(tensorEntry).href)};
import { checkpointFor } from './checkpoint-for.mjs';
const [file, start, keepLast, elements] = process.argv.slice(2).map((value, index) => (index === 0 ? value : Number(value)));
process.stdout.write('ready\\n');
for (let step = start + 1; ; step++) {
  const checkpoint = checkpointFor(Tensor, step, elements);
  process.stdout.write('begin ' + step + '\\n');
  await saveCheckpoint(file, checkpoint, { keepLast });
  process.stdout.write(step + '\\n');
}
`;

function expectStepContent(checkpoint: Checkpoint, source: string): void {
  const weights = checkpoint.tensors['model.w'].data;
  const step = checkpoint.step;
  expect(weights.length, source).toBe(elements);
  let mismatches = 0;
  for (let index = 0; index < elements; index++) if (weights[index] !== Math.fround(step + index / 4)) mismatches++;
  expect(mismatches, `${source}: elements not from step ${step}`).toBe(0);
  expect(Array.from(checkpoint.tensors['optimizer.w.m'].data), source).toEqual([step, -step]);
  expect(checkpoint.optimizer?.state, source).toEqual({ step });
  expect(checkpoint.dataLoader, source).toEqual({ position: step });
}

/**
 * Runs the child until it prints `trigger` (`ready`: it has started; `begin`: its first save has
 * started), waits `delay` ms, kills it with SIGKILL, and returns the steps it reported saved and
 * whether the kill landed inside a `saveCheckpoint` call.
 */
function runAndKill(
  script: string,
  file: string,
  start: number,
  delay: number,
  trigger: 'ready' | 'begin',
): Promise<{ saved: number[]; insideSave: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file, String(start), String(keepLast), String(elements)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (timer === undefined && output.includes(trigger === 'ready' ? 'ready\n' : '\nbegin '))
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL')
        reject(new Error(`child exited with ${code ?? signal} before being killed:\n${errors}`));
      else {
        const lines = output.split('\n').filter((line) => line !== '');
        resolve({
          saved: lines.filter((line) => /^\d+$/.test(line)).map(Number),
          insideSave: lines[lines.length - 1]?.startsWith('begin') === true,
        });
      }
    });
  });
}

describe('saveCheckpoint killed at random moments', () => {
  let folder: string;
  let script: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'annet-crash-'));
    const { nodeEntry, tensorEntry } = compileNodeEntry(path.join(folder, 'build'));
    writeFileSync(path.join(folder, 'build', 'checkpoint-for.mjs'), checkpointSource);
    script = path.join(folder, 'build', 'child.mjs');
    writeFileSync(script, childSource(nodeEntry, tensorEntry));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it(`always leaves the last complete checkpoint loadable (at least ${trials} SIGKILLs, ${requiredInsideSave} of them inside saves)`, async () => {
    const file = path.join(folder, 'run', 'model.ckpt');
    const { checkpointFor } = (await import(pathToFileURL(path.join(folder, 'build', 'checkpoint-for.mjs')).href)) as {
      checkpointFor: (tensorClass: typeof Tensor, step: number, count: number) => Checkpoint;
    };
    rmSync(path.dirname(file), { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file)));
    await saveCheckpoint(file, checkpointFor(Tensor, 0, elements), { keepLast });
    const rng = createRng(20240607);
    let lastSaved = 0;
    let killsInsideSave = 0;
    let temporaryFilesLeft = 0;
    const seen = new Set<string>();
    // Kill until enough kills have landed inside a save: on a loaded machine (CI runs suites in
    // parallel) the child spends more of its time building the next checkpoint, so fewer random
    // moments fall inside a save. Every other trial therefore kills at a random moment of the run,
    // the others within 10 ms of a save's start; the count of trials adapts, within a cap.
    // A random kill's window starts at 250 ms and doubles (up to 4 s) while no save completes in
    // one, so that on a slow machine saves still complete and rotation is exercised.
    let window = 250;
    let trial = 0;
    for (; trial < maximumTrials && (trial < trials || killsInsideSave < requiredInsideSave); trial++) {
      const trigger = trial % 2 === 0 ? 'ready' : 'begin';
      const delay = trigger === 'ready' ? rng.uniform(0, window) : rng.uniform(0, 10);
      const { saved, insideSave } = await runAndKill(script, file, lastSaved, delay, trigger);
      if (trigger === 'ready') window = saved.length === 0 ? Math.min(2 * window, 4000) : 250;
      const confirmed = saved.length > 0 ? saved[saved.length - 1] : lastSaved;
      if (insideSave) killsInsideSave++;
      if (readdirSync(path.dirname(file)).some((entry) => entry.endsWith('.tmp'))) temporaryFilesLeft++;
      const latest = await loadCheckpoint(file);
      // Saved-and-returned steps are on disk; at most one more save may have completed unreported.
      expect(latest.step).toBeGreaterThanOrEqual(confirmed);
      expect(latest.step).toBeLessThanOrEqual(confirmed + 1);
      expectStepContent(latest, `trial ${trial}: ${file}`);
      let newer = latest.step;
      for (let index = 1; index < keepLast; index++) {
        const previous = rotatedPath(file, index);
        // Once a kept name has held a version, it must hold one after every kill (no gap).
        if (!existsSync(previous)) {
          expect(seen.has(previous), `trial ${trial}: ${previous} disappeared`).toBe(false);
          continue;
        }
        seen.add(previous);
        const version = await loadCheckpoint(previous);
        expectStepContent(version, `trial ${trial}: ${previous}`);
        expect(version.step).toBeLessThanOrEqual(newer);
        newer = version.step;
      }
      lastSaved = latest.step;
    }
    // The kills must land inside saves for the test to mean anything (the child spends nearly all its time there).
    expect(killsInsideSave).toBeGreaterThanOrEqual(requiredInsideSave);
    console.info(
      `crash test: ${trial} kills, ${killsInsideSave} inside saveCheckpoint, ${temporaryFilesLeft} while the temporary file was being written, final step ${lastSaved}`,
    );
  }, 240_000);
});
