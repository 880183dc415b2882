import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { Optimizer, type UpdateRule } from './index.js';

/** The lines between two marker comments of this file, dedented. */
function block(source: string, start: string, end: string): string {
  const lines = source
    .slice(source.indexOf(start) + start.length, source.indexOf(end))
    .split('\n')
    .slice(1, -1);
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

it("runs the README's custom-rule example, which is this code line for line", () => {
  const logged: unknown[] = [];
  const console = { log: (value: unknown) => logged.push(value) };
  // readme:start
  // Heavy-ball momentum: b ← μb + g;  θ ← θ − γb, with its one state array named "velocity".
  const heavyBall: UpdateRule<{ readonly momentum: number }> = {
    type: 'HeavyBall',
    defaultLearningRate: 0.01,
    fields: {
      momentum: {
        rule: (value) => (typeof value === 'number' && value >= 0 && value < 1 ? undefined : 'must be in [0, 1)'),
        default: 0.9,
      },
    },
    slotNames: () => ['velocity'],
    initialScalars: {},
    update(value, gradient, state, context, h) {
      const { velocity } = state.slots;
      for (let i = 0; i < value.length; i++) {
        velocity[i] = h.momentum * velocity[i] + gradient[i];
        value[i] -= context.learningRate * velocity[i];
      }
    },
  };
  const optimizer = new Optimizer(heavyBall, { learningRate: 0.1 });
  const weights = { name: 'w', shape: [2], value: Float64Array.of(1, -1), grad: Float64Array.of(0.5, 0.5) };
  optimizer.step([weights]);
  console.log([...weights.value]); // [0.95, -1.05]
  // readme:end
  // b = 0.9·0 + 0.5 = 0.5; θ = 1 − 0.1·0.5 = 0.95 and −1 − 0.05 = −1.05.
  expect(logged).toEqual([[0.95, -1.05]]);
  expect(optimizer.parameterState('w')?.slots.velocity).toEqual(Float64Array.of(0.5, 0.5));

  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const fence = readme.slice(readme.indexOf("import { Optimizer, type UpdateRule } from '@annet/optimizers';"));
  const example = fence.slice(fence.indexOf('\n\n') + 2, fence.indexOf('```'));
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  expect(example.trimEnd()).toBe(block(source, '// readme:' + 'start', '// readme:' + 'end'));
});
