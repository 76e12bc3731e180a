// Raw deflate (RFC 1951) decoding for the gzip reader, on top of stb_image's
// zlib decoder (implemented in stb_impl.cpp). Internal to src/data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cnn::detail {

struct InflateResult {
  enum class Status { kOk, kCorrupt, kTruncated };
  Status status = Status::kCorrupt;
  std::vector<uint8_t> out;
  size_t consumed = 0;  // length of the deflate stream in bytes (kOk only)
};

// Decodes the deflate stream at the start of data[0, size). Meant for gzip
// members, whose stream is followed by an 8-byte trailer: a stream that ends
// less than 4 bytes before `size` is reported as kTruncated, because the
// decoder's 32-bit look-ahead would then run past the end of the input.
InflateResult inflate_raw(const uint8_t* data, size_t size);

}  // namespace cnn::detail
