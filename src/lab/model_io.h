// Model files to and from bytes, for the Save / Load buttons: the bytes go to
// platform::save_file (a download in the browser) and come from
// platform::open_file (the file picker). The format is the engine's
// (model/model_file.h), so `cnn eval` reads what the playground saves.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace cnn::lab {

// Goes through a temporary file (the engine writes and reads model files by
// path; in the browser that is Emscripten's in-memory file system).
std::vector<uint8_t> model_to_bytes(Model& model);
// `name` is for messages. Throws cnn::Error / FileError.
Model model_from_bytes(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace cnn::lab
