// Whole-file reads and safe writes. Data sets, model files and weights are read
// into memory in one go: the engine's files are at most a few hundred MB, and
// a byte vector keeps the parsers simple and identical in both builds (under
// node the WebAssembly build reads the host's files through NODERAWFS).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cnn {

// The whole file. Throws FileError(path, "cannot open: <reason>") when it is
// missing or unreadable, "is a directory" for a directory.
std::vector<uint8_t> load_file_bytes(const std::string& path);

// Writes to path + ".tmp", then renames over path: a failed write (disk full,
// crash) never destroys an existing file.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

bool file_exists(const std::string& path);       // a regular file (or a link to one)
bool directory_exists(const std::string& path);  // a directory (or a link to one)

}  // namespace cnn
