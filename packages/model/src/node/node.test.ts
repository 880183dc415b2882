import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dense } from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { loadCheckpoint } from '@annet/serialization/node';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { CSVLogger } from './csv-logger.js';
import { expandTemplate, fileCheckpointStore } from './file-checkpoint-store.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-model-node-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
const data = blobs(48, { seed: 6 });

async function fit(
  callbacks: (ModelCheckpoint | CSVLogger)[],
  epochs: number,
  resumeFrom?: Awaited<ReturnType<typeof loadCheckpoint>>,
) {
  const model = new Sequential([new Dense(4, 3)]).initialize(3);
  return model.fit(data, {
    optimizer: new SGD({ learningRate: 0.1 }),
    loss: 'softmaxCrossEntropy',
    epochs,
    batchSize: 16,
    metrics: ['accuracy'],
    callbacks,
    resumeFrom,
  });
}

describe('fileCheckpointStore', () => {
  it('expands {epoch} and {step}, padded on request', () => {
    expect(expandTemplate('run/e{epoch:03}-s{step}.ckpt', { epoch: 7, step: 21, trigger: 'epoch' })).toBe(
      'run/e007-s21.ckpt',
    );
  });
  it('writes loadable checkpoint files into a folder it creates, and removes the ones keepLast drops', async () => {
    const template = path.join(folder, 'keep', 'epoch-{epoch}.ckpt');
    await fit([new ModelCheckpoint({ store: fileCheckpointStore(template), keepLast: 2 })], 4);
    expect(fs.readdirSync(path.dirname(template)).sort()).toEqual(['epoch-3.ckpt', 'epoch-4.ckpt']);
    const checkpoint = await loadCheckpoint(path.join(folder, 'keep', 'epoch-4.ckpt'));
    expect(checkpoint.epoch).toBe(4);
    expect(checkpoint.step).toBe(12);
  });
});

describe('CSVLogger', () => {
  it('writes a header and one row per epoch', async () => {
    const file = path.join(folder, 'log.csv');
    await fit([new CSVLogger(file)], 2);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,accuracy,learningRate,seconds,samplesPerSecond');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^2,\d\.\d+,\d(\.\d+)?,0\.1,/);
  });
  it('continues the file of a resumed run, dropping rows written after the checkpoint', async () => {
    const file = path.join(folder, 'resumed.csv');
    const checkpointFile = path.join(folder, 'resume-{epoch}.ckpt');
    await fit([new CSVLogger(file), new ModelCheckpoint({ store: fileCheckpointStore(checkpointFile) })], 3);
    const full = fs.readFileSync(file, 'utf8').trim().split('\n');
    // Resume from the end of epoch 1: the file first shrinks to header + 1 row, then gains epochs 2 and 3.
    await fit([new CSVLogger(file)], 3, await loadCheckpoint(path.join(folder, 'resume-1.ckpt')));
    const resumed = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(resumed.map((line) => line.split(',').slice(0, 3).join(','))).toEqual(
      full.map((line) => line.split(',').slice(0, 3).join(',')),
    );
  });
});
