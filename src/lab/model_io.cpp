#include "lab/model_io.h"

#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/error.h"
#include "core/file.h"
#include "model/model_file.h"

namespace cnn::lab {

namespace {

// A private temporary path, removed when this goes out of scope.
struct TempFile {
  std::string path;
  TempFile() {
    static int counter = 0;
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = ".";
    const std::string name =
        "bricklab-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    path = (dir / (name + ".safetensors")).string();
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

}  // namespace

std::vector<uint8_t> model_to_bytes(Model& model) {
  TempFile tmp;
  save_model(tmp.path, model);
  return load_file_bytes(tmp.path);
}

Model model_from_bytes(const std::vector<uint8_t>& bytes, const std::string& name) {
  TempFile tmp;
  write_file_atomic(tmp.path, bytes);
  try {
    return load_model(tmp.path);
  } catch (const Error& e) {
    // Name the user's file, not the temporary one.
    std::string message = e.what();
    if (message.rfind(tmp.path, 0) == 0) message = name + message.substr(tmp.path.size());
    throw Error(message);
  }
}

}  // namespace cnn::lab
