#include "core/file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace cnn {

namespace {

std::string reason(int err) {
  return std::strerror(err);
}

}  // namespace

std::vector<uint8_t> load_file_bytes(const std::string& path) {
  if (directory_exists(path)) throw FileError(path, "cannot open: is a directory");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw FileError(path, "cannot open: " + reason(errno));
  // Read straight into a buffer of the size fstat reports, then on until EOF,
  // so files that grow or report no size (pipes) still load completely.
  std::vector<uint8_t> bytes;
  struct stat st;
  size_t expected = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? size_t(st.st_size) : 0;
  bytes.resize(expected);
  size_t got = std::fread(bytes.data(), 1, expected, f);
  bytes.resize(got);
  if (got == expected) {
    uint8_t chunk[4096];
    while (size_t more = std::fread(chunk, 1, sizeof chunk, f))
      bytes.insert(bytes.end(), chunk, chunk + more);
  }
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) throw FileError(path, "cannot read: " + reason(err));
  return bytes;
}

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw FileError(path, "cannot write: " + reason(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  int err = errno;
  // fclose flushes; a full disk may only show up here.
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    std::remove(tmp.c_str());
    throw FileError(path, "cannot write: " + reason(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    std::remove(tmp.c_str());
    throw FileError(path, "cannot replace the file: " + reason(err));
  }
}

bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool directory_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace cnn
