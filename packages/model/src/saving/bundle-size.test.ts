import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';

/** Bundles `code` (an entry importing the workspace packages' sources), minified, and returns the output. */
async function bundle(code: string): Promise<string> {
  const result = await build({
    input: 'entry',
    write: false,
    platform: 'browser',
    logLevel: 'silent',
    resolve: { conditionNames: ['source', 'import', 'default'] },
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? code : null) },
    ],
    output: { minify: true },
  });
  return result.output[0].code;
}

const denseOnly = `import { Dense, ReLU } from '@annet/layers'; import { loadModel } from '@annet/model'; export const load = (bytes) => loadModel(bytes, { Dense, ReLU });`;
const everyLayer = `import { defaultLayerRegistry } from '@annet/layers'; import { loadModel } from '@annet/model'; export const load = (bytes) => loadModel(bytes, defaultLayerRegistry);`;

describe('loadModel bundles only the layers of its registry', () => {
  it('a Dense-only program does not bundle Conv2D, BatchNorm or the merge layers; the default registry adds them', async () => {
    const [small, large] = await Promise.all([bundle(denseOnly), bundle(everyLayer)]);
    for (const className of [
      'Conv2D',
      'BatchNorm',
      'LayerNorm',
      'Embedding',
      'Concatenate',
      'GlobalAveragePooling2D',
    ]) {
      const quoted = new RegExp(`[\`"']${className}[\`"']`);
      expect(quoted.test(small), `${className} in the { Dense, ReLU } bundle`).toBe(false);
      expect(quoted.test(large), `${className} in the defaultLayerRegistry bundle`).toBe(true);
    }
    // Measured 2026-12-03 (rolldown 1.2.19, minified): see the saving section of the README for the figures.
    console.log(
      `loadModel bundle: { Dense, ReLU } ${small.length} bytes, defaultLayerRegistry ${large.length} bytes (+${large.length - small.length})`,
    );
    expect(large.length - small.length).toBeGreaterThan(15_000);
  }, 60_000);
});
