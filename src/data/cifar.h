// CIFAR-10, binary version: records of 1 label byte + 3072 pixel bytes
// (1024 R, then 1024 G, then 1024 B, each plane row-major 32x32). Official
// files hold 10000 records (data_batch_1..5.bin, test_batch.bin); any whole
// number of records is accepted.
#pragma once
#include <cstddef>
#include <cstdint>
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

// --- From bytes in memory (the browser gives bytes, not paths) ---------------
// Names are only used in messages.
struct NamedBytes {
  std::string name;
  std::vector<uint8_t> bytes;
};

// The records of all batches, in order (as load_cifar10_batches).
Dataset parse_cifar10_batches(const std::vector<NamedBytes>& batches,
                              const std::string& name = "cifar10");

// Checks one batch file (whole records, labels 0..9) without decoding it;
// returns its number of images. Throws FileError naming the file.
size_t check_cifar10_batch(const std::vector<uint8_t>& bytes, const std::string& name);

// Both sets from the bytes of cifar-10-binary.tar.gz (or an uncompressed
// .tar): the training set from whichever data_batch_<k>.bin it holds (in
// order of k), the test set from test_batch.bin. Throws FileError when the
// archive is not one, holds no batches, or lacks either kind.
struct Cifar10Sets {
  Dataset train, test;
};
Cifar10Sets parse_cifar10_archive(std::vector<uint8_t> archive, const std::string& path);

// The batch files inside such an archive, unchecked: data_batch_<k>.bin in
// order of k, then test_batch.bin, each named "<path>:<name inside>".
// Throws FileError when it is no archive or holds no batch file.
std::vector<NamedBytes> cifar10_archive_batches(std::vector<uint8_t> archive,
                                                const std::string& path);
// k for a base name "data_batch_<k>.bin", else 0.
int cifar10_training_batch_number(const std::string& base_name);

const std::vector<std::string>& cifar10_class_names();  // "airplane".."truck"

}  // namespace cnn
