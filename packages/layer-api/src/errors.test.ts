import { describe, expect, it } from 'vitest';
import { AnnetError, formatShape } from './errors.js';

describe('AnnetError', () => {
  it('builds its message from the operation and the detail, and keeps both, the code and a cause', () => {
    const cause = new Error('disk full');
    const error = new AnnetError('IO_ERROR', 'saveCheckpoint', 'cannot write run.ckpt', { cause });
    expect(error.message).toBe('saveCheckpoint: cannot write run.ckpt');
    expect([error.name, error.code, error.operation, error.cause]).toEqual([
      'AnnetError',
      'IO_ERROR',
      'saveCheckpoint',
      cause,
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AnnetError);
  });

  it('recognizes the errors of another installed copy of this package by its brand, and nothing else', () => {
    const twin = Object.assign(new Error('matmul: inner dimensions differ'), { [Symbol.for('annet.error')]: true });
    expect(twin instanceof AnnetError).toBe(true);
    expect(new Error('plain') instanceof AnnetError).toBe(false);
    expect(Object.assign(new Error('fake'), { name: 'AnnetError', code: 'SHAPE_MISMATCH' }) instanceof AnnetError).toBe(
      false,
    );
    expect(AnnetError[Symbol.hasInstance](null)).toBe(false);
  });
});

describe('formatShape', () => {
  it('prints brackets and commas without spaces, and [] for a scalar', () => {
    expect(formatShape([64, 784])).toBe('[64,784]');
    expect(formatShape([7])).toBe('[7]');
    expect(formatShape([])).toBe('[]');
  });
});
