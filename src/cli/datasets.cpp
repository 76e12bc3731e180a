#include "cli/datasets.h"

#include "core/error.h"
#include "data/cifar.h"
#include "data/file.h"
#include "data/mnist.h"

namespace cnn::cli {

const char* dataset_names() {
  return "mnist, fashion-mnist, cifar10";
}

Dataset load_named_dataset(const std::string& name, const std::string& location, bool train) {
  if (name == "mnist") return load_mnist(location.empty() ? default_mnist_dir() : location, train);
  if (name == "fashion-mnist")
    return load_fashion_mnist(location.empty() ? default_fashion_mnist_dir() : location, train);
  if (name == "cifar10") {
    if (location.empty())
      throw Error(
          "cifar10: no package ships CIFAR-10; download cifar-10-binary.tar.gz and pass "
          "--data PATH (the archive, or the folder of its .bin files)");
    if (!directory_exists(location)) return load_cifar10_archive(location, train);
    std::vector<std::string> files;
    if (train)
      for (int i = 1; i <= 5; ++i)
        files.push_back(location + "/data_batch_" + std::to_string(i) + ".bin");
    else
      files.push_back(location + "/test_batch.bin");
    return load_cifar10_batches(files);
  }
  throw Error("unknown dataset \"" + name + "\" (choose one of: " + dataset_names() + ")");
}

}  // namespace cnn::cli
