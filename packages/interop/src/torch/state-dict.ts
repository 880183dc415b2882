import type { JsonObject } from '@annet/layer-api';
import type { Model, Sequential } from '@annet/model';
import { decodeSafetensors, encodeSafetensors } from '@annet/serialization';
import { AnnetError, formatShape, shapesEqual, Tensor } from '@annet/tensor';
import { torchLayerMappings, type TorchLayerMapping } from './torch-names.js';

/** A model whose arrays map to PyTorch: a Sequential or a graph Model. */
export type TorchMappedModel = Sequential | Model;

interface MappedArray {
  readonly torchName: string;
  readonly annetName: string;
  readonly value: Float32Array | Float64Array;
  readonly shape: readonly number[];
  readonly transpose: boolean;
}

/** Every array of the model with its torch name and layout, and the torch-only buffers; refuses layers with arrays and no mapping. */
function mappedArrays(
  model: TorchMappedModel,
  operation: string,
): { arrays: MappedArray[]; extras: Map<string, number>; tied: Map<string, MappedArray> } {
  const arrays: MappedArray[] = [];
  const extras = new Map<string, number>();
  const tied = new Map<string, MappedArray>();
  const unmapped: string[] = [];
  for (const layer of model.layers) {
    const owned = [...layer.parameters(), ...layer.buffers()];
    if (owned.length === 0) continue;
    const className = (layer.getConfig() as JsonObject).className as string;
    const mapping: TorchLayerMapping | undefined = Object.hasOwn(torchLayerMappings, className)
      ? torchLayerMappings[className]
      : undefined;
    if (mapping === undefined) {
      unmapped.push(`${layer.name} (${className})`);
      continue;
    }
    for (const array of owned) {
      if (!array.name.startsWith(`${layer.name}.`)) {
        // A weight of another layer shared with this one: its owner maps it; torch lists it again under this layer.
        if (mapping.tiedAs !== undefined)
          tied.set(`${layer.name}.${mapping.tiedAs}`, {
            torchName: `${layer.name}.${mapping.tiedAs}`,
            annetName: array.name,
            value: array.value as Float32Array | Float64Array,
            shape: array.shape,
            transpose: false,
          });
        continue;
      }
      const local = array.name.slice(layer.name.length + 1);
      const entry = mapping.arrays.find((candidate) => candidate.annet === local);
      if (entry === undefined) {
        unmapped.push(`${array.name}`);
        continue;
      }
      arrays.push({
        torchName: `${layer.name}.${entry.torch}`,
        annetName: array.name,
        value: array.value as Float32Array | Float64Array,
        shape: array.shape,
        transpose: entry.transpose === true,
      });
    }
    for (const extra of mapping.extras ?? []) extras.set(`${layer.name}.${extra.torch}`, extra.value);
  }
  if (unmapped.length > 0) {
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `model "${model.name}" has arrays without a PyTorch mapping: ${unmapped.join(', ')}; mapped layer classes: ${Object.keys(torchLayerMappings).join(', ')}`,
    );
  }
  return { arrays, extras, tied };
}

const torchShape = (array: MappedArray) => (array.transpose ? [array.shape[1], array.shape[0]] : array.shape.slice());

/**
 * The model's weights as a PyTorch `state_dict`: names `<annet layer name>.<torch name>`
 * (`dense_1.weight`, `batch_norm_1.running_var`) and torch layouts (a Dense kernel transposed to
 * `nn.Linear`'s `[out, in]`; Conv2D's OIHW is already torch's). Copies, in the model's dtype;
 * BatchNorm's `num_batches_tracked` is written as an int32 scalar 0 (annet does not count batches).
 *
 * @example
 * const tensors = toTorchStateDict(model); // { 'dense_1.weight': Tensor [256, 784], 'dense_1.bias': Tensor [256], ... }
 */
export function toTorchStateDict(model: TorchMappedModel): Record<string, Tensor> {
  const { arrays, extras, tied } = mappedArrays(model, 'toTorchStateDict');
  const tensors: Record<string, Tensor> = {};
  for (const array of arrays) {
    const annet = new Tensor(array.value, array.shape);
    tensors[array.torchName] = array.transpose ? annet.transpose().contiguous() : annet.clone();
  }
  for (const [name, value] of extras) tensors[name] = new Tensor(Int32Array.of(value), []);
  for (const [name, array] of tied) tensors[name] = new Tensor(array.value, array.shape).clone();
  return tensors;
}

/**
 * Loads a PyTorch `state_dict` (names and layouts as {@link toTorchStateDict} writes them) into
 * the model, in place. Everything is checked first: every missing tensor, every tensor the model
 * has no place for and every shape that differs are listed in one `INVALID_STATE` error, and
 * nothing is written. float32 and float64 load into either; `num_batches_tracked` is accepted and ignored.
 *
 * @example
 * fromTorchStateDict(model, decodeSafetensors(bytes).tensors); // a file from torch: save_file(module.state_dict(), path)
 */
export function fromTorchStateDict(model: TorchMappedModel, tensors: Readonly<Record<string, Tensor>>): void {
  const operation = 'fromTorchStateDict';
  const { arrays, extras, tied } = mappedArrays(model, operation);
  const problems: string[] = [];
  for (const array of arrays) {
    const source = Object.hasOwn(tensors, array.torchName) ? tensors[array.torchName] : undefined;
    const expected = torchShape(array);
    if (source === undefined) problems.push(`${array.torchName} is missing`);
    else if (!(source instanceof Tensor)) problems.push(`${array.torchName} is not a Tensor`);
    else if (!shapesEqual(source.shape, expected))
      problems.push(
        `${array.torchName} has shape ${formatShape(source.shape)}, expected ${formatShape(expected)}${array.transpose && shapesEqual(source.shape, array.shape) ? " (annet's [in, out] layout: a torch nn.Linear weight is [out, in])" : ''}`,
      );
    else if (source.dtype !== 'float32' && source.dtype !== 'float64')
      problems.push(`${array.torchName} is ${source.dtype}, expected float32 or float64`);
  }
  const known = new Set([...arrays.map((array) => array.torchName), ...extras.keys(), ...tied.keys()]);
  for (const name of Object.keys(tensors))
    if (!known.has(name)) problems.push(`${name} is not in the model (unexpected)`);
  if (problems.length > 0)
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the state dict does not fit model "${model.name}" (nothing was loaded): ${problems.join('; ')}`,
    );
  for (const array of arrays) {
    const source = tensors[array.torchName];
    array.value.set((array.transpose ? source.transpose() : source).contiguous().data);
  }
  model.markInitialized();
}

/**
 * {@link toTorchStateDict} as a safetensors file: what `safetensors.torch.load_file` reads and
 * `module.load_state_dict` accepts.
 *
 * @example
 * fs.writeFileSync('model.safetensors', encodeTorchStateDict(model));
 */
export function encodeTorchStateDict(model: TorchMappedModel): Uint8Array {
  return encodeSafetensors(toTorchStateDict(model), { format: 'pt', producer: 'annet' });
}

/**
 * Reads a safetensors file written by `safetensors.torch.save_file(module.state_dict(), path)`
 * into the model with {@link fromTorchStateDict}.
 *
 * @example
 * decodeTorchStateDict(model, fs.readFileSync('from-torch.safetensors'));
 */
export function decodeTorchStateDict(model: TorchMappedModel, bytes: Uint8Array, source?: string): void {
  fromTorchStateDict(model, decodeSafetensors(bytes, { source: source ?? '<bytes>' }).tensors);
}
