// The IDX format of MNIST and Fashion-MNIST: a big-endian header
// (0, 0, type, ndims, then ndims uint32 sizes) followed by the values,
// row-major. Only type 0x08 (unsigned byte) exists in those data sets.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cnn {

struct IdxFile {
  std::vector<int> dims;      // e.g. {60000, 28, 28} for images, {60000} for labels
  std::vector<uint8_t> data;  // the values without the header
};

// Reads a plain or gzip-compressed (detected by its 1f 8b magic) IDX file.
// Throws FileError(path, ...) for a bad magic, another element type, or a
// byte count that does not match the header (truncated or trailing bytes).
IdxFile read_idx(const std::string& path);

// The same on bytes already in memory; `path` is only used in messages.
IdxFile parse_idx(std::vector<uint8_t> bytes, const std::string& path);

}  // namespace cnn
