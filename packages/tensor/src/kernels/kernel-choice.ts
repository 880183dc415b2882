import { AnnetError } from '../errors.js';
import type { Kernels } from './kernels.js';
import { backendChoiceFromEnvironment, type BackendChoice } from './wasm-backend.js';
import { createWasmKernels } from './wasm-kernels.js';
import { detectWasmVariant, type ValidateWasm, type WasmVariant } from './wasm-module.js';

/**
 * Why the active kernels are the ones they are: what `kernelInfo()` reports beside the name.
 *
 * @example
 * const record: KernelChoice = { name: 'js', reason: 'WebAssembly is blocked here …', webAssemblyBlocked: true, forced: false };
 */
export interface KernelChoice {
  /** `'js'` (the TypeScript kernels), `'wasm-simd'` or `'wasm-relaxed-simd'`. */
  readonly name: string;
  /** One sentence: why these kernels (what was detected, forced or refused). */
  readonly reason: string;
  /** True when WebAssembly validated but could not be compiled or instantiated (a Content-Security-Policy without `'wasm-unsafe-eval'`). */
  readonly webAssemblyBlocked: boolean;
  /** True when `setKernels`, `useKernels` or `ANNET_BACKEND` chose rather than automatic detection. */
  readonly forced: boolean;
}

/**
 * How {@link chooseKernels} decides; every field defaults to the real runtime.
 *
 * @example
 * chooseKernels(jsKernels, { create: () => { throw new Error('CSP'); } }).kernels.name; // 'js'
 */
export interface KernelChoiceOptions {
  /** Default: `ANNET_BACKEND` (`js`, `wasm`, `auto`). */
  readonly choice?: BackendChoice;
  /** Validates module bytes; default `WebAssembly.validate`. */
  readonly validate?: ValidateWasm;
  /** Builds the WebAssembly kernels; default `createWasmKernels` (tests make it throw, as a CSP does). */
  readonly create?: (variant: WasmVariant, reference: Kernels) => Kernels;
  /** Where the one-time warning goes; default `console.warn`. */
  readonly warn?: (message: string) => void;
}

/** The last automatic choice's record, read by `kernelInfo()`. */
let lastChoice: KernelChoice | null = null;
/** The warning about blocked or missing WebAssembly is printed once per thread. */
let warned = false;

/**
 * The automatic choice with its reason: relaxed SIMD, else SIMD, else the TypeScript kernels,
 * recording why (for `kernelInfo()`) and, when WebAssembly is blocked or missing so the 3-4x
 * slower TypeScript kernels take over, warning once on the console.
 *
 * @example
 * const { kernels, record } = chooseKernels(jsKernels);
 * record.reason; // 'WebAssembly relaxed SIMD validates and instantiates here'
 */
export function chooseKernels(
  reference: Kernels,
  options: KernelChoiceOptions = {},
): { kernels: Kernels; record: KernelChoice } {
  const choice = options.choice ?? backendChoiceFromEnvironment();
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const done = (kernels: Kernels, reason: string, webAssemblyBlocked = false) => {
    const record: KernelChoice = { name: kernels.name, reason, webAssemblyBlocked, forced: choice !== 'auto' };
    if (kernels === reference && choice === 'auto' && !warned) {
      warned = true;
      warn(
        `annet: ${reason}. The TypeScript kernels run instead, about 3-4x slower; kernelInfo() from @annet/tensor reports this.`,
      );
    }
    return { kernels, record };
  };
  if (choice === 'js') return done(reference, 'ANNET_BACKEND=js forces the TypeScript kernels');
  const variant = detectWasmVariant(options.validate);
  if (variant === null) {
    if (choice === 'wasm')
      throw new AnnetError(
        'UNSUPPORTED',
        'ANNET_BACKEND',
        'wasm was forced, but this runtime does not validate WebAssembly SIMD modules; use ANNET_BACKEND=js or leave it unset to fall back automatically',
      );
    return done(
      reference,
      typeof WebAssembly !== 'object'
        ? 'WebAssembly is not available in this runtime'
        : 'this runtime does not validate WebAssembly SIMD modules (WebAssembly SIMD is missing or disabled)',
    );
  }
  try {
    const kernels = (options.create ?? createWasmKernels)(variant, reference);
    return done(kernels, `WebAssembly ${variant === 'simd' ? 'SIMD' : 'relaxed SIMD'} validates and instantiates here`);
  } catch (cause) {
    if (choice === 'wasm')
      throw new AnnetError(
        'UNSUPPORTED',
        'ANNET_BACKEND',
        `wasm was forced, but the ${variant} kernel module failed to instantiate (${String(cause)}); use ANNET_BACKEND=js`,
        { cause },
      );
    return done(
      reference,
      `WebAssembly is blocked here: the ${variant} kernel module validates but does not compile (${describeCause(cause)}); a Content-Security-Policy needs 'wasm-unsafe-eval' in script-src to allow it`,
      true,
    );
  }
}

/**
 * The automatic selector `activeKernels()` uses by default: {@link chooseKernels}, keeping its record.
 *
 * @example
 * registerKernelsCandidate(selectKernelsWithReason);
 */
export function selectKernelsWithReason(reference: Kernels): Kernels {
  const { kernels, record } = chooseKernels(reference);
  lastChoice = record;
  return kernels;
}

/**
 * The record of the last automatic choice, or `null` before one was made.
 *
 * @example
 * lastKernelChoice()?.reason;
 */
export function lastKernelChoice(): KernelChoice | null {
  return lastChoice;
}

/**
 * Forgets the one-time warning, so the next blocked choice warns again (for tests).
 *
 * @example
 * resetKernelWarning();
 */
export function resetKernelWarning(): void {
  warned = false;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
