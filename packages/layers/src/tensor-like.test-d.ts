import type { Layer, TensorLike } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import { expectTypeOf, test } from 'vitest';
import type { BaseLayer } from './base-layer.js';
import type { LayerParameter } from './layer-parameter.js';

test("@annet/tensor's Tensor satisfies the structural TensorLike of @annet/layer-api", () => {
  expectTypeOf<Tensor>().toExtend<TensorLike>();
  expectTypeOf<Tensor<'float32'>>().toExtend<TensorLike>();
  expectTypeOf<Tensor<'float64'>>().toExtend<TensorLike>();
  expectTypeOf<Tensor<'int32'>>().toExtend<TensorLike>();
});

test('every annet layer is a Layer<Tensor> of the contract', () => {
  expectTypeOf<BaseLayer>().toExtend<Layer<Tensor>>();
  expectTypeOf<LayerParameter['value']>().toEqualTypeOf<Float32Array | Float64Array>();
});
