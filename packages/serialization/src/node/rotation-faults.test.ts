import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../checkpoint/encode.js';
import { sampleCheckpoint } from '../checkpoint/test-checkpoints.js';
import { writeFileAtomicWith } from './atomic-write.js';
import { nodeFileOperations, type FileOperations } from './file-operations.js';
import { loadCheckpoint } from './files.js';
import { rotatedPath } from './rotation.js';

/** Thrown by the injected file operations from the moment the simulated process "dies". */
class SimulatedKill extends Error {}

/**
 * The real file operations, except that call number `killAt` (0-based, counting every call)
 * and every call after it throw without touching the disk: to the code under test and to the
 * disk, the process died right before that call (its clean-up in `catch` cannot run either).
 */
function killedAt(killAt: number, calls: string[] = []): FileOperations {
  const wrap =
    <A extends unknown[], R>(name: string, operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls.push(name);
      if (calls.length > killAt) throw new SimulatedKill(`killed before ${name} (call ${calls.length - 1})`);
      return operation(...args);
    };
  const files = nodeFileOperations;
  return {
    open: wrap('open', files.open),
    readdir: wrap('readdir', files.readdir),
    rename: wrap('rename', files.rename),
    unlink: wrap('unlink', files.unlink),
    link: wrap('link', files.link),
    copyFile: wrap('copyFile', files.copyFile),
  };
}

/** The same operations on a file system without hard links: `link` always fails (as on FAT). */
function withoutHardLinks(files: FileOperations): FileOperations {
  return {
    ...files,
    link: async () => Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' })),
  };
}

const keepLast = 3;
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'annet-rotation-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Saves steps 1…3 normally: model.ckpt = 3, model.1.ckpt = 2, model.2.ckpt = 1. */
async function threeVersions(file: string, files: FileOperations): Promise<void> {
  for (let step = 1; step <= 3; step++)
    await writeFileAtomicWith(file, encodeCheckpoint(sampleCheckpoint(step)), { keepLast }, files);
}

/** The step each kept name holds, loading each as a complete, checksum-verified checkpoint. */
async function keptSteps(file: string): Promise<number[]> {
  const steps: number[] = [];
  for (let index = 0; index < keepLast; index++) {
    const name = rotatedPath(file, index);
    expect(existsSync(name), `${path.basename(name)} is missing`).toBe(true);
    steps.push((await loadCheckpoint(name)).step);
  }
  return steps;
}

for (const [label, base] of [
  ['with hard links', nodeFileOperations],
  ['without hard links (copies)', withoutHardLinks(nodeFileOperations)],
] as const) {
  describe(`a keepLast rotation killed before any file operation (${label})`, () => {
    it('leaves every kept name holding a complete checkpoint, newest first, and the next save repairs the order', async () => {
      const file = path.join(folder, 'probe', 'model.ckpt');
      // Count the calls of one whole save, so every kill point is tried.
      const calls: string[] = [];
      await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file)));
      await threeVersions(file, base);
      const counting = killedAt(Infinity, calls);
      await writeFileAtomicWith(
        file,
        encodeCheckpoint(sampleCheckpoint(4)),
        { keepLast },
        base === nodeFileOperations ? counting : withoutHardLinks(counting),
      );
      expect(calls.length).toBeGreaterThan(6);
      for (let killAt = 0; killAt < calls.length; killAt++) {
        const run = path.join(folder, `kill-${killAt}`);
        await import('node:fs/promises').then((fs) => fs.mkdir(run));
        const target = path.join(run, 'model.ckpt');
        await threeVersions(target, base);
        const injected = killedAt(killAt);
        const files = base === nodeFileOperations ? injected : withoutHardLinks(injected);
        await expect(
          writeFileAtomicWith(target, encodeCheckpoint(sampleCheckpoint(4)), { keepLast }, files),
        ).rejects.toThrow(/killed before/);
        const steps = await keptSteps(target);
        const context = `killed before call ${killAt} (${calls[killAt]}): steps ${JSON.stringify(steps)}`;
        // Each name holds the old version or the one rotation moves into it; never an older one, never a gap.
        expect(steps[0], context).toBeGreaterThanOrEqual(3);
        expect(steps[1], context).toBeGreaterThanOrEqual(2);
        expect(steps[2], context).toBeGreaterThanOrEqual(1);
        expect(steps[0] >= steps[1] && steps[1] >= steps[2], context).toBe(true);
        // The next save (a new process: the real operations) completes the order again.
        await writeFileAtomicWith(target, encodeCheckpoint(sampleCheckpoint(5)), { keepLast }, base);
        const after = await keptSteps(target);
        expect(after[0], context).toBe(5);
        expect(after[1], context).toBe(steps[0]);
        expect(after[2], context).toBe(steps[1]);
      }
    });
  });
}

describe('a keepLast rotation that fails (without dying)', () => {
  it('cleans up its temporary links and leaves the kept names as they were or rotated', async () => {
    const file = path.join(folder, 'model.ckpt');
    await threeVersions(file, nodeFileOperations);
    let renames = 0;
    const failing: FileOperations = {
      ...nodeFileOperations,
      rename: async (from, to) => {
        if (++renames === 2) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        return nodeFileOperations.rename(from, to);
      },
    };
    await expect(
      writeFileAtomicWith(
        file,
        encodeCheckpoint(sampleCheckpoint(4)),
        { keepLast, operation: 'saveCheckpoint' },
        failing,
      ),
    ).rejects.toThrow(`saveCheckpoint: ${file}: no space left on device`);
    expect(await keptSteps(file)).toEqual([3, 2, 2]);
    expect(readdirSync(folder).sort()).toEqual(['model.1.ckpt', 'model.2.ckpt', 'model.ckpt']);
  });
});

describe('a rotation over names that are links to one file (left so by an interrupted rotation)', () => {
  it('leaves no temporary link behind, although rename(2) between two links to one file does nothing', async () => {
    const file = path.join(folder, 'model.ckpt');
    await threeVersions(file, nodeFileOperations);
    await nodeFileOperations.unlink(rotatedPath(file, 2));
    await nodeFileOperations.link(rotatedPath(file, 1), rotatedPath(file, 2));
    await writeFileAtomicWith(file, encodeCheckpoint(sampleCheckpoint(4)), { keepLast }, nodeFileOperations);
    expect(readdirSync(folder).sort()).toEqual(['model.1.ckpt', 'model.2.ckpt', 'model.ckpt']);
    expect(await keptSteps(file)).toEqual([4, 3, 2]);
  });
});
