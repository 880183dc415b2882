import type { ParallelKernels, ParallelModule, ParameterMemory } from '@annet/layer-api';
import type { GradientNormKernels } from './gradient-norm-kernels.js';
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

/** The two compiled modules (and the shared one's bytes, for kernel threads), made on first use (never at import); `null` where WebAssembly SIMD is missing. */
let modules:
  | {
      readonly shared: WebAssembly.Module;
      readonly unshared: WebAssembly.Module;
      readonly sharedBytes: Uint8Array<ArrayBuffer>;
    }
  | null
  | undefined;
/** The kernels bound to each memory, so a memory is instantiated once. */
const bound = new WeakMap<WebAssembly.Memory, KernelExports | null>();

/** Every function the module exports: the optimizer updates and clipGradNorm's kernels. */
export type KernelExports = OptimizerKernels & GradientNormKernels;

function compiledModules(): typeof modules {
  if (modules !== undefined) return modules;
  try {
    const shared = decodeBase64(optimizerKernelsSharedBase64);
    const unshared = decodeBase64(optimizerKernelsBase64);
    modules =
      typeof WebAssembly === 'object' && WebAssembly.validate(unshared)
        ? { shared: new WebAssembly.Module(shared), unshared: new WebAssembly.Module(unshared), sharedBytes: shared }
        : null;
  } catch {
    modules = null; // no WebAssembly, no SIMD, or no threads (the shared module): the TypeScript updates run
  }
  return modules;
}

/**
 * The SIMD kernels working on `memory` (a parameter's {@link ParameterMemory.memory}), or `null`
 * when this runtime cannot run them there (no WebAssembly SIMD, or a memory the module cannot
 * import); the optimizer then runs its TypeScript update. Instantiated once per memory (a 4 KB
 * module, compiled synchronously); the module has no data, so it writes nothing into the memory.
 *
 * With `parallel` (the memory's {@link ParameterMemory.parallel}), the kernels returned split a
 * parameter of at least {@link parallelMinimumElements} elements across `parallel.threads`
 * threads whenever more than one runs (see {@link splitKernels}); the module is registered with
 * `parallel` on the first call. A `parallel` that refuses the module gives the one-thread kernels.
 *
 * @example
 * const kernels = optimizerKernelsFor(parameter.memory.memory);
 * numbers.set([0.01, 1, 0, 1e-10]); // rate, sign, weight decay, ε, in a Float32Array in the same memory
 * kernels?.adagrad(value.byteOffset, grad.byteOffset, sum.byteOffset, value.length, numbers.byteOffset);
 */
export function optimizerKernelsFor(memory: WebAssembly.Memory, parallel?: ParallelKernels): OptimizerKernels | null {
  const direct = directKernelsFor(memory);
  if (direct === null || parallel === undefined || !isShared(memory)) return direct;
  const known = boundParallel.get(parallel);
  if (known !== undefined) return known;
  let kernels: OptimizerKernels = direct;
  try {
    kernels = splitKernels(direct, parallel, parallel.register(compiledModules()!.sharedBytes));
  } catch {
    // A memory owner that cannot run the module on its threads: one thread, as without `parallel`.
  }
  boundParallel.set(parallel, kernels);
  return kernels;
}

/** The splitting kernels for each `parallel`, so the module is registered once. */
const boundParallel = new WeakMap<ParallelKernels, OptimizerKernels>();

/**
 * The module's exports bound to `memory` (one instance per memory, on one thread), or `null` where
 * this runtime cannot run them there; see {@link optimizerKernelsFor}.
 *
 * @example
 * const kernels = directKernelsFor(parameter.memory.memory);
 * const total = kernels?.sumOfSquares(grad.byteOffset, grad.length, 0);
 */
export function directKernelsFor(memory: WebAssembly.Memory): KernelExports | null {
  const known = bound.get(memory);
  if (known !== undefined) return known;
  const compiled = compiledModules();
  let kernels: KernelExports | null = null;
  if (compiled !== null && compiled !== undefined) {
    try {
      const instance = new WebAssembly.Instance(isShared(memory) ? compiled.shared : compiled.unshared, {
        env: { memory },
      });
      kernels = instance.exports as unknown as KernelExports;
    } catch {
      kernels = null;
    }
  }
  bound.set(memory, kernels);
  return kernels;
}

/**
 * A parameter this large or larger is split across the kernel threads, in parts of at least
 * half this many elements. Posting a part to a helper and waiting for it costs a few
 * microseconds; Adam's pass takes about 0.7 ns per element here, so a part of 8192 elements
 * (about 6 µs) is where a helper starts to pay. The MLP 784-128-64-10's first weights (100,352
 * elements) are split, its biases and smaller weights are not.
 *
 * What it buys, measured on the 2-core development VM (shared machine, MLP at batch 64, with the
 * subnormal-state fix of the kernels): the optimizer phase took 172 µs split against 292 µs
 * unsplit while kernel threads run (the calling thread then reads the half of the first weights'
 * gradient that the helper computed, from the other core) and 120 µs with no threads at all; alone,
 * back to back, the split pass runs 1.7 to 1.9 times faster. In a step the pass is bound by the
 * memory bandwidth both cores share, so splitting mostly keeps each half where it was computed.
 *
 * @example
 * value.length >= parallelMinimumElements; // this parameter's update is shared by the threads
 */
export const parallelMinimumElements = 16_384;

/**
 * For each kernel, the index of its `length` argument: the arguments before it are the addresses
 * of the per-element arrays (value, gradient, state), the ones after it are the same for every
 * element (the numbers' address, flags).
 */
const lengthArgument = { sgd: 3, adaptiveMoments: 5, rmsprop: 5, adagrad: 3, lion: 3 } as const;
/** How many arguments each kernel takes. */
const argumentCount = { sgd: 7, adaptiveMoments: 8, rmsprop: 8, adagrad: 5, lion: 5 } as const;
type KernelName = keyof typeof lengthArgument;

/**
 * `direct`'s kernels, with a large parameter's pass split into contiguous ranges, one per thread
 * of `parallel` (the calling thread takes the last): every range but the last is a multiple of 4
 * elements and every range starts at a multiple of 4, so each element goes through the same
 * four-wide or scalar-tail code as on one thread, with the same numbers: the results are
 * bit-identical to one thread's. Smaller parameters, and any call while one thread runs, go to
 * `direct`. Nothing is allocated per call once each thread count has been seen.
 *
 * Tried and dropped: splitting a Dense weight [784, 128] by column ranges over every row, the
 * columns each thread's share of the forward and weight-gradient products touched. With the
 * development VM's usual cross-core round trip (410-470 ns) its Adam phase took 0.299 ms against
 * 0.162 ms for contiguous ranges (MLP at batch 64, 2 threads, A/B in one process).
 *
 * @example
 * const kernels = splitKernels(direct, parallel, parallel.register(bytes));
 * kernels.adagrad(value.byteOffset, grad.byteOffset, sum.byteOffset, value.length, numbers.byteOffset);
 */
export function splitKernels(
  direct: OptimizerKernels,
  parallel: ParallelKernels,
  module: ParallelModule,
): OptimizerKernels {
  const whole: { [name in KernelName]: number[] } = {
    sgd: new Array<number>(argumentCount.sgd).fill(0),
    adaptiveMoments: new Array<number>(argumentCount.adaptiveMoments).fill(0),
    rmsprop: new Array<number>(argumentCount.rmsprop).fill(0),
    adagrad: new Array<number>(argumentCount.adagrad).fill(0),
    lion: new Array<number>(argumentCount.lion).fill(0),
  };
  /** Per kernel and part count, the parts' argument lists (reused). */
  const partLists: { [name in KernelName]: number[][][] } = {
    sgd: [],
    adaptiveMoments: [],
    rmsprop: [],
    adagrad: [],
    lion: [],
  };
  const split = (name: KernelName, length: number): boolean => {
    const threads = parallel.threads;
    if (threads < 2 || length < parallelMinimumElements) return false;
    const count = Math.min(threads, Math.floor(length / (parallelMinimumElements / 2)));
    const parts = (partLists[name][count] ??= Array.from({ length: count }, () =>
      new Array<number>(argumentCount[name]).fill(0),
    ));
    const lengthAt = lengthArgument[name];
    const arguments_ = whole[name];
    const chunk = 4 * Math.ceil(length / count / 4);
    for (let part = 0; part < count; part++) {
      const start = part * chunk;
      const list = parts[part];
      for (let index = 0; index < arguments_.length; index++) list[index] = arguments_[index];
      // An address of 0 is an array the kernel does not read (no momentum, no AMSGrad): it stays 0.
      for (let index = 0; index < lengthAt; index++) if (list[index] !== 0) list[index] += 4 * start;
      list[lengthAt] = part === count - 1 ? length - start : chunk;
    }
    parallel.run(module, name, parts);
    return true;
  };
  return {
    sgd(value, gradient, buffer, length, numbers, first, nesterov) {
      const list = whole.sgd;
      list[0] = value;
      list[1] = gradient;
      list[2] = buffer;
      list[3] = length;
      list[4] = numbers;
      list[5] = first;
      list[6] = nesterov;
      if (!split('sgd', length)) direct.sgd(value, gradient, buffer, length, numbers, first, nesterov);
    },
    adaptiveMoments(value, gradient, firstMoment, secondMoment, maxSecondMoment, length, numbers, amsgrad) {
      const list = whole.adaptiveMoments;
      list[0] = value;
      list[1] = gradient;
      list[2] = firstMoment;
      list[3] = secondMoment;
      list[4] = maxSecondMoment;
      list[5] = length;
      list[6] = numbers;
      list[7] = amsgrad;
      if (!split('adaptiveMoments', length))
        direct.adaptiveMoments(value, gradient, firstMoment, secondMoment, maxSecondMoment, length, numbers, amsgrad);
    },
    rmsprop(value, gradient, squareAverage, momentumBuffer, gradientAverage, length, numbers, centered) {
      const list = whole.rmsprop;
      list[0] = value;
      list[1] = gradient;
      list[2] = squareAverage;
      list[3] = momentumBuffer;
      list[4] = gradientAverage;
      list[5] = length;
      list[6] = numbers;
      list[7] = centered;
      if (!split('rmsprop', length))
        direct.rmsprop(value, gradient, squareAverage, momentumBuffer, gradientAverage, length, numbers, centered);
    },
    adagrad(value, gradient, sum, length, numbers) {
      const list = whole.adagrad;
      list[0] = value;
      list[1] = gradient;
      list[2] = sum;
      list[3] = length;
      list[4] = numbers;
      if (!split('adagrad', length)) direct.adagrad(value, gradient, sum, length, numbers);
    },
    lion(value, gradient, momentum, length, numbers) {
      const list = whole.lion;
      list[0] = value;
      list[1] = gradient;
      list[2] = momentum;
      list[3] = length;
      list[4] = numbers;
      if (!split('lion', length)) direct.lion(value, gradient, momentum, length, numbers);
    },
  };
}
