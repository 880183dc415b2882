import { AnnetError } from '../errors.js';
import { lastKernelChoice } from './kernel-choice.js';
import { activeKernels, useKernels } from './kernel-selection.js';
import { jsKernels } from './js-kernels.js';
import type { Kernels } from './kernels.js';
import { createWasmKernels, type WasmKernels } from './wasm-kernels.js';
import { wasmModuleBytes, type WasmVariant } from './wasm-module.js';

/**
 * The kernel sets {@link setKernels} can force: the TypeScript reference, WebAssembly SIMD,
 * WebAssembly relaxed SIMD (fused multiply-add: faster, and results differ in the last bits
 * from the other two), or `auto` (detection, the default).
 *
 * @example
 * setKernels('simd'); // the same numbers in Node 20 and in Chromium
 */
export type KernelKind = 'typescript' | 'simd' | 'relaxed-simd' | 'auto';

/**
 * Which kernels run and why, as plain data (a worker can `postMessage` it to its page).
 *
 * @example
 * const info: KernelInfo = kernelInfo();
 * info.kind;   // 'relaxed-simd' in Chromium, 'simd' on Node 20
 * info.memory; // 'shared' when cross-origin isolated, 'copied' otherwise
 */
export interface KernelInfo {
  /** The kernel set's name: `js`, `wasm-simd` or `wasm-relaxed-simd`. */
  readonly name: string;
  /** The same as a {@link KernelKind}. */
  readonly kind: Exclude<KernelKind, 'auto'>;
  /** Why these kernels: what was detected, forced or refused. */
  readonly reason: string;
  /** True when `setKernels`, `useKernels` or `ANNET_BACKEND` chose them. */
  readonly forced: boolean;
  /** True when WebAssembly validated but was refused at compile time (a Content-Security-Policy without `'wasm-unsafe-eval'`). */
  readonly webAssemblyBlocked: boolean;
  /**
   * `shared`: arrays live in a shared WebAssembly memory that products read in place and kernel
   * threads can share; `copied`: WebAssembly memory is not shared, so operands are copied in
   * per product and no threads are possible; `typescript`: the TypeScript kernels work on the
   * arrays directly.
   */
  readonly memory: 'shared' | 'copied' | 'typescript';
  /** Why the memory is what it is. */
  readonly memoryReason: string;
  /** `globalThis.crossOriginIsolated` in a browser; `null` where it is not defined (Node). */
  readonly crossOriginIsolated: boolean | null;
}

/** Kernels `setKernels` built, per variant, so forcing the same kernels twice keeps one memory. */
const built = new Map<WasmVariant, Kernels>();
/** Why the forced kernels were forced, while they are. */
let forcedReason: string | null = null;

/**
 * Reports which kernels run and why. Picks the kernels first if no op has yet.
 *
 * @example
 * console.log(kernelInfo().reason); // 'WebAssembly relaxed SIMD validates and instantiates here'
 */
export function kernelInfo(): KernelInfo {
  const kernels = activeKernels();
  const record = lastKernelChoice();
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  const forced = forcedReason !== null && kernels === forcedKernels;
  const wasm = kernels.name.startsWith('wasm-') ? (kernels as WasmKernels) : null;
  const shared = wasm !== null && wasm.sharedMemory !== null;
  return {
    name: kernels.name,
    kind: kindOf(kernels.name),
    reason: forced
      ? forcedReason!
      : record?.name === kernels.name
        ? record.reason
        : `the kernels were set with useKernels (${kernels.name})`,
    forced: forced || (record?.forced ?? false) || record?.name !== kernels.name,
    webAssemblyBlocked: record?.webAssemblyBlocked ?? false,
    memory: wasm === null ? 'typescript' : shared ? 'shared' : 'copied',
    memoryReason: memoryReason(wasm, shared, isolated),
    crossOriginIsolated: typeof isolated === 'boolean' ? isolated : null,
  };
}

/** The kernels `setKernels` forced last (to tell them from a later `useKernels`). */
let forcedKernels: Kernels | null = null;

/**
 * Forces a kernel set for every later op, in browsers as in Node (where `ANNET_BACKEND` does the
 * same from the environment): `'typescript'`, `'simd'`, `'relaxed-simd'`, or `'auto'` to go back
 * to detection. Throws an AnnetError (`UNSUPPORTED`, naming why) when the runtime cannot run the
 * asked kernels, and then changes nothing. Call it before building models: arrays a model
 * already placed in the previous kernels' memory still work, but are copied per product.
 * Returns what {@link kernelInfo} then reports.
 *
 * @example
 * setKernels('simd');  // same kernels in the browser and in Node, for bit-identical runs
 * setKernels('auto');
 */
export function setKernels(kind: KernelKind): KernelInfo {
  if (kind === 'auto') {
    useKernels(null);
    forcedReason = null;
    forcedKernels = null;
    return kernelInfo();
  }
  if (kind !== 'typescript' && kind !== 'simd' && kind !== 'relaxed-simd')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'setKernels',
      `expected 'typescript', 'simd', 'relaxed-simd' or 'auto', got ${JSON.stringify(kind)}`,
    );
  const previous = useKernels(null);
  let kernels: Kernels;
  try {
    kernels = kind === 'typescript' ? jsKernels : wasmKernels(kind);
  } catch (error) {
    useKernels(previous);
    throw error;
  }
  useKernels(kernels);
  forcedKernels = kernels;
  forcedReason = `setKernels(${JSON.stringify(kind)}) forces them`;
  return kernelInfo();
}

function wasmKernels(variant: WasmVariant): Kernels {
  const name = variant === 'simd' ? 'wasm-simd' : 'wasm-relaxed-simd';
  // Reuse the automatic choice when it is these kernels, so arrays already in their memory stay resident.
  const automatic = activeKernels();
  if (automatic.name === name) return automatic;
  const cached = built.get(variant);
  if (cached !== undefined) return cached;
  const label = variant === 'simd' ? 'WebAssembly SIMD' : 'WebAssembly relaxed SIMD';
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(wasmModuleBytes(variant))) {
    const hint =
      variant === 'relaxed-simd'
        ? ' (Node 20 needs --experimental-wasm-relaxed-simd; Chromium 114+, Node 22+ have it)'
        : '';
    throw new AnnetError(
      'UNSUPPORTED',
      'setKernels',
      `this runtime does not validate ${label} modules${hint}; use setKernels('simd') or 'typescript'`,
    );
  }
  try {
    const kernels = createWasmKernels(variant, jsKernels);
    built.set(variant, kernels);
    return kernels;
  } catch (cause) {
    throw new AnnetError(
      'UNSUPPORTED',
      'setKernels',
      `the ${label} module validates but does not compile here (${String(cause)}); a Content-Security-Policy needs 'wasm-unsafe-eval' in script-src; use setKernels('typescript')`,
      { cause },
    );
  }
}

function kindOf(name: string): Exclude<KernelKind, 'auto'> {
  return name === 'wasm-relaxed-simd' ? 'relaxed-simd' : name === 'wasm-simd' ? 'simd' : 'typescript';
}

function memoryReason(wasm: WasmKernels | null, shared: boolean, isolated: boolean | undefined): string {
  if (wasm === null) return 'the TypeScript kernels read and write the arrays where they are';
  if (shared)
    return 'SharedArrayBuffer is available, so the kernel memory is shared: arrays placed there are read in place, and kernel threads can share it';
  if (isolated === false)
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so there is no SharedArrayBuffer: operands are copied into WebAssembly memory per product and kernel threads are not possible';
  return 'shared WebAssembly memory is unavailable here, so operands are copied into WebAssembly memory per product and kernel threads are not possible';
}
