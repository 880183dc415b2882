import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeCheckpoint, encodeCheckpoint } from '@annet/serialization';
import { Tensor } from '@annet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';

let cli = '';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-train-resume-'));
// One short run's checkpoint (one epoch of two) that the tests below copy and tamper with; the
// constant schedule lets the resumed runs ask for the second epoch.
const trained = path.join(scratch, 'trained.ckpt');
const base = ['--limit', '100', '--epochs', '2', '--schedule', 'constant'];

beforeAll(() => {
  cli = buildApp();
  const result = run([...base, '--epochs', '1', '--out', path.join(scratch, 'first'), '--checkpoint', trained]);
  expect(result.stderr).toBe('');
}, 240_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: scratch, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function digest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A copy of the trained checkpoint under `name`, with `change` applied to its tensors (checksums stay valid). */
function tampered(name: string, change: (tensors: Record<string, Tensor>) => void): string {
  const checkpoint = decodeCheckpoint(fs.readFileSync(trained));
  const tensors = { ...checkpoint.tensors };
  change(tensors);
  const file = path.join(scratch, name);
  fs.writeFileSync(file, encodeCheckpoint({ ...checkpoint, tensors }));
  return file;
}

function copy(name: string): string {
  const file = path.join(scratch, name);
  fs.copyFileSync(trained, file);
  return file;
}

describe('annet-train refuses to replace or continue the wrong run', () => {
  it('refuses a fresh run onto an existing checkpoint unless --overwrite (issue 21 item 7)', () => {
    const file = copy('other-run.ckpt');
    const before = digest(file);
    const out = path.join(scratch, 'refused-out');
    const refused = run([...base, '--out', out, '--checkpoint', file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `annet-train: --checkpoint ${file}: a checkpoint (epoch 1, step 4) is already there; pass --resume ${file} to continue that run, --overwrite to replace it, or another path\n`,
    );
    expect(digest(file)).toBe(before);
    expect(fs.existsSync(out)).toBe(false);
    const replaced = run([...base, '--out', out, '--checkpoint', file, '--overwrite']);
    expect(replaced.status).toBe(0);
    expect(decodeCheckpoint(fs.readFileSync(file)).epoch).toBe(2);
  });

  it('records --shift, --limit and --data and refuses a resume with another value (issue 21 item 4)', () => {
    const file = copy('shift.ckpt');
    const before = digest(file);
    const shifted = run([
      ...base,
      '--shift',
      '0',
      '--resume',
      file,
      '--checkpoint',
      file,
      '--out',
      path.join(scratch, 'shift-out'),
    ]);
    expect(shifted.status).toBe(1);
    expect(shifted.stderr).toBe(
      `annet-train: --resume ${file}: the checkpoint was trained with --shift 2, not --shift 0; pass the same --shift\n`,
    );
    expect(shifted.stdout).toBe('');
    expect(digest(file)).toBe(before);
    expect(decodeCheckpoint(fs.readFileSync(file)).extra?.fit).toMatchObject({
      runSettings: { shift: 2, limit: 100, data: null },
    });
    const resumed = run([...base, '--resume', file, '--checkpoint', file, '--out', path.join(scratch, 'shift-ok')]);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
  });

  it('refuses a checkpoint whose biases are int32 bit patterns, naming the tensor (issue 21 item 3)', () => {
    const file = tampered('int32.ckpt', (tensors) => {
      const biases = tensors['model.dense_1.biases'].contiguous();
      tensors['model.dense_1.biases'] = new Tensor(
        new Int32Array((biases.data as Float32Array).slice().buffer),
        biases.shape,
      );
    });
    const result = run([...base, '--resume', file, '--out', path.join(scratch, 'int32-out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^annet-train: --resume ${file.replaceAll('.', '\\.')}: .*dense_1\\.biases is int32 in the checkpoint, float32 in the model\\n$`,
      ),
    );
    expect(fs.existsSync(path.join(scratch, 'int32-out'))).toBe(false);
  });

  it('refuses NaN weights on resume unless --allow-nonfinite (issue 21 item 6)', () => {
    const file = tampered('nan.ckpt', (tensors) => {
      const weights = (tensors['model.dense_2.weights'].contiguous().data as Float32Array).slice();
      weights[0] = Number.NaN;
      tensors['model.dense_2.weights'] = new Tensor(weights, tensors['model.dense_2.weights'].shape);
    });
    const refused = run([...base, '--resume', file, '--out', path.join(scratch, 'nan-out')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `annet-train: --resume ${file}: the checkpoint holds NaN or infinite values in model.dense_2.weights (a diverged run); resume from an earlier checkpoint, or pass --allow-nonfinite to continue anyway\n`,
    );
    // Forced, it trains on, and the NaN makes the loss NaN at once: a diverged run.
    const forced = run([...base, '--resume', file, '--allow-nonfinite', '--out', path.join(scratch, 'nan-forced')]);
    expect(forced.status).toBe(3);
  });

  it('exits 3 when the loss diverges, and lists only checkpoints it wrote (issue 21 item 6)', () => {
    const file = copy('diverged.ckpt');
    const before = digest(file);
    const result = run([
      '--limit',
      '200',
      '--epochs',
      '2',
      '--optimizer',
      'sgd',
      '--lr',
      '1000',
      '--checkpoint',
      file,
      '--overwrite',
      '--out',
      path.join(scratch, 'diverged-out'),
    ]);
    expect(result.status).toBe(3);
    expect(result.stdout).toMatch(/Stopped early: loss became (NaN|Infinity|-Infinity) at step \d+/m);
    expect(result.stderr).toMatch(
      new RegExp(
        `^annet-train: training diverged: the loss became non-finite at step \\d+; ${file.replaceAll('.', '\\.')} was not written by this run; try a lower --lr\\n$`,
      ),
    );
    // The old checkpoint is untouched and the "Wrote" list does not claim it.
    expect(digest(file)).toBe(before);
    const wrote = result.stdout.slice(result.stdout.indexOf('Wrote'));
    expect(wrote).toContain('metrics.json');
    expect(wrote).not.toContain(file);
  });
});
