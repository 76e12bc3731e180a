// The CIFAR-10 files a user supplies to the playground, collected over any
// number of drops or picks: the official archive (cifar-10-binary.tar.gz, or
// the .tar) and batch files data_batch_<k>.bin / test_batch.bin, recognised
// by name and checked (whole records, labels 0..9) as they come. No
// platform calls: the data loader feeds it, the tests too.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "platform/platform.h"

namespace cnn::lab {

class Cifar10Files {
 public:
  struct File {
    std::string name;  // as given ("data_batch_1.bin", or "archive.tar.gz:dir/data_batch_1.bin")
    std::string base;  // "data_batch_1.bin"
    size_t images = 0;
  };

  // Takes the usable files (a batch replaces an earlier one of the same
  // name); returns one message per refused file or archive, naming it.
  // `accepted` tells whether anything was taken.
  std::vector<std::string> add(std::vector<platform::DroppedFile> files, bool& accepted);
  void clear() { batches_.clear(); }

  // At least one training batch and the test batch.
  bool complete() const;
  // What to add next ("" when complete).
  std::string missing() const;
  // The sets from the batches (training batches in order of k). Needs complete().
  void build(const std::string& name, Dataset& train, Dataset& test);

  std::vector<File> files() const;  // in use order once built

 private:
  struct Batch {
    File info;
    int number = 0;  // k of data_batch_<k>.bin; 0 for test_batch.bin
    std::vector<uint8_t> bytes;
  };
  bool take(std::string name, std::vector<uint8_t> bytes, std::vector<std::string>& problems);
  std::vector<Batch> batches_;
};

// The message for a file that is neither a CIFAR-10 archive nor a batch file
// by name, e.g. "cat.png: not a CIFAR-10 file: expected ...".
std::string unexpected_file_message(const std::string& name, const std::vector<uint8_t>& bytes);

}  // namespace cnn::lab
