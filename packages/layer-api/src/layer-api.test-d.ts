import { expectTypeOf, test } from 'vitest';
import type { Layer, Parameter, StateBuffer, TensorLike, Trainable } from './index.js';

test('Parameter pins its fields', () => {
  expectTypeOf<Parameter['name']>().toEqualTypeOf<string>();
  expectTypeOf<Parameter['shape']>().toEqualTypeOf<readonly number[]>();
  expectTypeOf<Parameter['value']>().toEqualTypeOf<Float32Array | Float64Array>();
  expectTypeOf<Parameter['grad']>().toEqualTypeOf<Float32Array | Float64Array>();
  expectTypeOf<Parameter['trainable']>().toEqualTypeOf<boolean | undefined>();
});

test('Trainable is all an optimizer needs', () => {
  expectTypeOf<Trainable['parameters']>().returns.toEqualTypeOf<readonly Parameter[]>();
  expectTypeOf<Layer>().toExtend<Trainable>();
});

test('Layer pins forward, backward, outputShape, getConfig and buffers', () => {
  expectTypeOf<Layer['forward']>().parameters.toEqualTypeOf<
    [input: TensorLike, options?: { readonly training: boolean } | undefined]
  >();
  expectTypeOf<Layer['backward']>().returns.toEqualTypeOf<TensorLike>();
  expectTypeOf<Layer['backward']>().parameters.toEqualTypeOf<
    [outputGradient: TensorLike, options?: { readonly inputGradient?: boolean } | undefined]
  >();
  expectTypeOf<Layer['outputShape']>().returns.toEqualTypeOf<number[]>();
  expectTypeOf<ReturnType<Layer['getConfig']>['className']>().toEqualTypeOf<string>();
  expectTypeOf<Layer['buffers']>().returns.toEqualTypeOf<readonly StateBuffer[]>();
});
