// Errors the user can act on. Every message names what went wrong and, where a
// file is involved, which file: "data/train.idx: truncated: expected 47040016
// bytes, found 1000". Callers at the top (CLI, UI) print what() and carry on.
#pragma once
#include <stdexcept>
#include <string>

namespace cnn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A problem with a named file: the message is "<path>: <problem>".
class FileError : public Error {
 public:
  FileError(const std::string& path, const std::string& problem)
      : Error(path + ": " + problem), path_(path) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace cnn
