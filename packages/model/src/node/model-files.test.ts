import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dense, ReLU } from '@annet/layers';
import { AnnetError, createRng, randomUniform } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { loadModelFile, saveModelFile } from './model-files.js';

describe('saveModelFile / loadModelFile', () => {
  it('writes a model to a path and reads it back, predicting the same', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-model-file-'));
    try {
      const model = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)]).initialize(3);
      const file = path.join(folder, 'mlp.safetensors');
      await saveModelFile(file, model);
      const copy = (await loadModelFile(file, { Dense, ReLU })) as Sequential;
      const inputs = randomUniform([4, 3], createRng(1));
      expect(Array.from(copy.predict(inputs).data)).toEqual(Array.from(model.predict(inputs).data));
      await expect(loadModelFile(path.join(folder, 'nowhere.safetensors'), { Dense })).rejects.toThrow(AnnetError);
      await expect(loadModelFile(path.join(folder, 'nowhere.safetensors'), { Dense })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
