// The model panel's Save / Load section: model files as the command line
// writes them (weights, optimiser state, preprocessing, class names), so
// `cnn eval` and `cnn train --model FILE` take what the playground saves. The
// desktop asks for a path; the browser downloads and shows its file picker.
#include <imgui.h>

#include "app/app.h"
#include "app/panels.h"
#include "core/error.h"
#include "lab/model_io.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::Session, lab::model_to_bytes;

void draw_model_files(App& app, bool locked) {
  char* path = app.ui.model.path;
  std::string& status = app.file_status;
  Session& s = app.session;
  ImGui::Separator();
  if (!platform::has_file_picker()) {
    ImGui::SetNextItemWidth(16 * ImGui::GetFontSize());
    ImGui::InputText("File", path, sizeof app.ui.model.path);
    tooltip("The model file Save writes and Load reads (.safetensors).");
  }
  if (app.widgets.button("Save model", s.model() != nullptr && !locked)) {
    try {
      s.wait_unit();  // the worker may be inside an evaluation chunk
      Model& m = *s.model();
      m.metadata["dataset"] = app.loader.name();
      m.metadata["preprocessing"] = app.preprocessing.to_json();
      m.metadata["class_names"] = app.train.class_names;
      platform::save_file(path, model_to_bytes(m));
      status = std::string("saved ") + path;
    } catch (const Error& e) {
      status = e.what();
    }
  }
  tooltip("Save the model's layers, weights and preprocessing to a .safetensors file.");
  ImGui::SameLine();
  if (app.widgets.button("Load model", app.train.size() > 0 && !locked)) {
    const std::string name = path;
    platform::LoadCallbacks cb;
    cb.done = [&app, name](std::vector<uint8_t> bytes) { app.load_model_file(bytes, name); };
    cb.failed = [&app](const std::string& message) { app.file_status = message; };
    platform::open_file(path, ".safetensors", std::move(cb));
  }
  tooltip("Load a model saved by BrickLab (or `cnn train --save`), with its weights.");
  if (!status.empty()) {
    ImGui::SameLine();
    ImGui::TextWrapped("%s", status.c_str());
  }
}

}  // namespace cnn::app
