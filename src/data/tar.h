// A minimal reader for tar archives (POSIX ustar, GNU and pax variants, as
// written by GNU tar): it lists the regular files so callers can pick theirs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cnn {

struct TarEntry {
  std::string name;   // full path inside the archive, "cifar-10-batches-bin/test_batch.bin"
  size_t offset = 0;  // where the file's data starts in the archive bytes
  size_t size = 0;
};

// The regular files of the archive in order. Throws FileError(path, ...) for
// "not a tar archive" (first header invalid), corrupt headers and truncation.
std::vector<TarEntry> list_tar(const std::vector<uint8_t>& archive, const std::string& path);

}  // namespace cnn
