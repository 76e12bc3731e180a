#include "data/idx.h"

#include <climits>

#include "core/error.h"
#include "core/file.h"
#include "data/gzip.h"

namespace cnn {

namespace {

std::string hex_byte(uint8_t b) {
  const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

// "60000 images of 28x28", "60000 values", "10 items of 3x4x5".
std::string describe(const std::vector<int>& dims) {
  std::string s = std::to_string(dims[0]);
  if (dims.size() == 1) return s + " values";
  s += dims.size() == 3 ? " images of " : " items of ";
  for (size_t i = 1; i < dims.size(); ++i) s += (i > 1 ? "x" : "") + std::to_string(dims[i]);
  return s;
}

}  // namespace

IdxFile parse_idx(std::vector<uint8_t> bytes, const std::string& path) {
  std::string unpacked;
  if (is_gzip(bytes)) {
    bytes = gunzip(bytes, path);
    unpacked = " (after decompression)";
  }
  if (bytes.size() < 4)
    throw FileError(path,
                    "not an IDX file: only " + std::to_string(bytes.size()) + " bytes" + unpacked);
  if (bytes[0] != 0 || bytes[1] != 0)
    throw FileError(path, "not an IDX file: it starts with " + hex_byte(bytes[0]) + " " +
                              hex_byte(bytes[1]) + ", an IDX file with 0x00 0x00");
  if (bytes[2] != 0x08)
    throw FileError(path, "unsupported IDX element type " + hex_byte(bytes[2]) +
                              ": only 0x08 (unsigned byte) is supported");
  const int ndims = bytes[3];
  if (ndims == 0) throw FileError(path, "bad IDX header: 0 dimensions");
  const size_t header = 4 + 4 * size_t(ndims);
  if (bytes.size() < header)
    throw FileError(path, "truncated: the header has " + std::to_string(ndims) + " dimensions (" +
                              std::to_string(header) + " bytes) but the file has " +
                              std::to_string(bytes.size()) + " bytes" + unpacked);
  IdxFile idx;
  uint64_t count = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint8_t* p = &bytes[4 + 4 * size_t(d)];
    uint64_t v = uint64_t(p[0]) << 24 | uint64_t(p[1]) << 16 | uint64_t(p[2]) << 8 | p[3];
    if (v > uint64_t(INT_MAX))
      throw FileError(
          path, "bad IDX header: dimension " + std::to_string(d) + " is " + std::to_string(v));
    idx.dims.push_back(int(v));
    count *= v;
    if (count > (uint64_t(1) << 40))
      throw FileError(path, "bad IDX header: " + describe(idx.dims) + "... is too large");
  }
  const uint64_t expected = header + count;
  if (bytes.size() != expected) {
    std::string problem = bytes.size() < expected ? "truncated" : "unexpected bytes after the data";
    throw FileError(path, problem + ": header says " + describe(idx.dims) + " (" +
                              std::to_string(expected) + " bytes) but the file has " +
                              std::to_string(bytes.size()) + " bytes" + unpacked);
  }
  bytes.erase(bytes.begin(), bytes.begin() + std::ptrdiff_t(header));
  idx.data = std::move(bytes);
  return idx;
}

IdxFile read_idx(const std::string& path) {
  return parse_idx(load_file_bytes(path), path);
}

}  // namespace cnn
