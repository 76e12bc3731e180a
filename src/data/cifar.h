// CIFAR-10, binary version: records of 1 label byte + 3072 pixel bytes
// (1024 R, then 1024 G, then 1024 B, each plane row-major 32x32). Official
// files hold 10000 records (data_batch_1..5.bin, test_batch.bin); any whole
// number of records is accepted.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"

namespace cnn {

// The records of all files, in order: x (N, 3, 32, 32) with channels R, G, B.
Dataset load_cifar10_batches(const std::vector<std::string>& files,
                             const std::string& name = "cifar10");

// The training (data_batch_1..5.bin) or test (test_batch.bin) set straight
// from the official cifar-10-binary.tar.gz (also accepts an uncompressed .tar).
Dataset load_cifar10_archive(const std::string& path, bool train);

const std::vector<std::string>& cifar10_class_names();  // "airplane".."truck"

}  // namespace cnn
