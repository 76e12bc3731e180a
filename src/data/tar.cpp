#include "data/tar.h"

#include <cstring>

#include "core/error.h"

namespace cnn {

namespace {

constexpr size_t kBlock = 512;

// A NUL-terminated (or full-width) text field.
std::string text_field(const uint8_t* p, size_t width) {
  size_t n = 0;
  while (n < width && p[n] != 0) ++n;
  return std::string(reinterpret_cast<const char*>(p), n);
}

// Numeric fields are octal text; GNU tar stores large values in base 256
// (high bit of the first byte set). Returns false when the field is garbage.
bool number_field(const uint8_t* p, size_t width, uint64_t& value) {
  value = 0;
  if (p[0] & 0x80) {
    for (size_t i = 1; i < width; ++i) value = value << 8 | p[i];
    return value < (uint64_t(1) << 48);
  }
  size_t i = 0;
  while (i < width && p[i] == ' ') ++i;
  bool digits = false;
  for (; i < width && p[i] >= '0' && p[i] <= '7'; ++i, digits = true)
    value = value * 8 + (p[i] - '0');
  for (; i < width; ++i)
    if (p[i] != ' ' && p[i] != 0) return false;
  return digits;
}

bool checksum_ok(const uint8_t* h) {
  uint64_t stored;
  if (!number_field(h + 148, 8, stored)) return false;
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == stored;
}

bool all_zero(const uint8_t* p) {
  for (size_t i = 0; i < kBlock; ++i)
    if (p[i]) return false;
  return true;
}

// The "path" record of a pax extended header: lines "<len> path=<value>\n".
std::string pax_path(const uint8_t* p, size_t size) {
  std::string records(reinterpret_cast<const char*>(p), size);
  size_t pos = 0;
  while (pos < records.size()) {
    size_t space = records.find(' ', pos);
    if (space == std::string::npos) break;
    size_t len = std::strtoul(records.c_str() + pos, nullptr, 10);
    if (len == 0 || pos + len > records.size()) break;
    std::string record = records.substr(space + 1, pos + len - space - 2);  // without '\n'
    if (record.rfind("path=", 0) == 0) return record.substr(5);
    pos += len;
  }
  return "";
}

}  // namespace

std::vector<TarEntry> list_tar(const std::vector<uint8_t>& archive, const std::string& path) {
  std::vector<TarEntry> entries;
  std::string long_name;  // from a preceding GNU 'L' or pax 'x' entry
  size_t pos = 0;
  for (;;) {
    if (archive.size() - pos < kBlock) {
      if (entries.empty() && pos == 0) throw FileError(path, "not a tar archive");
      // Archives end with two zero blocks; some writers omit them.
      if (pos == archive.size()) break;
      throw FileError(path, "truncated tar archive (a header at offset " + std::to_string(pos) +
                                " is cut off)");
    }
    const uint8_t* h = &archive[pos];
    if (all_zero(h)) {
      if (pos == 0) throw FileError(path, "not a tar archive");
      break;
    }
    if (!checksum_ok(h)) {
      if (pos == 0) throw FileError(path, "not a tar archive");
      throw FileError(path, "corrupt tar header at offset " + std::to_string(pos));
    }
    uint64_t size;
    if (!number_field(h + 124, 12, size))
      throw FileError(path, "corrupt tar header at offset " + std::to_string(pos) + " (size)");
    std::string name = text_field(h, 100);
    // POSIX ustar splits long paths into prefix/name; GNU ("ustar  ") uses
    // that area for other fields.
    if (std::memcmp(h + 257, "ustar\0", 6) == 0) {
      std::string prefix = text_field(h + 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    const size_t data = pos + kBlock;
    if (size > archive.size() - data)
      throw FileError(path, "truncated tar archive: '" + name + "' needs " + std::to_string(size) +
                                " bytes but the archive has " +
                                std::to_string(archive.size() - data) + " left");
    const char type = char(h[156]);
    if (type == 'L') {
      long_name = text_field(&archive[data], size_t(size));
    } else if (type == 'x') {
      long_name = pax_path(&archive[data], size_t(size));
    } else {
      if (type == '0' || type == '\0' || type == '7')
        entries.push_back({long_name.empty() ? name : long_name, data, size_t(size)});
      long_name.clear();
    }
    pos = data + (size_t(size) + kBlock - 1) / kBlock * kBlock;
    if (pos > archive.size()) pos = archive.size();  // last data block unpadded
  }
  return entries;
}

}  // namespace cnn
