import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AnnetError, tensor } from '@annet/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../checkpoint/encode.js';
import { sampleCheckpoint } from '../checkpoint/test-checkpoints.js';
import {
  loadCheckpoint,
  loadNpy,
  loadNpz,
  rotatedPath,
  saveCheckpoint,
  saveNpy,
  saveNpz,
  writeFileAtomic,
} from '../node.js';
import { rmSync } from 'node:fs';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'annet-serialization-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<AnnetError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected a rejection');
}

describe('rotatedPath', () => {
  it('puts the index before the extension', () => {
    expect(rotatedPath('run/model.ckpt', 0)).toBe('run/model.ckpt');
    expect(rotatedPath('run/model.ckpt', 1)).toBe(path.join('run', 'model.1.ckpt'));
    expect(rotatedPath('run/model.best.ckpt', 2)).toBe(path.join('run', 'model.best.2.ckpt'));
    expect(rotatedPath('latest', 3)).toBe('latest.3');
    expect(rotatedPath('.hidden', 1)).toBe('.hidden.1');
  });
});

describe('saveCheckpoint and loadCheckpoint', () => {
  it('save and load a checkpoint, leaving no temporary file', async () => {
    const file = path.join(folder, 'model.ckpt');
    await saveCheckpoint(file, sampleCheckpoint(3));
    expect((await loadCheckpoint(file)).step).toBe(3);
    // The file helpers may use zlib's native CRC-32; the bytes must be those of the portable encoder.
    expect(new Uint8Array(readFileSync(file))).toEqual(encodeCheckpoint(sampleCheckpoint(3)));
    expect(readdirSync(folder)).toEqual(['model.ckpt']);
  });

  it('keep the last n versions under numbered names, newest first', async () => {
    const file = path.join(folder, 'model.ckpt');
    for (let step = 1; step <= 5; step++) await saveCheckpoint(file, sampleCheckpoint(step), { keepLast: 3 });
    expect(readdirSync(folder).sort()).toEqual(['model.1.ckpt', 'model.2.ckpt', 'model.ckpt']);
    expect((await loadCheckpoint(file)).step).toBe(5);
    expect((await loadCheckpoint(path.join(folder, 'model.1.ckpt'))).step).toBe(4);
    expect((await loadCheckpoint(path.join(folder, 'model.2.ckpt'))).step).toBe(3);
    // Keeping fewer later prunes the versions beyond the new limit.
    await saveCheckpoint(file, sampleCheckpoint(6), { keepLast: 2 });
    expect(readdirSync(folder).sort()).toEqual(['model.1.ckpt', 'model.ckpt']);
    expect((await loadCheckpoint(path.join(folder, 'model.1.ckpt'))).step).toBe(5);
  });

  it('never touch numbered files when not rotating', async () => {
    const file = path.join(folder, 'model.ckpt');
    writeFileSync(path.join(folder, 'model.1.ckpt'), 'mine');
    await saveCheckpoint(file, sampleCheckpoint(1));
    await saveCheckpoint(file, sampleCheckpoint(2));
    expect(readFileSync(path.join(folder, 'model.1.ckpt'), 'utf8')).toBe('mine');
  });

  it('clean up temporary files left by a dead writer, and only those', async () => {
    const finished = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(finished.stdout);
    writeFileSync(path.join(folder, `.model.ckpt.${deadPid}-1.tmp`), 'half a checkpoint');
    writeFileSync(path.join(folder, `.model.ckpt.${process.ppid}-1.tmp`), 'a live writer');
    await saveCheckpoint(path.join(folder, 'model.ckpt'), sampleCheckpoint());
    expect(readdirSync(folder).sort()).toEqual([`.model.ckpt.${process.ppid}-1.tmp`, 'model.ckpt']);
  });

  it('report a missing file as NOT_FOUND and a corrupt one as CHECKSUM_MISMATCH, naming the path', async () => {
    const missing = await rejection(loadCheckpoint(path.join(folder, 'nope.ckpt')));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('loadCheckpoint: ');
    expect(missing.message).toContain('nope.ckpt');
    const file = path.join(folder, 'model.ckpt');
    await saveCheckpoint(file, sampleCheckpoint());
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    const corrupt = await rejection(loadCheckpoint(file));
    expect(corrupt.code).toBe('CHECKSUM_MISMATCH');
    expect(corrupt.message).toContain(`decodeCheckpoint: ${file}: data checksum mismatch`);
  });

  it('report write failures as IO_ERROR and bad options as INVALID_ARGUMENT', async () => {
    const failure = await rejection(
      saveCheckpoint(path.join(folder, 'no-such-folder', 'model.ckpt'), sampleCheckpoint()),
    );
    expect(failure.code).toBe('IO_ERROR');
    expect(failure.message).toContain('saveCheckpoint: ');
    const invalid = await rejection(writeFileAtomic(path.join(folder, 'x'), new Uint8Array(1), { keepLast: 0 }));
    expect(invalid.message).toBe('writeFileAtomic: keepLast must be a positive integer, got 0');
  });
});

describe('NPY and NPZ files', () => {
  it('save and load arrays', async () => {
    await saveNpy(
      path.join(folder, 'w.npy'),
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect((await loadNpy(path.join(folder, 'w.npy'))).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await saveNpz(path.join(folder, 'layer.npz'), {
      weights: tensor([1, 2]),
      labels: { dtype: 'uint8', shape: [2], data: new Uint8Array([3, 4]) },
    });
    const { weights, labels } = await loadNpz(path.join(folder, 'layer.npz'));
    expect(Array.from(weights.data)).toEqual([1, 2]);
    expect(Array.from(labels.data)).toEqual([3, 4]);
    expect((await rejection(loadNpy(path.join(folder, 'missing.npy')))).code).toBe('NOT_FOUND');
    writeFileSync(path.join(folder, 'bad.npy'), 'this is not a numpy file');
    expect((await rejection(loadNpy(path.join(folder, 'bad.npy')))).message).toContain(
      `decodeNpy: ${path.join(folder, 'bad.npy')}: not an NPY file`,
    );
  });
});
