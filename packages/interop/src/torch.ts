// @annet/interop/torch: PyTorch state dicts in and out, as safetensors files.
export {
  decodeTorchStateDict,
  encodeTorchStateDict,
  fromTorchStateDict,
  toTorchStateDict,
  type TorchMappedModel,
} from './torch/state-dict.js';
export {
  torchLayerMappings,
  type TorchArrayName,
  type TorchExtraBuffer,
  type TorchLayerMapping,
} from './torch/torch-names.js';
