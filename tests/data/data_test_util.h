// Helpers for the data tests: a scratch folder under the build directory,
// the fixtures, and an IDX writer; the byte-level writers shared with other
// tests (gzip, ustar) and error_of come from tests/support.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/bytes.h"
#include "support/error_of.h"

namespace cnn::test {

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

// An IDX file of unsigned bytes.
inline Bytes idx_bytes(const std::vector<uint32_t>& dims, const Bytes& values) {
  Bytes out = {0, 0, 0x08, uint8_t(dims.size())};
  for (uint32_t d : dims) put_be32(out, d);
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

}  // namespace cnn::test

// EXPECT_CONTAINS(message, "truncated"): substring check with the message shown.
#define EXPECT_CONTAINS(text, part)                          \
  EXPECT_NE(std::string(text).find(part), std::string::npos) \
      << "expected \"" << (part) << "\" in:\n  " << (text)
