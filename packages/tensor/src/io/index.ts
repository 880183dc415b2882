// Array file formats (NPY, NPZ) and checksums; filled in by the serialization work.
export {};
