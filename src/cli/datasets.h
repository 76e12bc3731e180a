// The data sets the command line (and the UI) can train on, by name.
#pragma once
#include <string>

#include "data/dataset.h"

namespace cnn::cli {

// "mnist", "fashion-mnist" or "cifar10". `location` overrides where the
// files are: a folder (MNIST-style IDX files, or CIFAR-10 batch files) or a
// CIFAR-10 archive; empty means the default place. Throws cnn::Error.
Dataset load_named_dataset(const std::string& name, const std::string& location, bool train);

// "mnist, fashion-mnist, cifar10"
const char* dataset_names();

}  // namespace cnn::cli
