import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeCheckpoint } from '@annet/serialization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';

let cli = '';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-train-text-'));

beforeAll(() => {
  cli = buildApp();
}, 240_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A GPT small enough for a test: one block of width 32 on the first 100,000 characters, two intervals of 20 steps. */
const tiny = [
  '--task',
  'text',
  '--chars',
  '100000',
  '--iterations',
  '40',
  '--eval-interval',
  '20',
  '--layers',
  '1',
  '--embedding',
  '32',
  '--heads',
  '2',
  '--block-size',
  '16',
  '--validation-windows',
  '24',
  '--sample-tokens',
  '20',
  '--seed',
  '3',
];

function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: scratch, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function checkpointContents(file: string) {
  const checkpoint = decodeCheckpoint(fs.readFileSync(file));
  const tensors: Record<string, number[]> = {};
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    const bytes = tensor.contiguous().data;
    tensors[name] = Array.from(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { tensors, step: checkpoint.step, epoch: checkpoint.epoch };
}

/** What must be identical between two runs (not the timings). */
function figures(folder: string) {
  const metrics = JSON.parse(fs.readFileSync(path.join(scratch, folder, 'metrics.json'), 'utf8'));
  return {
    evaluations: metrics.evaluations.map(
      ({
        step,
        trainLoss,
        validationLoss,
        validationBitsPerCharacter,
        learningRate,
        sample,
      }: Record<string, unknown>) => ({
        step,
        trainLoss,
        validationLoss,
        validationBitsPerCharacter,
        learningRate,
        sample,
      }),
    ),
    final: metrics.final,
  };
}

describe('annet-train --task text', () => {
  it('trains, reports nats and bits per character and samples, and resumes after Ctrl-C bit for bit', async () => {
    const straight = run([...tiny, '--out', 'straight', '--checkpoint', 'straight.ckpt']);
    expect(straight.stderr).toBe('');
    expect(straight.status).toBe(0);
    expect(straight.stdout).toMatch(
      /step 20: train \d\.\d{4}, validation \d\.\d{4} nats \(\d\.\d{3} bits\/char\), [\d,]+ tokens\/s/,
    );
    expect(straight.stdout).toMatch(/sample \(seed 3, temperature 0\.8, top-k 20\): "The /);
    const metrics = JSON.parse(fs.readFileSync(path.join(scratch, 'straight', 'metrics.json'), 'utf8'));
    expect(metrics.evaluations.map((entry: { step: number }) => entry.step)).toEqual([20, 40]);
    expect(metrics.final.validationBitsPerCharacter).toBeCloseTo(metrics.final.validationLoss / Math.LN2, 4);
    expect(fs.readFileSync(path.join(scratch, 'straight', 'curves.svg'), 'utf8')).toMatch(/^<svg/);

    const interrupted = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [cli, ...tiny, '--out', 'interrupted', '--checkpoint', 'interrupted.ckpt'],
        { cwd: scratch },
      );
      let stdout = '';
      let stderr = '';
      let signalled = false;
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // After the first validation: training stops inside the second interval. Once only (a second Ctrl-C exits at once).
        if (!signalled && stdout.includes('step 20: train')) {
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
    const saved = checkpointContents(path.join(scratch, 'interrupted.ckpt'));
    expect(saved.step).toBeGreaterThan(20);
    expect(saved.step).toBeLessThan(40);
    const resumed = run([
      ...tiny,
      '--out',
      'resumed',
      '--checkpoint',
      'interrupted.ckpt',
      '--resume',
      'interrupted.ckpt',
    ]);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(checkpointContents(path.join(scratch, 'interrupted.ckpt'))).toEqual(
      checkpointContents(path.join(scratch, 'straight.ckpt')),
    );
    expect(figures('resumed')).toEqual(figures('straight'));

    // A checkpoint of another vocabulary (another slice of the corpus) is refused, naming both sizes.
    const otherVocabulary = run([
      ...tiny.map((value) => (value === '100000' ? '5000' : value)),
      '--out',
      'other',
      '--resume',
      'straight.ckpt',
    ]);
    expect(otherVocabulary.status).toBe(1);
    expect(otherVocabulary.stderr).toMatch(
      /^annet-train: --resume straight\.ckpt: the checkpoint was trained on a vocabulary of \d+ characters, this run's text has \d+.*resume with the same --chars/,
    );
  }, 300_000);

  it.each([
    [
      ['--prompt', 'Snow ☃'],
      'annet-train: --prompt has characters outside the vocabulary of the corpus: "☃"; use only characters of the training text (see annet-train --help)',
    ],
    [
      ['--prompt', 'x'.repeat(17)],
      'annet-train: --prompt has 17 characters but the model reads at most 16 (its block size); shorten it or raise --block-size (see annet-train --help)',
    ],
    [['--top-k', '0'], 'annet-train: --top-k must be an integer from 1 to 1000000; got "0" (see annet-train --help)'],
    [
      ['--iterations', '30'],
      'annet-train: --iterations 30 must be a multiple of --eval-interval 20 (validations and checkpoints fall on interval boundaries) (see annet-train --help)',
    ],
  ])('refuses %j with exit code 2 and one line on stderr', (args, message) => {
    const result = run([...tiny, ...args, '--out', 'refused']);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.status).toBe(2);
  });
});
