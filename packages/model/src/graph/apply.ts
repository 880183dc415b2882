import { AnnetError, type DType } from '@annet/tensor';
import { isMultiInput, type GraphLayer } from './graph-layer.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/**
 * Calls `layer` on symbolic tensors, adding one node to the graph being built, and returns the
 * symbolic output with its shape inferred now (so a shape error names the layer and the shapes
 * at the line that made it). A layer of one input takes one tensor; a merge layer (`Add`,
 * `Concatenate`…) an array. Calling the same layer again shares its weights.
 *
 * @example
 * const x = input({ name: 'features', shape: [16] });
 * const h = apply(new Dense(16, 16), x);
 * const y = apply(new Add(), [x, apply(new ReLU(), h)]); // a residual connection x + relu(W x + b)
 */
export function apply(layer: GraphLayer, inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
  if (typeof layer !== 'object' || layer === null || typeof layer.forward !== 'function') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'apply',
      `expected a layer, got ${layer === null ? 'null' : typeof layer}`,
    );
  }
  const operation = `${layer.getConfig().className} "${layer.name}"`;
  const list = Array.isArray(inputs) ? (inputs as readonly SymbolicTensor[]) : [inputs as SymbolicTensor];
  for (const [index, entry] of list.entries()) {
    if (!(entry instanceof SymbolicTensor)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `input ${index} is not a symbolic tensor (got ${typeof entry}); build graphs from input({ ... }) and the results of apply`,
      );
    }
  }
  if (isMultiInput(layer)) {
    if (!Array.isArray(inputs))
      throw new AnnetError('INVALID_ARGUMENT', operation, 'takes several inputs: pass an array, apply(layer, [a, b])');
  } else if (Array.isArray(inputs)) {
    if (inputs.length !== 1)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `takes one input, got an array of ${inputs.length}; merge them first (Add, Concatenate…)`,
      );
  }
  checkDTypes(layer, list, operation);
  const shapes = list.map((tensor) => tensor.shape);
  const shape = isMultiInput(layer) ? layer.outputShape(shapes) : layer.outputShape(shapes[0]);
  return new SymbolicTensor(shape, outputDType(layer, list[0].dtype), { layer, inputs: list.slice() }, null);
}

/** A layer with float parameters needs float inputs of its own dtype (int32 inputs are indices, as an Embedding reads). */
function checkDTypes(layer: GraphLayer, inputs: readonly SymbolicTensor[], operation: string): void {
  const own = (layer as { dtype?: unknown }).dtype;
  if (layer.parameters().length === 0 || (own !== 'float32' && own !== 'float64')) return;
  for (const entry of inputs) {
    if (entry.dtype !== 'int32' && entry.dtype !== own) {
      throw new AnnetError(
        'DTYPE_MISMATCH',
        operation,
        `its parameters are ${own} but its input (${entry.describe()}) is ${entry.dtype}; build the layer with { dtype: '${entry.dtype}' } or the input with dtype '${own}'`,
      );
    }
  }
}

/** Layers with parameters compute in their own dtype (an Embedding of int32 indices gives floats); the rest keep their input's. */
function outputDType(layer: GraphLayer, inputDType: DType): DType {
  const own = (layer as { dtype?: unknown }).dtype;
  return layer.parameters().length > 0 && (own === 'float32' || own === 'float64') ? own : inputDType;
}
