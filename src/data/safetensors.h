// The safetensors container (used by Hugging Face and timm for weights, and by
// this engine for its own model files): an 8-byte little-endian header length
// N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value", ...}}
// then the raw little-endian row-major data; offsets count from the data start.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cnn {

struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major; size = product of shape
};

struct SafetensorsFile {
  std::map<std::string, std::string> metadata;
  std::vector<NamedTensor> tensors;  // in data order
  // The tensor called `name`, or nullptr.
  const NamedTensor* find(const std::string& name) const;
};

// Writes every tensor as F32, in the given order. Writes path + ".tmp" and
// renames it, so a failed write never destroys an existing file. Throws
// FileError for bad tensors (shape/size mismatch, duplicate names) and I/O.
void write_safetensors(const std::string& path, const SafetensorsFile& file);

// Reads F32, and converts F16, BF16 and F64 to float; other dtypes are
// rejected. Every problem throws FileError(path, ...) naming the tensor.
SafetensorsFile read_safetensors(const std::string& path);

}  // namespace cnn
