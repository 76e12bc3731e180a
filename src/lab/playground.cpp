// The playground's data side: data arriving, files dropped on the window or
// picked (data or model files), data paths on the desktop, preprocessing
// changes, the augmentation hook, and the model preset that suits the data set.
#include "lab/playground.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "core/file.h"
#include "lab/model_io.h"

namespace cnn::lab {

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

namespace {

bool is_colour_preset(const std::string& preset) {
  return preset == "convnetjs-cifar" || preset == "vgg-small";
}
bool is_grey_preset(const std::string& preset) {
  return preset == "lenet" || preset == "mnist-small";
}

}  // namespace

Playground::Playground(const PlaygroundSetup& setup) : setup_(setup) {
  session.settings = setup.train;
  session.stop_after_batches = setup.stop_after_batches;
  session.load_preset(setup.model);
  loader.start(setup.dataset);
  if (!setup.backbone.empty()) backbone.set_source(setup.backbone);
  preprocessing.mode = setup.preprocessing;
  augmentation.set(setup.augmentation);
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
  for (const std::string& path : setup.data) add_data_path(path);
}

void Playground::poll_data() {
  loader.update();
  if (loader.state() == DataLoader::State::kReady && loader.generation() != data_generation_)
    on_data_ready();
}

void Playground::select_dataset(const std::string& name) {
  session.set_data(nullptr, nullptr);
  train = Dataset{};
  test = Dataset{};
  loader.start(name);
}

void Playground::on_data_ready() {
  session.wait_unit();  // the worker may still be inside a unit on the old data
  data_generation_ = loader.generation();
  train = std::move(loader.train);
  test = std::move(loader.test);
  loader.train = loader.test = Dataset{};
  if (setup_.limit > 0 && setup_.limit < train.size()) train = train.slice(0, setup_.limit);
  preprocessing = Preprocessing::fit(preprocessing.mode, train);
  preprocessing.apply(train.x);
  preprocessing.apply(test.x);
  switch_preset_family();
  session.set_data(&train, &test);
  if (setup_.autostart) session.train();
}

void Playground::receive_files(std::vector<platform::DroppedFile> files) {
  for (platform::DroppedFile& f : files) received_.push_back(std::move(f));
  ++received_groups_;
}

void Playground::handle_received_files() {
  if (received_groups_ == 0) return;
  received_groups_ = 0;
  std::vector<platform::DroppedFile> files = std::move(received_);
  received_.clear();
  std::vector<platform::DroppedFile> data;
  bool panels_took = false;
  for (platform::DroppedFile& f : files) {
    if (take_file(f)) {
      panels_took = true;
      continue;
    }
    if (is_model_file(f.name))
      load_model_file(f.bytes, f.name);
    else
      data.push_back(std::move(f));
  }
  if (data.empty() && panels_took) return;
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

void Playground::add_data_path(const std::string& path) {
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

void Playground::change_preprocessing(Preprocessing::Mode mode, const Preprocessing* exact) {
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

void Playground::switch_preset_family() {
  const bool colour = train.x.shape().c == 3;
  const std::string& preset = session.preset();
  if (colour && is_grey_preset(preset))
    session.load_preset("convnetjs-cifar");
  else if (!colour && is_colour_preset(preset))
    session.load_preset(is_grey_preset(setup_.model) ? setup_.model : "lenet");
}

void Playground::load_model_file(const std::vector<uint8_t>& bytes, const std::string& name) {
  try {
    Model m = model_from_bytes(bytes, name);
    // The model works on inputs prepared as its training inputs were: take
    // its preprocessing (mode and statistics) when it differs, if it fits.
    if (m.metadata.contains("preprocessing") && train.size() > 0 &&
        m.input_shape() == train.x.shape().with_batch(1)) {
      const Preprocessing p = Preprocessing::from_json(m.metadata["preprocessing"]);
      if (p.to_json() != preprocessing.to_json()) change_preprocessing(p.mode, &p);
    }
    session.adopt(std::move(m));
    file_status = "loaded " + name;
  } catch (const Error& e) {
    file_status = e.what();
  }
}

}  // namespace cnn::lab
