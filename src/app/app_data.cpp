// The app's data side: files dropped on the window or picked (data or model
// files), data paths on the desktop, preprocessing changes, the
// augmentation hook, and the model preset that suits the data set.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "app/app.h"
#include "app/panels.h"
#include "app/style_panel.h"
#include "core/error.h"
#include "data/file.h"

namespace cnn::app {

namespace {

bool is_model_file(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  for (const char* ext : {".safetensors", ".cnn"})
    if (lower.size() >= std::strlen(ext) &&
        lower.compare(lower.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

bool is_colour_preset(const std::string& preset) {
  return preset == "convnetjs-cifar" || preset == "vgg-small";
}
bool is_grey_preset(const std::string& preset) {
  return preset == "lenet" || preset == "mnist-small";
}

}  // namespace

void App::init_data_side() {
  preprocessing.mode = options.preprocessing;
  augmentation.set(options.augmentation);
  session.augment = augmentation.hook();
  platform::DropCallbacks cb;
  cb.started = [this](int count, size_t bytes) {
    if (dataset_info(loader.name()).user_files) loader.files_coming(count, bytes);
  };
  cb.progress = [this](size_t loaded, size_t total) {
    if (dataset_info(loader.name()).user_files) loader.files_progress(loaded, total);
  };
  cb.done = [this](std::vector<platform::DroppedFile> files) { receive_files(std::move(files)); };
  cb.failed = [this](const std::string& message) { loader.file_unreadable(message); };
  platform::set_drop_handler(std::move(cb));
  for (const std::string& path : options.data) add_data_path(path);
}

void App::receive_files(std::vector<platform::DroppedFile> files) {
  for (platform::DroppedFile& f : files) received_.push_back(std::move(f));
  ++received_groups_;
}

void App::handle_received_files() {
  if (received_groups_ == 0) return;
  received_groups_ = 0;
  std::vector<platform::DroppedFile> files = std::move(received_);
  received_.clear();
  std::vector<platform::DroppedFile> data;
  bool style_took = false;
  for (platform::DroppedFile& f : files) {
    // Images go to the Style transfer panel, and a .safetensors file too
    // while that panel waits for VGG weights (style_panel.h).
    if (is_image_file(f.name) || (style_wants_weights(*this) && is_model_file(f.name))) {
      if (is_image_file(f.name))
        style_receive_image(*this, std::move(f));
      else
        style_receive_weights(*this, std::move(f));
      style_took = true;
      continue;
    }
    if (is_model_file(f.name))
      load_model_file(*this, f.bytes, f.name);
    else
      data.push_back(std::move(f));
  }
  if (data.empty() && style_took) return;
  if (data.empty()) {
    loader.no_files_came();
    return;
  }
  // Data files mean CIFAR-10 (the only set the user supplies).
  if (!dataset_info(loader.name()).user_files) {
    for (const DatasetInfo& d : known_datasets())
      if (d.user_files) select_dataset(d.name);
  }
  loader.add_files(std::move(data));
}

void App::add_data_path(const std::string& path) {
  std::vector<std::string> paths;
  if (directory_exists(path)) {  // cifar-10-batches-bin/
    const std::string dir = path.back() == '/' ? path : path + "/";
    const DatasetInfo& cifar = dataset_info("cifar10");
    for (const auto* files : {&cifar.train_files, &cifar.test_files})
      for (const std::string& base : *files)
        if (file_exists(dir + base)) paths.push_back(dir + base);
    if (paths.empty()) {
      loader.file_unreadable(
          path + ": no CIFAR-10 batch files (data_batch_1..5.bin, test_batch.bin) in this folder");
      return;
    }
  } else {
    paths.push_back(path);
  }
  // One group, like a drop, so the batches are examined together.
  auto group = std::make_shared<std::vector<platform::DroppedFile>>();
  auto left = std::make_shared<size_t>(paths.size());
  for (const std::string& p : paths) {
    platform::LoadCallbacks cb;
    cb.done = [this, p, group, left](std::vector<uint8_t> bytes) {
      group->push_back({p, std::move(bytes)});
      if (--*left == 0) receive_files(std::move(*group));
    };
    cb.failed = [this, group, left](const std::string& message) {
      loader.file_unreadable(message);
      if (--*left == 0 && !group->empty()) receive_files(std::move(*group));
    };
    platform::open_file(p, "", std::move(cb));
  }
}

void App::change_preprocessing(Preprocessing::Mode mode, const Preprocessing* exact) {
  if (train.size() == 0) {
    preprocessing.mode = mode;
    return;
  }
  session.set_data(nullptr, nullptr);  // stops training: the data changes under it
  try {
    preprocessing.unapply(train.x);
    preprocessing.unapply(test.x);
    preprocessing = exact ? *exact : Preprocessing::fit(mode, train);
    preprocessing.apply(train.x);
    preprocessing.apply(test.x);
  } catch (const Error& e) {  // a loaded model's statistics for another channel count
    file_status = e.what();
    preprocessing = Preprocessing::fit(Preprocessing::Mode::kScale01, train);
    preprocessing.apply(train.x);
    preprocessing.apply(test.x);
  }
  session.set_data(&train, &test);
}

void App::switch_preset_family() {
  const bool colour = train.x.shape().c == 3;
  const std::string& preset = session.preset();
  if (colour && is_grey_preset(preset))
    session.load_preset("convnetjs-cifar");
  else if (!colour && is_colour_preset(preset))
    session.load_preset(is_grey_preset(options.model) ? options.model : "lenet");
}

}  // namespace cnn::app
