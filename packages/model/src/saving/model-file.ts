import type { JsonObject, JsonValue } from '@annet/layer-api';
import type { LayerRegistry } from '@annet/layers';
import {
  checkpointFormat,
  decodeCheckpoint,
  decodeSafetensors,
  encodeSafetensors,
  modelTensorName,
} from '@annet/serialization';
import { AnnetError, formatShape, shapesEqual, type Tensor } from '@annet/tensor';
import { Model } from '../graph/model.js';
import type { ModelConfig } from '../graph/model-config.js';
import { readModelState } from '../sequential/model-state.js';
import { Sequential, type SequentialConfig } from '../sequential/sequential.js';
import { annetVersion } from '../version.js';

/**
 * The `format` metadata value of a file written by {@link saveModel}.
 *
 * @example
 * decodeSafetensors(saveModel(model)).metadata.format; // 'annet-model'
 */
export const modelFileFormat = 'annet-model';

/** Version of the model-file layout this package writes and reads. */
export const modelFileFormatVersion = 1;

/** A model {@link saveModel} writes and {@link loadModel} returns: Sequential or graph. */
export type SavedModel = Sequential | Model;

/**
 * The model as one safetensors file, for inference: its architecture (`getConfig()`, as JSON in
 * the `architecture` metadata entry) and every parameter and buffer as `model.<name>` in the
 * model's own dtype. No optimizer, no training state. The same tensor names as a training
 * checkpoint, so any safetensors reader (Python's `safetensors`) lists the weights by name.
 *
 * @example
 * const bytes = saveModel(model);           // Uint8Array, in Node and in browsers
 * const copy = loadModel(bytes, { Dense, ReLU });
 */
export function saveModel(model: SavedModel): Uint8Array {
  if (!(model instanceof Sequential) && !(model instanceof Model)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'saveModel',
      `expected a Sequential or a Model of @annet/model, got ${Object.prototype.toString.call(model)}`,
    );
  }
  const { tensors } = readModelState(model);
  return encodeSafetensors(tensors, {
    format: modelFileFormat,
    formatVersion: String(modelFileFormatVersion),
    annetVersion,
    architecture: JSON.stringify(model.getConfig()),
  });
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Name of the file for error messages (default `<bytes>`). */
  readonly source?: string;
}

/**
 * Rebuilds a model from the bytes of {@link saveModel}, or of a full training checkpoint (fit's
 * `ModelCheckpoint`; its optimizer, schedule and loader state are ignored), ready for `predict`.
 * `registry` is required and names every layer class the file may use (`{ Dense, ReLU }`, or
 * `defaultLayerRegistry` of `@annet/layers` for all of them): a program only bundles the layers
 * it passes. An unknown class is refused with the list of the registry's classes; every weight is
 * checked (missing, extra, mis-shaped, integer) before any is written, and one error lists them.
 *
 * @example
 * const model = loadModel(bytes, { Dense, ReLU, Softmax }) as Sequential;
 * const probabilities = model.predict(images);
 */
export function loadModel(bytes: Uint8Array, registry: LayerRegistry, options: LoadModelOptions = {}): SavedModel {
  const source = options.source ?? '<bytes>';
  const operation = 'loadModel';
  if (!(bytes instanceof Uint8Array))
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected the file's bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  const { architecture, tensors } = readModelFile(bytes, source);
  const model = modelFromArchitecture(architecture, registry, `${operation}: ${source}`);
  writeWeights(model, tensors, `${operation}: ${source}`);
  return model;
}

function readModelFile(
  bytes: Uint8Array,
  source: string,
): { architecture: JsonValue; tensors: Readonly<Record<string, Tensor>> } {
  const { metadata, tensors } = decodeSafetensors(bytes, { source, copy: true });
  if (metadata.format === checkpointFormat) {
    const checkpoint = decodeCheckpoint(bytes, { source, copy: true });
    return { architecture: checkpoint.architecture, tensors: checkpoint.tensors };
  }
  if (metadata.format !== modelFileFormat) {
    throw new AnnetError(
      'PARSE_ERROR',
      'loadModel',
      `${source}: not an annet model file: its metadata format is ${JSON.stringify(metadata.format ?? null)}, expected '${modelFileFormat}' (saveModel) or '${checkpointFormat}' (a training checkpoint)`,
    );
  }
  if (metadata.formatVersion !== String(modelFileFormatVersion)) {
    throw new AnnetError(
      'UNSUPPORTED',
      'loadModel',
      `${source}: model file format version ${JSON.stringify(metadata.formatVersion ?? null)} is not supported; this reader knows version ${modelFileFormatVersion} (a newer annet wrote it? upgrade @annet/model)`,
    );
  }
  let architecture: JsonValue;
  try {
    architecture = JSON.parse(metadata.architecture ?? '') as JsonValue;
  } catch (error) {
    throw new AnnetError(
      'PARSE_ERROR',
      'loadModel',
      `${source}: metadata 'architecture' is not valid JSON (${(error as Error).message})`,
    );
  }
  return { architecture, tensors };
}

function modelFromArchitecture(architecture: JsonValue, registry: LayerRegistry, operation: string): SavedModel {
  const className =
    typeof architecture === 'object' && architecture !== null && !Array.isArray(architecture)
      ? (architecture as JsonObject).className
      : undefined;
  if (className === 'Sequential') return Sequential.fromConfig(architecture as SequentialConfig, registry);
  if (className === 'Model') return Model.fromConfig(architecture as ModelConfig, registry);
  throw new AnnetError(
    'PARSE_ERROR',
    operation,
    `the architecture is neither a Sequential nor a Model config (className ${JSON.stringify(className ?? null)})`,
  );
}

/** Checks every array of `model` against `tensors` (and that no `model.*` tensor is left over), then copies them in. */
function writeWeights(model: SavedModel, tensors: Readonly<Record<string, Tensor>>, operation: string): void {
  const problems: string[] = [];
  const arrays = [...model.parameters(), ...model.buffers()];
  const expected = new Set<string>();
  for (const array of arrays) {
    const key = modelTensorName(array.name);
    expected.add(key);
    const saved = Object.hasOwn(tensors, key) ? tensors[key] : undefined;
    if (saved === undefined) problems.push(`${key} is missing`);
    else if (!shapesEqual(saved.shape, array.shape))
      problems.push(
        `${key} has shape ${formatShape(saved.shape)} in the file, ${formatShape(array.shape)} in the model`,
      );
    else if (saved.dtype !== 'float32' && saved.dtype !== 'float64')
      problems.push(`${key} is ${saved.dtype}, expected float32 or float64`);
  }
  for (const key of Object.keys(tensors))
    if (key.startsWith('model.') && !expected.has(key)) problems.push(`${key} is not a weight of the model`);
  if (problems.length > 0)
    throw new AnnetError('INVALID_STATE', operation, `the weights do not fit the architecture: ${problems.join('; ')}`);
  for (const array of arrays) {
    const saved = tensors[modelTensorName(array.name)].contiguous();
    array.value.set(saved.data.subarray(saved.offset, saved.offset + saved.size));
  }
  model.markInitialized();
}
