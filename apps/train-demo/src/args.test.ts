import { describe, expect, it } from 'vitest';
import { parseCliArguments } from './args.js';
import { UsageError } from './errors.js';
import { resolveSettings } from './settings.js';

describe('parseCliArguments', () => {
  it('fills the defaults of each model', () => {
    expect(resolveSettings(parseCliArguments([]))).toEqual({
      model: 'mlp',
      epochs: 15,
      batchSize: 32,
      optimizer: 'adamw',
      learningRate: 2e-3,
      schedule: 'cosine',
      seed: 42,
      limit: null,
      shift: 2,
      data: null,
    });
    const cnn = resolveSettings(parseCliArguments(['--model', 'cnn', '--optimizer', 'momentum']));
    expect([cnn.epochs, cnn.batchSize, cnn.learningRate]).toEqual([12, 64, 0.05]);
  });
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const options = parseCliArguments([
      '--model=cnn',
      '--epochs',
      '3',
      '--batch-size',
      '16',
      '--optimizer',
      'rmsprop',
      '--lr',
      '1e-4',
      '--schedule',
      'onecycle',
      '--seed',
      '0',
      '--limit',
      '500',
      '--shift',
      '0',
      '--data',
      'd',
      '--checkpoint',
      'c.ckpt',
      '--resume',
      'r.ckpt',
      '--out',
      'o',
      '--threads',
      '2',
    ]);
    expect(options).toMatchObject({
      model: 'cnn',
      epochs: 3,
      batchSize: 16,
      optimizer: 'rmsprop',
      learningRate: 1e-4,
      schedule: 'onecycle',
      seed: 0,
      limit: 500,
      shift: 0,
      data: 'd',
      checkpoint: 'c.ckpt',
      resume: 'r.ckpt',
      out: 'o',
      threads: 2,
    });
    expect(parseCliArguments([]).threads).toBe(1);
    expect(parseCliArguments(['--overwrite', '--allow-nonfinite'])).toMatchObject({
      overwrite: true,
      allowNonFinite: true,
    });
    expect(parseCliArguments([])).toMatchObject({ overwrite: false, allowNonFinite: false });
  });
  it('ignores one leading -- (as `pnpm demo -- --epochs 3` passes it)', () => {
    expect(parseCliArguments(['--', '--epochs', '3']).epochs).toBe(3);
  });
  it.each([
    [['--bogus'], 'unknown flag --bogus'],
    [['--epochs', '0'], '--epochs must be an integer from 1 to 100000; got "0"'],
    [['--threads', '0'], '--threads must be an integer from 1 to 64; got "0"'],
    [['--epochs', '2.5'], '--epochs must be an integer from 1 to 100000; got "2.5"'],
    [['--lr', 'fast'], '--lr must be a positive number such as 0.001 or 1e-3; got "fast"'],
    [
      ['--optimizer', 'lbfgs'],
      '--optimizer must be one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad; got "lbfgs"',
    ],
    [['--schedule', 'linear'], '--schedule must be one of constant, cosine, step, onecycle; got "linear"'],
    [['--seed', '-1'], '--seed must be an integer from 0 to 9007199254740991; got "-1"'],
    [['--epochs', '-1'], '--epochs must be an integer from 1 to 100000; got "-1"'],
    [['--lr', '-0.5'], '--lr must be a positive number such as 0.001 or 1e-3; got "-0.5"'],
    [['--out', '-x'], '--out needs a value'],
    [['--seed=-1'], '--seed must be an integer from 0 to 9007199254740991; got "-1"'],
    [['--out'], '--out needs a value'],
    [['train'], 'unexpected argument "train"; every setting is a --flag'],
  ])('rejects %j with a usage error naming the flag', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(UsageError);
    expect(() => parseCliArguments(argv)).toThrow(message);
  });
});

describe('--task', () => {
  it('defaults to mnist and takes tag, refusing the MNIST-only flags with it', () => {
    expect(parseCliArguments([]).task).toBe('mnist');
    expect(parseCliArguments(['--task', 'tag', '--epochs', '2']).task).toBe('tag');
    expect(() => parseCliArguments(['--task', 'tag', '--shift', '1'])).toThrow(
      '--shift is a flag of the MNIST task; --task tag does not take it',
    );
    expect(() => parseCliArguments(['--task', 'tag', '--data', 'd'])).toThrow(UsageError);
    expect(() => parseCliArguments(['--task', 'poetry'])).toThrow(
      '--task must be one of mnist, tag, text; got "poetry"',
    );
  });
});
