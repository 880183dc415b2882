import { AnnetError, tensor } from '@annet/tensor';
import { Add, BatchNorm, Concatenate, Dense, Dropout, Flatten, ReLU } from '@annet/layers';
import { describe, expect, it } from 'vitest';
import { normalTensor } from '../testing/graph-gradient-check.js';
import { apply } from './apply.js';
import { Model } from './model.js';
import { input, SymbolicTensor } from './symbolic-tensor.js';

function errorOf(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected an error');
}

describe('building a graph', () => {
  it('infers shapes as layers are applied', () => {
    const image = input({ name: 'image', shape: [1, 28, 28] });
    const flat = apply(new Flatten(), image);
    expect(flat.shape).toEqual([-1, 784]);
    const hidden = apply(new Dense(784, 32), flat);
    expect(apply(new Concatenate(), [hidden, input({ name: 'extra', shape: [3] })]).shape).toEqual([-1, 35]);
  });

  it('names the layer and both shapes when a merge does not fit', () => {
    const x = input({ name: 'x', shape: [8] });
    const a = apply(new Dense(8, 64), x);
    const b = apply(new Dense(8, 32), x);
    const error = errorOf(() => apply(new Add({ name: 'add_1' }), [a, b]));
    expect(error.code).toBe('SHAPE_MISMATCH');
    expect(error.message).toContain('Add "add_1": shapes [*,64] and [*,32] do not broadcast');
    expect(() => apply(new Dense(16, 4, { name: 'head' }), a)).toThrow(/Dense "head".*64/);
  });

  it("refuses a layer whose parameters have another float dtype than its input, and keeps a parameter-free layer in its input's dtype", () => {
    const x = input({ name: 'x', shape: [4], dtype: 'float64' });
    expect(() => apply(new Dense(4, 2, { name: 'head' }), x)).toThrow(
      'Dense "head": its parameters are float32 but its input (input "x") is float64',
    );
    expect(apply(new ReLU(), x).dtype).toBe('float64');
    expect(apply(new Dense(4, 2, { dtype: 'float64' }), x).dtype).toBe('float64');
  });

  it('gives auto-named layers unique names in call order, and shared layers one name', () => {
    const x = input({ name: 'x', shape: [4] });
    const shared = new Dense(4, 4);
    const y = apply(new Add(), [apply(shared, x), apply(shared, apply(new ReLU(), apply(new Dense(4, 4), x)))]);
    const model = new Model({ inputs: x, outputs: y });
    expect(model.layers.map((layer) => layer.name)).toEqual(['dense_1', 'dense_2', 'relu_1', 'add_1']);
    expect(model.parameters().map((parameter) => parameter.name)).toEqual([
      'dense_1.weights',
      'dense_1.biases',
      'dense_2.weights',
      'dense_2.biases',
    ]);
    expect(model.getConfig().nodes).toEqual([
      { layer: 'dense_1', inputs: ['x'] },
      { layer: 'dense_2', inputs: ['x'] },
      { layer: 'relu_1', inputs: ['dense_2'] },
      { layer: 'dense_1', inputs: ['relu_1'] },
      { layer: 'add_1', inputs: ['dense_1', 'dense_1@1'] },
    ]);
    expect(model.outputNames).toEqual(['add_1']);
  });

  it('refuses a disconnected input, an input that is not listed, reused names and a non-input as input', () => {
    const a = input({ name: 'a', shape: [2] });
    const b = input({ name: 'b', shape: [2] });
    const y = apply(new Dense(2, 1), a);
    expect(errorOf(() => new Model({ inputs: [a, b], outputs: y })).message).toContain(
      'input "b" is disconnected: no output depends on it',
    );
    const both = apply(new Add(), [a, b]);
    expect(errorOf(() => new Model({ inputs: [a], outputs: both })).message).toContain(
      'an output depends on input "b", which is not among the model\'s inputs',
    );
    const twin = input({ name: 'a', shape: [2] });
    expect(errorOf(() => new Model({ inputs: [a, twin], outputs: apply(new Add(), [a, twin]) })).message).toContain(
      'two inputs are named "a"',
    );
    expect(
      errorOf(
        () =>
          new Model({
            inputs: a,
            outputs: [apply(new Dense(2, 1, { name: 'same' }), a), apply(new Dense(2, 1, { name: 'same' }), a)],
          }),
      ).message,
    ).toContain('two layers are named "same"');
    // One tensor under two output names is fine (two heads reading the same features); one name twice is not possible in an object.
    expect(new Model({ inputs: a, outputs: { out: y, other: y } }).outputNames).toEqual(['out', 'other']);
    expect(
      errorOf(() => new Model({ inputs: a, outputs: apply(new Dense(2, 1, { name: 'a' }), a) })).message,
    ).toContain('the name "a" is used by an input and a layer');
    expect(errorOf(() => new Model({ inputs: [y], outputs: y })).message).toContain('inputs[0] is the output of');
  });

  it('refuses a cycle and an output that depends on no input (reachable only by hand-made graphs)', () => {
    const dense = new Dense(2, 2, { name: 'loop' });
    const node: { layer: Dense; inputs: SymbolicTensor[] } = { layer: dense, inputs: [] };
    const looped = new SymbolicTensor([-1, 2], 'float32', node, null);
    node.inputs.push(looped);
    const x = input({ name: 'x', shape: [2] });
    expect(errorOf(() => new Model({ inputs: x, outputs: looped })).message).toContain(
      'the graph has a cycle: loop → loop',
    );
    const orphan = new SymbolicTensor([-1, 2], 'float32', { layer: new Dense(2, 2), inputs: [] }, null);
    expect(
      errorOf(() => new Model({ inputs: x, outputs: { y: apply(new Dense(2, 2), x), orphan } })).message,
    ).toContain('output "orphan" does not depend on any input');
  });

  it('refuses config cycles and dangling references in fromConfig', () => {
    const x = input({ name: 'x', shape: [2] });
    const config = new Model({ inputs: x, outputs: apply(new ReLU(), apply(new Dense(2, 2), x)) }).getConfig();
    const cyclic = {
      ...config,
      nodes: [
        { layer: 'dense_1', inputs: ['relu_1'] },
        { layer: 'relu_1', inputs: ['dense_1'] },
      ],
    };
    expect(() => Model.fromConfig(cyclic, { Dense, ReLU })).toThrow(
      'the graph has a cycle: dense_1 → relu_1 → dense_1',
    );
    expect(() =>
      Model.fromConfig(
        { ...config, nodes: [{ layer: 'dense_1', inputs: ['nowhere'] }, config.nodes[1]] },
        { Dense, ReLU },
      ),
    ).toThrow('reads "nowhere", which is neither an input nor a node');
  });

  it('checks inputs at the boundary: missing names, sample shapes, dtypes and row counts', () => {
    const image = input({ name: 'image', shape: [4] });
    const extra = input({ name: 'extra', shape: [1] });
    const model = new Model({ inputs: [image, extra], outputs: apply(new Concatenate(), [image, extra]), name: 'two' });
    expect(() => model.forward({ image: normalTensor([2, 4], 1) as never })).toThrow(
      'Model "two".forward: input "extra" is missing; expected { image, extra }',
    );
    expect(() => model.forward([tensor([[1, 2, 3]]), tensor([[1]])])).toThrow(
      'input "image" has shape [1,3], expected [batch,4]',
    );
    expect(() => model.forward([tensor([[1, 2, 3, 4]]), tensor([[1]], { dtype: 'float64' })])).toThrow(
      'input "extra" is float64, expected float32',
    );
    expect(() => model.forward([tensor([[1, 2, 3, 4]]), tensor([[1], [2]])])).toThrow(
      'input "extra" has 2 rows but input "image" has 1',
    );
    expect(model.forward({ image: tensor([[1, 2, 3, 4]]), extra: tensor([[9]]) }).concatenate_1.toArray()).toEqual([
      [1, 2, 3, 4, 9],
    ]);
  });
});

describe('running a graph', () => {
  it("a shared layer's backward recomputation leaves BatchNorm statistics and the Dropout stream where forward left them", () => {
    const x = input({ name: 'x', shape: [3], dtype: 'float64' });
    const norm = new BatchNorm(3, { dtype: 'float64' });
    const dropout = new Dropout(0.5, { dtype: 'float64', seed: 2 });
    const model = new Model({
      inputs: x,
      outputs: apply(dropout, apply(norm, apply(dropout, apply(norm, x)))),
    }).initialize(1);
    const batch = normalTensor([5, 3], 3);
    const output = model.forward(batch, { training: true });
    const running = norm.buffers().map((buffer) => Array.from(buffer.value));
    const stream = JSON.stringify(dropout.getState());
    model.backward(normalTensor(output[model.outputNames[0]].shape, 4));
    expect(norm.buffers().map((buffer) => Array.from(buffer.value))).toEqual(running);
    expect(JSON.stringify(dropout.getState())).toBe(stream);
  });

  it('predicts in batches with two inputs and two outputs, as one pass over everything would', () => {
    const a = input({ name: 'a', shape: [2], dtype: 'float64' });
    const b = input({ name: 'b', shape: [2], dtype: 'float64' });
    const sum = apply(new Add(), [a, b]);
    const model = new Model({
      inputs: [a, b],
      outputs: { sum, scaled: apply(new Dense(2, 1, { dtype: 'float64' }), sum) },
    }).initialize(5);
    const inputs = { a: normalTensor([7, 2], 1), b: normalTensor([7, 2], 2) };
    const whole = model.forward(inputs);
    const expected = { sum: whole.sum.clone().toArray(), scaled: whole.scaled.clone().toArray() };
    const batched = model.predictNamed(inputs, { batchSize: 3 });
    expect(batched.sum.toArray()).toEqual(expected.sum);
    expect(batched.scaled.toArray()).toEqual(expected.scaled);
    expect(() => model.predict(inputs)).toThrow('the model has 2 outputs (sum, scaled); use predictNamed');
  });
});
