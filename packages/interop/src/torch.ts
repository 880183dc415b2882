// @annet/interop/torch: PyTorch state dicts in and out, as safetensors files.
