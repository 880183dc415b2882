import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeCheckpoint } from '@annet/serialization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';
import { writeMnistFolder } from './idx-fixtures.js';

let cli = '';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-train-cli-'));
const scratchRoot = scratch;
const data = path.join(scratch, 'mnist');

beforeAll(() => {
  cli = buildApp();
  writeMnistFolder(data, 30, 10);
}, 240_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function run(args: readonly string[]) {
  // A bound on every run: a hang fails the test (status null) instead of stalling the suite.
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: scratch, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function digest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readMetrics(folder: string) {
  return JSON.parse(fs.readFileSync(path.join(folder, 'metrics.json'), 'utf8'));
}

function checkpointTensors(file: string) {
  const checkpoint = decodeCheckpoint(fs.readFileSync(file));
  const tensors: Record<string, number[]> = {};
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    const bytes = tensor.contiguous().data;
    tensors[name] = Array.from(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { tensors, step: checkpoint.step, epoch: checkpoint.epoch };
}

describe('annet-train, run as a command', () => {
  it('trains on a few hundred digits: the loss falls, the accuracy rises, and it writes what it says', () => {
    const out = path.join(scratch, 'short');
    // The checkpoint's folder does not exist yet: the app creates it (it once trained a whole epoch, then failed to save).
    const checkpoint = path.join(scratch, 'short-checkpoints', 'short.ckpt');
    const result = run(['--limit', '400', '--epochs', '4', '--out', out, '--checkpoint', checkpoint]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const metrics = readMetrics(out);
    expect(metrics.epochs).toHaveLength(4);
    const first = metrics.epochs[0];
    const last = metrics.epochs[3];
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.validationAccuracy).toBeGreaterThan(first.validationAccuracy);
    expect(last.validationAccuracy).toBeGreaterThan(0.6);
    expect(metrics.data).toMatchObject({ train: 400, validation: 2000, test: null });
    expect(metrics.validation.confusionMatrix.flat().reduce((sum: number, count: number) => sum + count, 0)).toBe(2000);
    expect(fs.readFileSync(path.join(out, 'curves.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    expect(result.stdout).toMatch(/^Epoch 1\/4  400\/400  loss /m);
    expect(result.stdout).toContain('Summary');
    expect(result.stdout).toContain('Confusion matrix (validation; rows: true digit, columns: predicted digit)');
    expect(result.stdout).toContain(path.join(out, 'metrics.json'));
    expect(checkpointTensors(checkpoint).epoch).toBe(4);
  });

  it('trains bit-identically with --threads 2 (large matrix products split across two threads)', () => {
    const trained = (threads: string) => {
      const checkpoint = path.join(scratch, `threads-${threads}.ckpt`);
      const result = run([
        '--limit',
        '300',
        '--epochs',
        '1',
        '--batch-size',
        '64',
        '--threads',
        threads,
        '--out',
        path.join(scratch, `threads-${threads}`),
        '--checkpoint',
        checkpoint,
      ]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return { stdout: result.stdout, checkpoint: checkpointTensors(checkpoint) };
    };
    const one = trained('1');
    const two = trained('2');
    expect(two.stdout).toContain(', 2 threads');
    expect(two.checkpoint).toEqual(one.checkpoint);
  }, 240_000); // two trainings; with every package testing at once on two cores, two kernel threads wait on each other

  it('reads IDX files with --data and reports t10k test accuracy', () => {
    const out = path.join(scratch, 'idx');
    const result = run(['--data', data, '--epochs', '3', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const metrics = readMetrics(out);
    expect(metrics.data).toMatchObject({ train: 300, validation: 100, test: 100, validationIsTest: true });
    expect(metrics.test.accuracy).toBeGreaterThan(0.5);
    expect(result.stdout).toMatch(/Test \(t10k\): loss \d\.\d{4}  accuracy \d+\.\d\d%/);
  });

  // The graph model (residual blocks with BatchNorm) goes through the same training loop as the Sequential MLP.
  it.each([
    ['mlp', ['--limit', '2000', '--epochs', '3', '--seed', '7'], 63],
    // 300 fixture digits (10 steps of 32 per epoch) and 100 for validation keep the convolutional run short.
    ['resnet', ['--model', 'resnet', '--data', data, '--batch-size', '32', '--epochs', '3', '--seed', '7'], 10],
  ] as const)(
    'resumes mid-epoch after Ctrl-C and ends bit-identical to an uninterrupted run (%s)',
    async (name, args, stepsPerEpoch) => {
      const scratch = path.join(scratchRoot, name);
      fs.mkdirSync(scratch, { recursive: true });
      const straight = run([
        ...args,
        '--out',
        path.join(scratch, 'straight'),
        '--checkpoint',
        path.join(scratch, 'straight.ckpt'),
      ]);
      expect(straight.status).toBe(0);
      const interruptedFile = path.join(scratch, 'interrupted.ckpt');
      // Interrupt as soon as the first epoch is reported: training stops within the second epoch.
      const interrupted = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [cli, ...args, '--out', path.join(scratch, 'interrupted'), '--checkpoint', interruptedFile],
          { cwd: scratch },
        );
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        let signalled = false;
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (!signalled && stdout.includes('Epoch 1/3')) {
            // Once: a second Ctrl-C would end the process at once (exit code 130).
            signalled = true;
            child.kill('SIGINT');
          }
        });
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      // Exit code 130 (as a shell reports a Ctrl-C), and the last line says where the checkpoint is.
      expect(interrupted.status).toBe(130);
      expect(interrupted.stdout).toMatch(/Stopped early: interrupted at step \d+ \(epoch 2, batch \d+\)/);
      expect(interrupted.stderr).toMatch(
        new RegExp(
          `^annet-train: interrupted at step \\d+; checkpoint saved to ${interruptedFile.replaceAll('.', '\\.')} \\(mid-epoch 2, step \\d+\\); continue with --resume ${interruptedFile.replaceAll('.', '\\.')} and the same flags\n$`,
        ),
      );
      const saved = checkpointTensors(interruptedFile);
      expect(saved.epoch).toBe(1);
      expect(saved.step).toBeGreaterThan(stepsPerEpoch);
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
      expect(checkpointTensors(interruptedFile)).toEqual(checkpointTensors(path.join(scratch, 'straight.ckpt')));
      const figures = (folder: string) =>
        readMetrics(path.join(scratch, folder)).epochs.map(
          ({ loss, accuracy, validationLoss, validationAccuracy }: Record<string, number>) => ({
            loss,
            accuracy,
            validationLoss,
            validationAccuracy,
          }),
        );
      expect(figures('resumed')).toEqual(figures('straight'));
    },
    240_000,
  );

  it.each([
    [
      ['--epochs', '-1'],
      2,
      'annet-train: --epochs must be an integer from 1 to 100000; got "-1" (see annet-train --help)',
    ],
    [
      ['--epochs', 'ten'],
      2,
      'annet-train: --epochs must be an integer from 1 to 100000; got "ten" (see annet-train --help)',
    ],
    [['--frobnicate'], 2, 'annet-train: unknown flag --frobnicate (see annet-train --help)'],
    [['--model', 'rnn'], 2, 'annet-train: --model must be one of mlp, cnn, resnet; got "rnn" (see annet-train --help)'],
    [['--data', 'no-such-folder'], 1, 'annet-train: --data no-such-folder: no such folder'],
    [['--resume', 'missing.ckpt'], 1, 'annet-train: --resume missing.ckpt: no such file'],
  ])('rejects %j with exit code %i and one line on stderr', (args, status, message) => {
    const result = run(args);
    expect(result.status).toBe(status);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });

  it('reports a corrupt or missing IDX file by name', () => {
    const broken = path.join(scratch, 'broken');
    writeMnistFolder(broken, 2, 1);
    fs.writeFileSync(path.join(broken, 't10k-labels-idx1-ubyte'), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const corrupt = run(['--data', broken]);
    expect(corrupt.status).toBe(1);
    expect(corrupt.stderr).toMatch(/^annet-train: .*t10k-labels-idx1-ubyte.*bad magic number/);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    fs.rmSync(path.join(broken, 't10k-labels-idx1-ubyte'));
    const missing = run(['--data', broken]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(
      /^annet-train: --data .*broken: missing t10k-labels-idx1-ubyte \(or t10k-labels-idx1-ubyte\.gz\)/,
    );
  });

  it('refuses an unwritable output folder before training, writing nothing', () => {
    const file = path.join(scratch, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const result = run(['--out', path.join(file, 'run')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `annet-train: --out ${path.join(file, 'run')}: ${file} is a file, so the folder cannot be created\n`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('refuses to resume a checkpoint of another architecture, leaving every file as it was', () => {
    const checkpoint = path.join(scratch, 'mlp.ckpt');
    expect(
      run(['--limit', '100', '--epochs', '1', '--out', path.join(scratch, 'mlp-run'), '--checkpoint', checkpoint])
        .status,
    ).toBe(0);
    const before = digest(checkpoint);
    const out = path.join(scratch, 'never-written');
    const result = run([
      '--model',
      'cnn',
      '--limit',
      '100',
      '--epochs',
      '1',
      '--resume',
      checkpoint,
      '--checkpoint',
      checkpoint,
      '--out',
      out,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^annet-train: --resume .*mlp\.ckpt: the checkpoint holds a different architecture than --model builds \(.+\); pass the --model it was trained with\n$/,
    );
    expect(digest(checkpoint)).toBe(before);
    expect(fs.existsSync(out)).toBe(false);
    // Another seed would split the digits differently: refused before training, naming the flag.
    const reseeded = run([
      '--limit',
      '100',
      '--epochs',
      '1',
      '--seed',
      '7',
      '--resume',
      checkpoint,
      '--checkpoint',
      checkpoint,
      '--out',
      out,
    ]);
    expect(reseeded.status).toBe(1);
    expect(reseeded.stderr).toBe(
      `annet-train: --resume ${checkpoint}: the checkpoint was trained with --seed 42, not 7; pass the same --seed\n`,
    );
    expect(digest(checkpoint)).toBe(before);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('prints its help with exit code 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: annet-train \[flags\]/);
    for (const flag of [
      '--model',
      '--epochs',
      '--batch-size',
      '--optimizer',
      '--lr',
      '--schedule',
      '--seed',
      '--limit',
      '--data',
      '--checkpoint',
      '--resume',
      '--out',
      '--overwrite',
      '--allow-nonfinite',
      '--help',
    ])
      expect(result.stdout).toContain(flag);
    expect(result.stdout).toContain('3 training diverged (the loss became NaN or infinite); 130 interrupted by Ctrl-C');
  });
});
