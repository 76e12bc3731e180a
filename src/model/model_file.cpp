#include "model/model_file.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "data/safetensors.h"

namespace cnn {

namespace {

constexpr const char* kFormat = "cnn-playground-model/1";

std::vector<int64_t> stored_shape(const Shape& s) {
  std::vector<int64_t> d = {s.n, s.c, s.h, s.w};
  while (d.size() > 1 && d.back() == 1) d.pop_back();
  if (d.size() > 1 && d.front() == 1) d.erase(d.begin());
  return d;
}

std::string shape_str(const std::vector<int64_t>& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

nlohmann::json compile_json(Model& model) {
  const CompileOptions& c = model.compile_options();
  nlohmann::json j = {{"loss", c.loss},
                      {"loss_weights", c.loss_weights},
                      {"optimizer", model.optimizer()->config()},
                      {"metrics", c.metrics}};
  j["schedule"] = model.schedule() ? model.schedule()->config() : nlohmann::json(nullptr);
  return j;
}

}  // namespace

void save_model(const std::string& path, Model& model, bool with_optimizer) {
  if (!model.built()) model.build();
  SafetensorsFile file;
  file.metadata["format"] = kFormat;
  file.metadata["architecture"] = model.architecture().dump();
  file.metadata["metadata"] = model.metadata.dump();
  if (model.compiled()) {
    file.metadata["compile"] = compile_json(model).dump();
    file.metadata["optimizer_steps"] = std::to_string(model.optimizer()->steps());
  }
  model.for_each_state_tensor(
      with_optimizer && model.compiled(), [&](const std::string& name, Tensor& t) {
        file.tensors.push_back(
            {name, stored_shape(t.shape()), std::vector<float>(t.data(), t.data() + t.size())});
      });
  write_safetensors(path, file);
}

Model load_model(const std::string& path) {
  SafetensorsFile file = read_safetensors(path);
  auto meta = [&](const char* key) -> const std::string* {
    auto it = file.metadata.find(key);
    return it == file.metadata.end() ? nullptr : &it->second;
  };
  const std::string* format = meta("format");
  if (!format || *format != kFormat)
    throw FileError(path, "not a CNN Playground model file (its metadata has no \"format\": \"" +
                              std::string(kFormat) + "\")");
  auto parse = [&](const char* key) {
    const std::string* text = meta(key);
    if (!text) throw FileError(path, std::string("metadata \"") + key + "\" is missing");
    try {
      return nlohmann::json::parse(*text);
    } catch (const nlohmann::json::exception& e) {
      throw FileError(path, std::string("metadata \"") + key + "\" is not valid JSON: " + e.what());
    }
  };
  try {
    Model model = Model::from_architecture(parse("architecture"));
    model.build(0);
    if (meta("metadata")) model.metadata = parse("metadata");
    const bool has_compile = meta("compile") != nullptr;
    if (has_compile) {
      nlohmann::json c = parse("compile");
      CompileOptions options;
      options.loss = c.at("loss").get<std::vector<nlohmann::json>>();
      options.loss_weights = c.at("loss_weights").get<std::vector<float>>();
      options.optimizer = c.at("optimizer");
      options.metrics = c.at("metrics").get<std::vector<std::string>>();
      options.schedule = c.value("schedule", nlohmann::json(nullptr));
      model.compile(options);
      if (const std::string* steps = meta("optimizer_steps"))
        model.optimizer()->set_steps(std::stol(*steps));
    }
    // Optimiser state is optional (a file saved without it still loads);
    // weights and buffers are required.
    size_t used = 0;
    model.for_each_state_tensor(has_compile, [&](const std::string& name, Tensor& t) {
      const NamedTensor* stored = file.find(name);
      const bool optional = name.rfind("optimizer.", 0) == 0;
      if (!stored) {
        if (optional) return;
        throw FileError(path, "tensor '" + name + "' is missing");
      }
      auto want = stored_shape(t.shape());
      if (stored->shape != want)
        throw FileError(path, "tensor '" + name + "' has shape " + shape_str(stored->shape) +
                                  " but the architecture needs " + shape_str(want));
      std::copy(stored->values.begin(), stored->values.end(), t.data());
      ++used;
    });
    if (used != file.tensors.size()) {
      for (const NamedTensor& t : file.tensors) {
        bool known = false;
        model.for_each_state_tensor(has_compile, [&](const std::string& name, Tensor&) {
          known = known || name == t.name;
        });
        if (!known)
          throw FileError(path, "tensor '" + t.name + "' does not belong to the architecture");
      }
    }
    return model;
  } catch (const FileError&) {
    throw;
  } catch (const Error& e) {
    throw FileError(path, e.what());
  } catch (const std::exception& e) {
    throw FileError(path, std::string("malformed metadata: ") + e.what());
  }
}

}  // namespace cnn
