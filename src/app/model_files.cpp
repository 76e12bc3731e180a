// The model panel's Save / Load section: model files as the command line
// writes them (weights, optimiser state, preprocessing, class names), so
// `cnn eval` and `cnn train --model FILE` take what the playground saves. The
// desktop asks for a path; the browser downloads and shows its file picker.
#include <imgui.h>

#include "app/app.h"
#include "app/model_io.h"
#include "app/panels.h"
#include "core/error.h"
#include "platform/platform.h"

namespace cnn::app {

void load_model_file(App& app, const std::vector<uint8_t>& bytes, const std::string& name) {
  std::string& status = app.file_status;
  try {
    Model m = model_from_bytes(bytes, name);
    // The model works on inputs prepared as its training inputs were: take
    // its preprocessing (mode and statistics) when it differs, if it fits.
    if (m.metadata.contains("preprocessing") && app.train.size() > 0 &&
        m.input_shape() == app.train.x.shape().with_batch(1)) {
      const Preprocessing p = Preprocessing::from_json(m.metadata["preprocessing"]);
      if (p.to_json() != app.preprocessing.to_json()) app.change_preprocessing(p.mode, &p);
    }
    app.session.adopt(std::move(m));
    status = "loaded " + name;
  } catch (const Error& e) {
    status = e.what();
  }
}

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
    cb.done = [&app, name](std::vector<uint8_t> bytes) { load_model_file(app, bytes, name); };
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
