import { describeEmbeddedModules } from '../testing/embedded-modules.js';
import { lossWasmBase64 } from './loss-binary.generated.js';
import { lossKernelsOn } from './loss-kernels.js';

// The hash check of every layer-assembly module runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describeEmbeddedModules(
  'the embedded WebAssembly loss kernel module',
  [lossWasmBase64],
  ['softmaxCrossEntropyF32'],
  lossKernelsOn,
);
