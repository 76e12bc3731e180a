// Helpers for the data tests: a scratch folder under the build directory,
// byte-level writers for the formats under test (independent of the readers
// in src/data), and error-message checks.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"

namespace cnn::test {

using Bytes = std::vector<uint8_t>;

// A fresh, empty folder CNN_BINARY_DIR/test_data_tmp/<name>.
inline std::string temp_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(CNN_BINARY_DIR) / "test_data_tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline std::string fixture(const std::string& name) {
  return std::string(CNN_SOURCE_DIR) + "/tests/data/fixtures/" + name;
}

inline void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  ASSERT_TRUE(f.good()) << "cannot write " << path;
}

inline Bytes read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

inline Bytes text_bytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

// Bit-at-a-time CRC-32 (the reader uses a table; this is the definition).
inline uint32_t crc32_bitwise(const Bytes& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

inline void put_le32(Bytes& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

inline void put_be32(Bytes& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(uint8_t(v >> (8 * i)));
}

struct GzipOptions {
  std::string extra, name, comment;  // FEXTRA / FNAME / FCOMMENT when non-empty
  bool header_crc = false;           // FHCRC
};

// A gzip member with the data in stored (uncompressed) deflate blocks of at
// most 65535 bytes: a writer simple enough to be obviously right.
inline Bytes gzip_stored(const Bytes& data, const GzipOptions& o = {}) {
  uint8_t flags = uint8_t((o.header_crc ? 2 : 0) | (o.extra.empty() ? 0 : 4) |
                          (o.name.empty() ? 0 : 8) | (o.comment.empty() ? 0 : 16));
  Bytes out = {0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 255};
  if (!o.extra.empty()) {
    out.push_back(uint8_t(o.extra.size()));
    out.push_back(uint8_t(o.extra.size() >> 8));
    out.insert(out.end(), o.extra.begin(), o.extra.end());
  }
  for (const std::string* s : {&o.name, &o.comment}) {
    if (s->empty()) continue;
    out.insert(out.end(), s->begin(), s->end());
    out.push_back(0);
  }
  if (o.header_crc) {
    uint32_t crc = crc32_bitwise(out);
    out.push_back(uint8_t(crc));
    out.push_back(uint8_t(crc >> 8));
  }
  size_t pos = 0;
  do {
    size_t len = std::min<size_t>(65535, data.size() - pos);
    bool final = pos + len == data.size();
    out.push_back(final ? 1 : 0);  // BFINAL, BTYPE = 00 (stored), rest of the byte unused
    out.push_back(uint8_t(len));
    out.push_back(uint8_t(len >> 8));
    out.push_back(uint8_t(~len));
    out.push_back(uint8_t(~len >> 8));
    out.insert(out.end(), data.begin() + std::ptrdiff_t(pos),
               data.begin() + std::ptrdiff_t(pos + len));
    pos += len;
  } while (pos < data.size());
  put_le32(out, crc32_bitwise(data));
  put_le32(out, uint32_t(data.size()));
  return out;
}

// An IDX file of unsigned bytes.
inline Bytes idx_bytes(const std::vector<uint32_t>& dims, const Bytes& values) {
  Bytes out = {0, 0, 0x08, uint8_t(dims.size())};
  for (uint32_t d : dims) put_be32(out, d);
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

// The message of the cnn::Error that f throws ("" and a test failure if none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a cnn::Error";
  return "";
}

}  // namespace cnn::test

// EXPECT_CONTAINS(message, "truncated"): substring check with the message shown.
#define EXPECT_CONTAINS(text, part)                          \
  EXPECT_NE(std::string(text).find(part), std::string::npos) \
      << "expected \"" << (part) << "\" in:\n  " << (text)
