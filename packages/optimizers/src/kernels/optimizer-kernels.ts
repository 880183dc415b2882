import type { ParameterMemory } from '@annet/layer-api';
import { optimizerKernelsBase64, optimizerKernelsSharedBase64 } from './wasm-binary.generated.js';

/**
 * The WebAssembly SIMD kernels (assembly/index.ts), bound to one memory. Arguments are byte
 * addresses in that memory, element counts and float32 numbers; each call is one fused pass over
 * one parameter, computing in float32.
 */
export interface OptimizerKernels {
  /** SGD with weight decay, momentum (`first` = 1 on the parameter's first step) and Nesterov; numbers: learning rate, sign, weight decay, momentum, 1 − dampening. */
  sgd(
    value: number,
    gradient: number,
    buffer: number,
    length: number,
    numbers: number,
    first: number,
    nesterov: number,
  ): void;
  /** Adam, AdamW, NAdam, RAdam: `θ·decay − (a·g + b·m) / (c·√v̂ + ε)` after the moment updates; numbers: sign, λ (L2), decay, β1, β2, 1 − β1, 1 − β2, a, b, c, ε. */
  adaptiveMoments(
    value: number,
    gradient: number,
    firstMoment: number,
    secondMoment: number,
    maxSecondMoment: number,
    length: number,
    numbers: number,
    amsgrad: number,
  ): void;
  /** RMSprop, optionally centered and with momentum; numbers: learning rate, sign, weight decay, α, 1 − α, ε, momentum. */
  rmsprop(
    value: number,
    gradient: number,
    squareAverage: number,
    momentumBuffer: number,
    gradientAverage: number,
    length: number,
    numbers: number,
    centered: number,
  ): void;
  /** Adagrad; numbers: the step's decayed rate, sign, weight decay, ε. */
  adagrad(value: number, gradient: number, sum: number, length: number, numbers: number): void;
  /** Lion; numbers: learning rate, sign, β1, 1 − β1, β2, 1 − β2, weight decay. */
  lion(value: number, gradient: number, momentum: number, length: number, numbers: number): void;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
}

/** The two compiled modules, made on first use (never at import); `null` where WebAssembly SIMD is missing. */
let modules: { readonly shared: WebAssembly.Module; readonly unshared: WebAssembly.Module } | null | undefined;
/** The kernels bound to each memory, so a memory is instantiated once. */
const bound = new WeakMap<WebAssembly.Memory, OptimizerKernels | null>();

function compiledModules(): typeof modules {
  if (modules !== undefined) return modules;
  try {
    const shared = decodeBase64(optimizerKernelsSharedBase64);
    const unshared = decodeBase64(optimizerKernelsBase64);
    modules =
      typeof WebAssembly === 'object' && WebAssembly.validate(unshared)
        ? { shared: new WebAssembly.Module(shared), unshared: new WebAssembly.Module(unshared) }
        : null;
  } catch {
    modules = null; // no WebAssembly, no SIMD, or no threads (the shared module): the TypeScript updates run
  }
  return modules;
}

/**
 * The SIMD kernels working on `memory` (a parameter's {@link ParameterMemory.memory}), or `null`
 * when this runtime cannot run them there (no WebAssembly SIMD, or a memory the module cannot
 * import); the optimizer then runs its TypeScript update. Instantiated once per memory (a 2 KB
 * module, compiled synchronously); the module has no data, so it writes nothing into the memory.
 *
 * @example
 * const kernels = optimizerKernelsFor(parameter.memory.memory);
 * numbers.set([0.01, 1, 0, 1e-10]); // rate, sign, weight decay, ε, in a Float32Array in the same memory
 * kernels?.adagrad(value.byteOffset, grad.byteOffset, sum.byteOffset, value.length, numbers.byteOffset);
 */
export function optimizerKernelsFor(memory: WebAssembly.Memory): OptimizerKernels | null {
  const known = bound.get(memory);
  if (known !== undefined) return known;
  const compiled = compiledModules();
  let kernels: OptimizerKernels | null = null;
  if (compiled !== null && compiled !== undefined) {
    try {
      const instance = new WebAssembly.Instance(isShared(memory) ? compiled.shared : compiled.unshared, {
        env: { memory },
      });
      kernels = instance.exports as unknown as OptimizerKernels;
    } catch {
      kernels = null;
    }
  }
  bound.set(memory, kernels);
  return kernels;
}
