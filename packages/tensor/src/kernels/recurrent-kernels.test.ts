import { describeEmbeddedModules } from '../testing/embedded-modules.js';
import { gruWasmBase64 } from './gru-binary.generated.js';
import { recurrentWasmBase64 } from './recurrent-binary.generated.js';
import { recurrentKernelsOn } from './recurrent-kernels.js';

// The hash check of every layer-assembly module runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describeEmbeddedModules(
  'the embedded WebAssembly recurrent cell kernel modules (LSTM and GRU)',
  [recurrentWasmBase64, gruWasmBase64],
  ['gruCellBackwardF32', 'gruCellForwardF32', 'lstmCellBackwardF32', 'lstmCellForwardF32'],
  recurrentKernelsOn,
);
