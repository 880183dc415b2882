import { jsKernels } from './js-kernels.js';
import type { Kernels } from './kernels.js';
import { selectKernelsWithReason } from './kernel-choice.js';

/**
 * Picks a kernel set given the reference one; it may return `reference` itself (for example
 * when WebAssembly SIMD is missing).
 */
export type KernelsSelector = (reference: Kernels) => Kernels;

/** Set by {@link useKernels}: wins over any selection. */
let forced: Kernels | null = null;
/**
 * Consulted once, on first use. By default the WebAssembly SIMD selection of `kernel-choice.ts`
 * (relaxed SIMD, plain SIMD, else the reference, with its reason and a one-time warning when
 * WebAssembly is blocked; `ANNET_BACKEND=js|wasm` forces); replaced by
 * {@link registerKernelsCandidate}. Referencing a function is no side effect: nothing runs at import.
 */
let selector: KernelsSelector | null = selectKernelsWithReason;
/** The cached result of the selection. */
let selected: Kernels | null = null;

/**
 * The kernels every op calls. Chosen lazily on the first call (nothing happens at import):
 * the kernels forced with {@link useKernels}, else what the registered candidate selector
 * returns, else the TypeScript reference {@link jsKernels}. The choice is cached.
 *
 * @example
 * activeKernels().name; // 'js' unless a faster backend was registered or forced
 */
export function activeKernels(): Kernels {
  if (forced !== null) return forced;
  selected ??= selector === null ? jsKernels : selector(jsKernels);
  return selected;
}

/**
 * Forces a kernel set for every later op (pass `null` to return to automatic selection) and
 * returns the previously forced one, so a test can restore it.
 *
 * @example
 * const previous = useKernels(jsKernels);
 * try { runTheComparison(); } finally { useKernels(previous); }
 */
export function useKernels(kernels: Kernels | null): Kernels | null {
  const previous = forced;
  forced = kernels;
  return previous;
}

/**
 * Registers the function that chooses the automatic kernel set (for example WebAssembly SIMD
 * with the reference as fallback), replacing any earlier one; pass `null` to go back to the
 * reference. The selection is redone lazily on the next {@link activeKernels} call. Call it
 * from code that runs on purpose (an explicit setup function), never as an import side effect.
 *
 * @example
 * registerKernelsCandidate((reference) => selectKernels(reference));
 */
export function registerKernelsCandidate(candidate: KernelsSelector | null): void {
  selector = candidate;
  selected = null;
}
