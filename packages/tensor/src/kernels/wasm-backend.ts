import { AnnetError } from '../errors.js';
import type { Kernels } from './kernels.js';
import { createWasmKernels } from './wasm-kernels.js';
import { detectWasmVariant, type ValidateWasm } from './wasm-module.js';

/**
 * A backend a user can force with `ANNET_BACKEND` (or `auto`, the default: the fastest that runs).
 *
 * @example
 * const choice: BackendChoice = backendChoiceFromEnvironment(); // 'auto' unless ANNET_BACKEND is set
 */
export type BackendChoice = 'js' | 'wasm' | 'auto';

/**
 * How {@link selectKernels} chooses; every field defaults to the real runtime.
 *
 * @example
 * const options: BackendSelectionOptions = { choice: 'auto', validate: () => false }; // as without SIMD
 */
export interface BackendSelectionOptions {
  /** Forced choice; when absent, the `ANNET_BACKEND` environment variable, else `'auto'`. */
  choice?: BackendChoice;
  /** Validates module bytes (default `WebAssembly.validate`); tests inject one to simulate a runtime without SIMD. */
  validate?: ValidateWasm;
}

const operation = 'ANNET_BACKEND';

/**
 * The backend forced by the `ANNET_BACKEND` environment variable: `'js'`, `'wasm'`, or `'auto'`
 * when unset or empty. Reads `process.env` only when a `process` global exists, so browsers
 * (no `process`) get `'auto'` and the main entry imports nothing from Node.
 *
 * @example
 * // ANNET_BACKEND=js node train.js
 * backendChoiceFromEnvironment(); // 'js'
 */
export function backendChoiceFromEnvironment(): BackendChoice {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = environment?.ANNET_BACKEND?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'js' || value === 'wasm') return value;
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `unknown backend ${JSON.stringify(environment?.ANNET_BACKEND)}; expected "js", "wasm" or "auto" (or leave it unset)`,
  );
}

/**
 * Chooses the kernel set: with `auto`, WebAssembly relaxed SIMD when the runtime validates the
 * relaxed module, plain SIMD when it validates the SIMD module, otherwise `reference` (the
 * TypeScript kernels), which is also the fallback when instantiation fails (for example a
 * Content-Security-Policy without `wasm-unsafe-eval`). `wasm` insists on WebAssembly and throws
 * when it cannot run; `js` always returns `reference`. Each call instantiates a fresh module:
 * callers cache the result (`kernel-selection.ts` does).
 *
 * @example
 * const kernels = selectKernels(jsKernels);                        // wasm-simd on Node 20
 * selectKernels(jsKernels, { validate: () => false }).name;        // 'js': no SIMD
 * selectKernels(jsKernels, { choice: 'js' }).name;                 // 'js'
 */
export function selectKernels(reference: Kernels, options: BackendSelectionOptions = {}): Kernels {
  const choice = options.choice ?? backendChoiceFromEnvironment();
  if (choice === 'js') return reference;
  const variant = detectWasmVariant(options.validate);
  if (variant === null) {
    if (choice === 'auto') return reference;
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      'wasm was forced, but this runtime does not validate WebAssembly SIMD modules; use ANNET_BACKEND=js or leave it unset to fall back automatically',
    );
  }
  try {
    return createWasmKernels(variant, reference);
  } catch (cause) {
    if (choice === 'auto') return reference;
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `wasm was forced, but the ${variant} kernel module failed to instantiate (${String(cause)}); use ANNET_BACKEND=js`,
      { cause },
    );
  }
}
