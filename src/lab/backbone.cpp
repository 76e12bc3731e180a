#include "lab/backbone.h"

#include "core/error.h"
#include "core/file.h"
#include "platform/platform.h"
#include "pretrained/resnet50.h"

// The desktop's copy of the asset, made by the resnet50_asset target
// (src/cli/sources.cmake) into the build folder.
#ifndef CNN_BACKBONE_ASSET
#define CNN_BACKBONE_ASSET "web/assets/resnet50_stage3.safetensors"
#endif

namespace cnn::lab {

namespace {

constexpr const char* kLastNode = "conv3_block4_out";

std::string default_source() {
  if (std::string(platform::name()) == "web") return "assets/resnet50_stage3.safetensors";
  return CNN_BACKBONE_ASSET;
}

}  // namespace

BackboneLoader::BackboneLoader() : source_(default_source()) {}
BackboneLoader::~BackboneLoader() = default;

void BackboneLoader::set_source(const std::string& path) {
  source_ = path;
  state_ = State::kIdle;
  model_.reset();
  bytes_.clear();
  arrived_ = false;
  progress_ = 0.f;
  message_.clear();
  ++generation_;
}

void BackboneLoader::request() {
  if (state_ == State::kLoading || state_ == State::kReady) return;
  state_ = State::kLoading;
  progress_ = 0.f;
  arrived_ = false;
  convert_json_ = false;
  const int generation = ++generation_;
  // Desktop without the converted asset: the package's model.json, read in poll().
  if (std::string(platform::name()) != "web" && !file_exists(source_) &&
      file_exists(resnet50_default_path())) {
    convert_json_ = true;
    arrived_ = true;
    message_ = "converting " + resnet50_default_path();
    return;
  }
  message_ = "loading " + source_;
  platform::LoadCallbacks c;
  c.progress = [this, generation](size_t loaded, size_t total) {
    if (generation != generation_) return;
    progress_ = total > 0 ? float(double(loaded) / double(total)) : 0.f;
    message_ = "loading " + source_ + " (" + std::to_string(loaded / 1024) + " kB)";
  };
  c.done = [this, generation](std::vector<uint8_t> bytes) {
    if (generation != generation_) return;
    bytes_ = std::move(bytes);
    arrived_ = true;
    progress_ = 1.f;
    message_ = "preparing the network";
  };
  c.failed = [this, generation](const std::string& error) {
    if (generation != generation_) return;
    state_ = State::kFailed;
    message_ = error.find(source_) == std::string::npos ? source_ + ": " + error : error;
    if (std::string(platform::name()) != "web")
      message_ += " (build the resnet50_asset target, or run scripts/setup.sh)";
  };
  try {
    platform::load_bytes(source_, std::move(c));
  } catch (const std::exception& e) {
    state_ = State::kFailed;
    message_ = source_ + ": " + e.what();
  }
}

void BackboneLoader::poll() {
  if (state_ != State::kLoading || !arrived_) return;
  arrived_ = false;
  try {
    if (convert_json_) {
      Resnet50Options o;
      o.last_layer = kLastNode;
      model_ = std::make_unique<Model>(load_resnet50(resnet50_default_path(), o));
    } else {
      model_ = from_bytes(bytes_, source_);
    }
    state_ = State::kReady;
    message_ = "ResNet50 (ImageNet), stages 1-3, " + std::to_string(model_->param_count() / 1000) +
               "k parameters";
  } catch (const std::exception& e) {
    model_.reset();
    state_ = State::kFailed;
    message_ = e.what();
  }
  bytes_.clear();
  bytes_.shrink_to_fit();
}

}  // namespace cnn::lab
