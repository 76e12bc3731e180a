// Files and byte-level writers for tests: the formats are written field by
// field, independently of the readers in src/data, and simple enough to be
// obviously right (stored deflate blocks, plain ustar headers).
#pragma once
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace cnn::test {

using Bytes = std::vector<uint8_t>;

inline bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
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

// A POSIX ustar archive of regular files.
inline Bytes ustar(const std::vector<std::pair<std::string, Bytes>>& files) {
  Bytes out;
  for (const auto& [name, data] : files) {
    Bytes h(512, 0);
    std::copy(name.begin(), name.end(), h.begin());
    auto octal = [&](size_t at, size_t width, uint64_t v) {
      std::snprintf(reinterpret_cast<char*>(&h[at]), width, "%0*llo", int(width - 1),
                    (unsigned long long)v);
    };
    octal(100, 8, 0644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, data.size());
    octal(136, 12, 0);
    h[156] = '0';
    std::copy_n(
        "ustar\0"
        "00",
        8, h.begin() + 257);
    std::fill(h.begin() + 148, h.begin() + 156, ' ');
    unsigned sum = 0;
    for (uint8_t v : h) sum += v;
    std::snprintf(reinterpret_cast<char*>(&h[148]), 8, "%06o", sum);
    out.insert(out.end(), h.begin(), h.end());
    out.insert(out.end(), data.begin(), data.end());
    out.resize((out.size() + 511) / 512 * 512, 0);
  }
  out.resize(out.size() + 1024, 0);
  return out;
}

}  // namespace cnn::test
