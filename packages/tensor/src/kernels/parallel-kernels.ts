import type { ParallelKernels, ParallelModule } from '@annet/layer-api';
import { AnnetError } from '../errors.js';
import type { KernelMemory } from './kernel-memory.js';
import { kernelThreadLayout, type KernelThreads } from './kernel-threads.js';

/**
 * `ParameterMemory.parallel` of the WebAssembly backend: registered modules run on the kernel
 * threads (`startKernelThreads`, `startBrowserKernelThreads`) as well as on the calling thread.
 *
 * Registration hands a module's bytes to the helpers through the shared memory itself: the
 * calling thread copies them into the scratch region and posts a load job, which each helper
 * runs inside its job loop (compile, instantiate on the shared memory). No message goes through
 * an event loop, so it works the same in Node worker threads and in Web Workers, and threads
 * started later load every module registered before (when they are handed over, in
 * {@link KernelParallelism.useThreads}).
 */

const registerOperation = 'ParallelKernels.register';
const runOperation = 'ParallelKernels.run';

/** What this side keeps for a registered module; the handle given out is `handle`. */
interface RegisteredModule {
  readonly id: number;
  readonly handle: ParallelModule;
  readonly binary: Uint8Array;
  /** The calling thread's instance's function exports, in `WebAssembly.Module.exports` order (as the helpers number them). */
  readonly functions: readonly ((...parts: number[]) => unknown)[];
  readonly exportIndex: ReadonlyMap<string, number>;
  /** Each export's name in quotes, for failure messages (made once: a run allocates nothing). */
  readonly quoted: readonly string[];
}

function sameBytes(first: Uint8Array, second: Uint8Array): boolean {
  if (first.length !== second.length) return false;
  for (let index = 0; index < first.length; index++) if (first[index] !== second[index]) return false;
  return true;
}

/**
 * {@link ParallelKernels} over one shared kernel memory and whichever kernel threads run on it.
 *
 * @example
 * const parallel = new KernelParallelism(sharedMemory, kernelMemory);
 * parallel.useThreads(pool); // a started KernelThreads
 * const module = parallel.register(bytes);
 * parallel.run(module, 'scale', [[16, 4], [32, 4]]);
 */
export class KernelParallelism implements ParallelKernels {
  private pool: KernelThreads | null = null;
  /** How many registered modules the current pool's helpers have loaded. */
  private loaded = 0;
  private readonly modules: RegisteredModule[] = [];
  private readonly byHandle = new WeakMap<ParallelModule, RegisteredModule>();

  /**
   * @param memory the shared memory modules import as `env.memory`
   * @param kernelMemory its allocator, whose scratch region carries a module's bytes to the helpers
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly kernelMemory: KernelMemory,
  ) {}

  /** Threads a run is shared by now, the calling one included; 1 without (running) kernel threads. */
  get threads(): number {
    return this.pool === null || this.pool.isStopped ? 1 : this.pool.helpers + 1;
  }

  /**
   * Runs later parts on `pool`'s helpers (`null`: on the calling thread only), after loading every
   * module registered so far into them. A helper that cannot load one stops the pool (everything
   * then runs on the calling thread, as after a helper died).
   */
  useThreads(pool: KernelThreads | null): void {
    this.pool = pool;
    this.loaded = 0;
    this.loadPending();
  }

  /** Compiles and checks `binary`, instantiates it here, and loads it into the running helpers (see `ParallelKernels.register`). */
  register(binary: Uint8Array): ParallelModule {
    if (!(binary instanceof Uint8Array))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        registerOperation,
        `expected the bytes of a WebAssembly module as a Uint8Array, got ${Object.prototype.toString.call(binary)}`,
      );
    const known = this.modules.find((entry) => sameBytes(entry.binary, binary));
    if (known !== undefined) return known.handle;
    const bytes = binary.slice(); // an ordinary buffer (compiling refuses a shared one), kept for threads started later
    const module = compile(bytes);
    const imports = WebAssembly.Module.imports(module);
    if (
      imports.length !== 1 ||
      imports[0].module !== 'env' ||
      imports[0].name !== 'memory' ||
      imports[0].kind !== 'memory'
    )
      throw new AnnetError(
        'INVALID_ARGUMENT',
        registerOperation,
        `the module must import exactly the shared memory as env.memory, got imports ${JSON.stringify(imports)}`,
      );
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    } catch (cause) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        registerOperation,
        `the module cannot be instantiated on the kernel memory (a shared memory of up to ${this.memory.buffer.byteLength} bytes now): ${String(cause)}`,
        { cause },
      );
    }
    const names = WebAssembly.Module.exports(module)
      .filter((entry) => entry.kind === 'function')
      .map((entry) => entry.name);
    const record: RegisteredModule = {
      id: this.modules.length,
      handle: Object.freeze({ exports: Object.freeze(names) }),
      binary: bytes,
      functions: names.map((name) => instance.exports[name] as (...parts: number[]) => unknown),
      exportIndex: new Map(names.map((name, index) => [name, index])),
      quoted: names.map((name) => `"${name}"`),
    };
    this.modules.push(record);
    this.byHandle.set(record.handle, record);
    this.loadPending();
    return record.handle;
  }

  /** Runs one part per thread, the last here (see `ParallelKernels.run`). */
  run(module: ParallelModule, exportName: string, parts: readonly (readonly number[])[]): void {
    const record = this.byHandle.get(module);
    if (record === undefined)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        runOperation,
        'expected a module registered on this memory with register()',
      );
    const exportIndex = record.exportIndex.get(exportName);
    if (exportIndex === undefined)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        runOperation,
        `the module has no function named "${exportName}" among its exports ${record.handle.exports.map((name) => `"${name}"`).join(', ')}`,
      );
    const threads = this.threads;
    if (parts.length > threads)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        runOperation,
        `got ${parts.length} parts but ${threads} thread${threads === 1 ? '' : 's'} run; split into at most parallel.threads parts`,
      );
    for (const part of parts)
      if (part.length > kernelThreadLayout.maxArguments)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          runOperation,
          `a part has ${part.length} arguments; at most ${kernelThreadLayout.maxArguments} fit in a job`,
        );
    const exported = record.functions[exportIndex];
    const pool = this.pool;
    if (parts.length === 1 || pool === null || pool.isStopped || this.loaded <= record.id) {
      for (const part of parts) exported.apply(undefined, part as number[]);
      return;
    }
    const helpers = parts.length - 1;
    for (let helper = 0; helper < helpers; helper++) pool.postRun(helper, record.id, exportIndex, parts[helper]);
    let failure: unknown = null;
    try {
      exported.apply(undefined, parts[helpers] as number[]);
    } catch (error) {
      failure = error;
    }
    // A part its helper has not started yet runs here; wait for the others, even after a failure:
    // each writes into the memory until it is done.
    for (let helper = 0; helper < helpers; helper++) {
      try {
        if (pool.take(helper)) exported.apply(undefined, parts[helper] as number[]);
        else pool.wait(helper, runOperation, record.quoted[exportIndex]);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }

  /** Loads the modules registered since the pool's helpers last loaded, through the scratch region. */
  private loadPending(): void {
    const pool = this.pool;
    if (pool === null) return;
    for (; this.loaded < this.modules.length && !pool.isStopped; this.loaded++) {
      const { id, binary } = this.modules[this.loaded];
      const address = this.kernelMemory.scratch(binary.length);
      new Uint8Array(this.memory.buffer, address, binary.length).set(binary);
      for (let helper = 0; helper < pool.helpers; helper++) pool.postLoad(helper, id, address, binary.length);
      for (let helper = 0; helper < pool.helpers; helper++) {
        try {
          pool.wait(helper, registerOperation, 'loading a registered module');
        } catch {
          pool.stop(); // a helper without the module cannot take parts: everything runs here from now on
        }
      }
    }
  }
}

function compile(binary: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  try {
    return new WebAssembly.Module(binary);
  } catch (cause) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      registerOperation,
      `expected the bytes of a WebAssembly module, got ${binary.length} bytes that do not compile: ${String(cause)}`,
      { cause },
    );
  }
}
