import type { JsonObject } from '@annet/layer-api';
import { AnnetError, formatValue } from '../annet-error.js';
import type { Optimizer } from '../core/optimizer.js';
import type { LoadOptions, OptimizerJson, OptimizerStateDict } from '../core/types.js';
import { defaultOptimizerRegistry, type OptimizerRegistry } from './registry.js';

function construct(operation: string, source: unknown, registry: OptimizerRegistry): Optimizer {
  const { type, config } = (typeof source === 'object' && source !== null ? source : {}) as {
    type?: unknown;
    config?: unknown;
  };
  if (typeof type !== 'string')
    throw new AnnetError('PARSE_ERROR', operation, `type must be a string such as "Adam", got ${formatValue(type)}`);
  const OptimizerClass = Object.hasOwn(registry, type) ? registry[type] : undefined;
  if (OptimizerClass === undefined) {
    throw new AnnetError(
      'NOT_FOUND',
      operation,
      `unknown optimizer type "${type}"; the registry has ${Object.keys(registry).join(', ')} (pass a registry that includes it)`,
    );
  }
  return new OptimizerClass(config as JsonObject as never) as unknown as Optimizer;
}

/**
 * Rebuilds an optimizer from `toJSON()` output: the class by `type` from `registry`, constructed
 * with the saved `config`, then its state loaded (strictly by default; see {@link LoadOptions}).
 * The result continues bit for bit where the saved optimizer stopped.
 *
 * @example
 * const saved = JSON.stringify(optimizer);
 * const resumed = optimizerFromJSON(JSON.parse(saved));
 */
export function optimizerFromJSON(
  json: OptimizerJson,
  registry: OptimizerRegistry = defaultOptimizerRegistry,
  options?: LoadOptions,
): Optimizer {
  const optimizer = construct('optimizerFromJSON', json, registry);
  optimizer.loadJSON(json, options);
  return optimizer;
}

/**
 * Rebuilds an optimizer from a `stateDict()` (for example read back from a checkpoint), like
 * {@link optimizerFromJSON}.
 *
 * @example
 * const resumed = optimizerFromStateDict(optimizer.stateDict());
 */
export function optimizerFromStateDict(
  dict: OptimizerStateDict,
  registry: OptimizerRegistry = defaultOptimizerRegistry,
  options?: LoadOptions,
): Optimizer {
  const optimizer = construct('optimizerFromStateDict', dict, registry);
  optimizer.loadStateDict(dict, options);
  return optimizer;
}
