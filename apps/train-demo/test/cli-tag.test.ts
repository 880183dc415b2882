import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeCheckpoint } from '@annet/serialization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';

let cli = '';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-train-tag-'));
// 240 training sentences in batches of 16 (15 steps per epoch), 60 of each held-out part: a run takes seconds.
const tagArgs = (limit: number) => [
  '--task',
  'tag',
  '--limit',
  String(limit),
  '--batch-size',
  '16',
  '--epochs',
  '2',
  '--seed',
  '5',
];
const args = tagArgs(240);

beforeAll(() => {
  cli = buildApp();
}, 240_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function run(extra: readonly string[]) {
  const result = spawnSync(process.execPath, [cli, ...extra], { cwd: scratch, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function checkpointBytes(file: string) {
  const checkpoint = decodeCheckpoint(fs.readFileSync(file));
  const tensors: Record<string, string> = {};
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    const data = tensor.contiguous().data;
    tensors[name] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  }
  return { tensors, step: checkpoint.step, epoch: checkpoint.epoch };
}

describe('annet-train --task tag', () => {
  it('trains, reports accuracy beside the baseline and the confused tags, and resumes bit for bit after Ctrl-C', async () => {
    const straight = run([
      ...args,
      '--out',
      path.join(scratch, 'straight'),
      '--checkpoint',
      path.join(scratch, 'straight.ckpt'),
    ]);
    expect(straight.stderr).toBe('');
    expect(straight.status).toBe(0);
    expect(straight.stdout).toMatch(/^annet-train: BiLSTM tagger .* on the Brown corpus/);
    expect(straight.stdout).toMatch(/^test +50 +[\d,]+ +\d+\.\d\d% +\d+\.\d\d%/m);
    expect(straight.stdout).toContain('Most confused tags (test; true tag → predicted tag)');
    const metrics = JSON.parse(fs.readFileSync(path.join(scratch, 'straight', 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({
      task: 'tag',
      data: {
        documents: { train: 400, validation: 50, test: 50 },
        sentences: { train: 240, validation: 60, test: 60 },
      },
    });
    expect(metrics.epochs).toHaveLength(2);
    expect(metrics.test.baselineAccuracy).toBeGreaterThan(0.5);
    expect(metrics.test.mostConfused.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(scratch, 'straight', 'curves.svg'), 'utf8')).toMatch(/^<svg/);
    // The checkpoint records the vocabularies, so it describes its own ids.
    const recorded = decodeCheckpoint(fs.readFileSync(path.join(scratch, 'straight.ckpt'))).extra?.fit as {
      runSettings: {
        task: string;
        vocabulary: { words: { tokenizer: string; tokens: string[] }; tags: { tokens: string[] } };
      };
    };
    expect(recorded.runSettings.task).toBe('tag');
    expect(recorded.runSettings.vocabulary.words.tokenizer).toBe('word');
    expect(recorded.runSettings.vocabulary.tags.tokens).toContain('nn');

    const interruptedFile = path.join(scratch, 'interrupted.ckpt');
    const interrupted = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [cli, ...args, '--out', path.join(scratch, 'interrupted'), '--checkpoint', interruptedFile],
        { cwd: scratch },
      );
      let stdout = '';
      let stderr = '';
      let signalled = false;
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!signalled && stdout.includes('Epoch 1/2')) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(interrupted.status).toBe(130);
    expect(interrupted.stderr).toMatch(
      /^annet-train: interrupted at step \d+; checkpoint saved to .*interrupted\.ckpt \(mid-epoch 2, step \d+\); continue with --resume/,
    );
    const saved = checkpointBytes(interruptedFile);
    expect(saved.epoch).toBe(1);
    expect(saved.step).toBeGreaterThan(15);
    expect(saved.step).toBeLessThan(30);
    const resumed = run([
      ...args,
      '--out',
      path.join(scratch, 'resumed'),
      '--checkpoint',
      interruptedFile,
      '--resume',
      interruptedFile,
    ]);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(checkpointBytes(interruptedFile)).toEqual(checkpointBytes(path.join(scratch, 'straight.ckpt')));
    const figures = (folder: string) => {
      const report = JSON.parse(fs.readFileSync(path.join(scratch, folder, 'metrics.json'), 'utf8'));
      return {
        epochs: report.epochs.map(({ loss, accuracy, validationLoss, validationAccuracy }: Record<string, number>) => ({
          loss,
          accuracy,
          validationLoss,
          validationAccuracy,
        })),
        test: report.test,
      };
    };
    expect(figures('resumed')).toEqual(figures('straight'));

    // Another --limit makes other vocabularies; a checkpoint of the MNIST task is refused by task.
    const other = run([
      ...tagArgs(200),
      '--resume',
      path.join(scratch, 'straight.ckpt'),
      '--out',
      path.join(scratch, 'other'),
    ]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(
      /^annet-train: --resume .*straight\.ckpt: the checkpoint was trained with --limit 240, not --limit 200; pass the same --limit\n$/,
    );
    expect(fs.existsSync(path.join(scratch, 'other'))).toBe(false);
    const mnist = run([
      '--limit',
      '100',
      '--epochs',
      '1',
      '--out',
      path.join(scratch, 'mnist'),
      '--checkpoint',
      path.join(scratch, 'mnist.ckpt'),
    ]);
    expect(mnist.status).toBe(0);
    const crossed = run([
      ...args,
      '--resume',
      path.join(scratch, 'mnist.ckpt'),
      '--out',
      path.join(scratch, 'crossed'),
    ]);
    expect(crossed.status).toBe(1);
    expect(crossed.stderr).toBe(
      `annet-train: --resume ${path.join(scratch, 'mnist.ckpt')}: the checkpoint is of the mnist task, not --task tag; pass --task mnist\n`,
    );
  }, 600_000);

  it('refuses the MNIST-only flags', () => {
    const result = run(['--task', 'tag', '--model', 'cnn']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'annet-train: --model is a flag of the MNIST task; --task tag does not take it (see annet-train --help)\n',
    );
  });
});
