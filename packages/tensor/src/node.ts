// The Node-only entry of @annet/tensor (`@annet/tensor/node`): code that needs Node's built-in
// modules, kept out of the main entry so that browsers never load it.
export {
  startKernelThreads,
  type KernelThreadsHandle,
  type KernelThreadsOptions,
} from './node/kernel-worker-threads.js';
