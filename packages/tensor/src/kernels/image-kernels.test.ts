import { describeEmbeddedModules } from '../testing/embedded-modules.js';
import { imageWasmBase64 } from './image-binary.generated.js';
import { imageNormWasmBase64 } from './image-norm-binary.generated.js';
import { imageKernelsOn } from './image-kernels.js';

// The hash check of every layer-assembly module runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describeEmbeddedModules(
  'the embedded WebAssembly image layer kernel modules',
  [imageWasmBase64, imageNormWasmBase64],
  [
    'batchNormGradientSumsF32',
    'batchNormInputGradientF32',
    'batchNormNormalizeF32',
    'channelSumsF32',
    'col2imF32',
    'im2colF32',
    'maxPool2x2F32',
    'maxUnpool2x2F32',
    'reluBackwardF32',
    'reluF32',
    'transposeBlocksF32',
  ],
  imageKernelsOn,
);
