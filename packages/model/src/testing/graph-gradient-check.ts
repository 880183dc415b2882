import { createRng, Tensor } from '@annet/tensor';
import type { Model } from '../graph/model.js';

/** A float64 tensor of seeded normal samples. */
export function normalTensor(shape: readonly number[], seed: number, scale = 1): Tensor<'float64'> {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return new Tensor(
    Float64Array.from({ length: size }, () => rng.normal(0, scale)),
    shape,
  );
}

/**
 * Central differences of a whole graph against its backward, in float64: the scalar is
 * L = Σ_outputs Σ yₖ·pₖ with fixed random projections pₖ, so dL/dyₖ = pₖ is what backward gets.
 * Returns, for every input and parameter, max |analytic − numeric| / max(‖analytic‖∞, ‖numeric‖∞)
 * and ‖analytic‖∞ (to spot a vacuous check). Stateful layers (Dropout) are reset to their state
 * before each evaluation, so every forward draws the same masks.
 */
export function checkGraphGradients(
  model: Model,
  inputs: Record<string, Tensor>,
  options: { training?: boolean; epsilon?: number } = {},
): { name: string; relativeError: number; largest: number }[] {
  const training = options.training ?? true;
  const epsilon = options.epsilon ?? 1e-5;
  const states = model.layers.map((layer) => layer.getState?.());
  const buffers = model.buffers().map((buffer) => buffer.value.slice());
  const reset = () => {
    model.layers.forEach((layer, index) => states[index] !== undefined && layer.setState?.(states[index]!));
    model.buffers().forEach((buffer, index) => buffer.value.set(buffers[index]));
  };
  reset();
  const first = model.forward(inputs, { training });
  const projections = model.outputNames.map((name, index) => normalTensor(first[name].shape, 900 + index));
  const loss = () => {
    reset();
    const outputs = model.forward(inputs, { training });
    let sum = 0;
    model.outputNames.forEach((name, index) => {
      const y = outputs[name].contiguous();
      for (let element = 0; element < y.size; element++)
        sum += (y.data[y.offset + element] as number) * projections[index].data[element];
    });
    return sum;
  };
  reset();
  model.forward(inputs, { training });
  const inputGradients = model.backward(projections, { inputGradients: true });
  const checked: { name: string; analytic: Float64Array; values: Float64Array | Float32Array }[] = [
    ...Object.entries(inputs).map(([name, tensor]) => ({
      name: `input ${name}`,
      analytic: Float64Array.from(inputGradients[name].contiguous(true).data as Float64Array),
      values: tensor.data as Float64Array,
    })),
    ...model.parameters().map((parameter) => ({
      name: parameter.name,
      analytic: Float64Array.from(parameter.grad),
      values: parameter.value,
    })),
  ];
  return checked.map(({ name, analytic, values }) => {
    let difference = 0;
    let scale = 0;
    let largest = 0;
    for (let index = 0; index < values.length; index++) {
      const original = values[index];
      values[index] = original + epsilon;
      const plus = loss();
      values[index] = original - epsilon;
      const minus = loss();
      values[index] = original;
      const numeric = (plus - minus) / (2 * epsilon);
      difference = Math.max(difference, Math.abs(numeric - analytic[index]));
      scale = Math.max(scale, Math.abs(numeric), Math.abs(analytic[index]));
      largest = Math.max(largest, Math.abs(analytic[index]));
    }
    return { name, relativeError: scale === 0 ? difference : difference / scale, largest };
  });
}
