// The parts of BackboneLoader that need no platform (backbone.h): reading the
// model file and copying the model, kept apart so the tests link without a window.
#include "core/error.h"
#include "lab/backbone.h"
#include "lab/model_io.h"

namespace cnn::lab {

namespace {
constexpr const char* kLastNode = "conv3_block4_out";
}  // namespace

std::vector<std::string> BackboneLoader::layer_names() {
  return {"conv1_relu",       "pool1_pool",       "conv2_block1_out",
          "conv2_block2_out", "conv2_block3_out", "conv3_block1_out",
          "conv3_block2_out", "conv3_block3_out", "conv3_block4_out"};
}

std::unique_ptr<Model> BackboneLoader::from_bytes(const std::vector<uint8_t>& bytes,
                                                  const std::string& name) {
  if (bytes.empty()) throw FileError(name, "is empty");
  std::unique_ptr<Model> m;
  try {
    m = std::make_unique<Model>(model_from_bytes(bytes, name));
  } catch (const Error& e) {
    // model_from_bytes names the file already: say it once.
    std::string why = e.what();
    if (why.rfind(name + ": ", 0) == 0) why = why.substr(name.size() + 2);
    throw FileError(name, "cannot be read as a model file: " + why);
  }
  if (m->find(kLastNode) < 0)
    throw FileError(
        name, std::string("is not the ResNet50 stage-3 model: it has no node '") + kLastNode + "'");
  return m;
}

std::unique_ptr<Model> BackboneLoader::copy(int height, int width) const {
  if (!model_) throw Error("the pretrained network is not loaded yet");
  Model& m = *model_;
  nlohmann::json a = m.architecture();
  a["input"] = {m.input_shape().c, height, width};
  auto out = std::make_unique<Model>(Model::from_architecture(a));
  out->build();
  std::vector<Param*> from = m.params(), to = out->params();
  if (from.size() != to.size()) throw Error("copying the pretrained network failed");
  for (size_t i = 0; i < from.size(); ++i) to[i]->value = from[i]->value;
  out->metadata = m.metadata;
  return out;
}

}  // namespace cnn::lab
