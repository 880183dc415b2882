import * as layerApi from '@annet/layer-api';
import { describe, expect, it } from 'vitest';
import { AnnetError } from './annet-error.js';
import { Adam } from './optimizers/adam.js';

/** A twin of the class as another installed copy of @annet/layer-api defines it. */
class OtherPackageError extends Error {
  constructor(
    readonly code: string,
    readonly operation: string,
    detail: string,
  ) {
    super(`${operation}: ${detail}`);
    (this as unknown as Record<symbol, boolean>)[Symbol.for('annet.error')] = true;
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[Symbol.for('annet.error')] === true
    );
  }
}

describe('AnnetError', () => {
  it('builds its message from the operation and the detail, and keeps both and the code', () => {
    const error = new AnnetError('INVALID_ARGUMENT', 'Adam', 'beta1 must be in [0, 1), got 1.2');
    expect(error.message).toBe('Adam: beta1 must be in [0, 1), got 1.2');
    expect([error.name, error.code, error.operation]).toEqual(['AnnetError', 'INVALID_ARGUMENT', 'Adam']);
    expect(error).toBeInstanceOf(Error);
  });

  it('is the one class of @annet/layer-api, not a copy', () => {
    expect(AnnetError).toBe(layerApi.AnnetError);
  });

  it('is recognized by another installed copy of the class, and recognizes its errors', () => {
    let thrown: unknown;
    try {
      new Adam({ beta1: 1.2 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof OtherPackageError).toBe(true);
    expect(new OtherPackageError('SHAPE_MISMATCH', 'matmul', 'inner dimensions differ') instanceof AnnetError).toBe(
      true,
    );
    expect(new Error('plain') instanceof AnnetError).toBe(false);
  });
});
