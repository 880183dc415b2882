import * as layerApi from '@annet/layer-api';
import { describe, expect, it } from 'vitest';
import { AnnetError, formatShape, matmul, zeros } from './index.js';

describe('the errors @annet/tensor exports', () => {
  it('are the one AnnetError class and shape format of @annet/layer-api', () => {
    expect(AnnetError).toBe(layerApi.AnnetError);
    expect(formatShape).toBe(layerApi.formatShape);
  });

  it('are thrown by ops, with shapes printed as [rows,columns]', () => {
    let thrown: unknown;
    try {
      matmul(zeros([64, 784]), zeros([128, 10]));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(layerApi.AnnetError);
    expect((thrown as AnnetError).code).toBe('SHAPE_MISMATCH');
    expect((thrown as AnnetError).message).toBe('matmul: inner dimensions differ: [64,784] x [128,10]');
  });
});
