import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../checkpoint/encode.js';
import { sampleCheckpoint } from '../checkpoint/test-checkpoints.js';
import { writeFileAtomicWith } from './atomic-write.js';
import { nodeFileOperations } from './file-operations.js';
import { loadCheckpoint } from './files.js';
import { rotatedPath } from './rotation.js';
import { compileNodeEntry } from './test-child-build.js';

const keepLast = 3;

/**
 * A child that saves one checkpoint with keepLast 3 through the real file operations, except
 * that right before file operation number `killAt` it sends itself SIGKILL: a real `kill -9`,
 * at a chosen step instead of a random moment. It prints the number of operations a save made
 * when it was not killed.
 */
const childSource = (atomicWrite: string, operations: string) => `
import { writeFileAtomicWith } from ${JSON.stringify(pathToFileURL(atomicWrite).href)};
import { nodeFileOperations } from ${JSON.stringify(pathToFileURL(operations).href)};
import { readFileSync } from 'node:fs';
const [file, bytesFile, keepLast, killAt] = process.argv.slice(2);
let calls = 0;
const files = Object.fromEntries(Object.entries(nodeFileOperations).map(([name, operation]) => [name, (...args) => {
  if (calls++ === Number(killAt)) process.kill(process.pid, 'SIGKILL');
  return operation(...args);
}]));
await writeFileAtomicWith(file, new Uint8Array(readFileSync(bytesFile)), { keepLast: Number(keepLast) }, files);
process.stdout.write(String(calls));
`;

function runChild(
  script: string,
  file: string,
  bytesFile: string,
  killAt: number,
): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file, bytesFile, String(keepLast), String(killAt)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code !== 0 && signal === null
        ? reject(new Error(`child exited with ${code}:\n${errors}`))
        : resolve({ signal, output }),
    );
  });
}

describe('saveCheckpoint with keepLast, killed with SIGKILL before each of its file operations in turn', () => {
  let folder: string;
  let script: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'annet-kill-steps-'));
    const { nodeEntry } = compileNodeEntry(path.join(folder, 'build'));
    const compiledNode = path.dirname(nodeEntry);
    script = path.join(folder, 'build', 'child.mjs');
    writeFileSync(
      script,
      childSource(
        path.join(compiledNode, 'node', 'atomic-write.js'),
        path.join(compiledNode, 'node', 'file-operations.js'),
      ),
    );
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('leaves every kept name loadable at every kill point, and the next save removes what the dead process left', async () => {
    const bytesFile = path.join(folder, 'step-4.bin');
    writeFileSync(bytesFile, encodeCheckpoint(sampleCheckpoint(4)));
    const prepare = async (name: string) => {
      const file = path.join(folder, name, 'model.ckpt');
      mkdirSync(path.dirname(file));
      for (let step = 1; step <= 3; step++)
        await writeFileAtomicWith(file, encodeCheckpoint(sampleCheckpoint(step)), { keepLast }, nodeFileOperations);
      return file;
    };
    const whole = await runChild(script, await prepare('unkilled'), bytesFile, -1);
    const operations = Number(whole.output);
    expect(whole.signal).toBeNull();
    expect(operations).toBeGreaterThan(6);
    for (let killAt = 0; killAt < operations; killAt++) {
      const file = await prepare(`killed-${killAt}`);
      const { signal } = await runChild(script, file, bytesFile, killAt);
      expect(signal, `kill point ${killAt}`).toBe('SIGKILL');
      const steps: number[] = [];
      for (let index = 0; index < keepLast; index++) {
        const name = rotatedPath(file, index);
        expect(existsSync(name), `kill point ${killAt}: ${path.basename(name)} is missing`).toBe(true);
        steps.push((await loadCheckpoint(name)).step);
      }
      expect(
        steps[0] >= steps[1] && steps[1] >= steps[2] && steps[0] >= 3 && steps[1] >= 2 && steps[2] >= 1,
        `kill point ${killAt}: steps ${JSON.stringify(steps)}`,
      ).toBe(true);
      await writeFileAtomicWith(file, encodeCheckpoint(sampleCheckpoint(5)), { keepLast }, nodeFileOperations);
      expect(readdirSync(path.dirname(file)).sort(), `kill point ${killAt}`).toEqual([
        'model.1.ckpt',
        'model.2.ckpt',
        'model.ckpt',
      ]);
      expect((await loadCheckpoint(file)).step).toBe(5);
    }
  }, 120_000);
});
