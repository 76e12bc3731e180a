// The data sets BrickLab knows by name, in one table used by the command
// line, the playground and the tests: what each is called, what its images
// look like, which files hold it and where those files are by default.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"

namespace cnn {

enum class DatasetFormat {
  kIdx,      // MNIST-style IDX files, plain or .gz (mnist.h)
  kCifar10,  // CIFAR-10 binary batches, or the archive holding them (cifar.h)
};

struct DatasetInfo {
  const char* name;   // "mnist": on the command line (--dataset) and in the page's ?dataset=
  const char* label;  // "MNIST": in the playground's menu
  DatasetFormat format;
  int channels, height, width;  // one image
  const std::vector<std::string>& (*class_names)();
  // The official file names. IDX: images, then labels. CIFAR-10: the batches.
  std::vector<std::string> train_files, test_files;
  // The official archive holding the files ("" when there is none).
  const char* archive;
  // No package ships the set: the user supplies the files (or --data).
  bool user_files;
  // The files usually come gzipped (.gz is tried first, then the plain name).
  bool gz_first;
  // Where the files are on this machine by default ("" for user_files sets).
  std::string (*default_dir)();
  // The folder, relative to the web page, the page fetches the files from
  // (the server maps it: scripts/serve.py). Ends with '/'; "" for user_files sets.
  const char* url_folder;
};

// Every known set, in menu order: mnist, fashion-mnist, cifar10.
const std::vector<DatasetInfo>& known_datasets();
// The entry for `name`; throws cnn::Error listing the names when unknown.
const DatasetInfo& dataset_info(const std::string& name);
// "mnist, fashion-mnist, cifar10"
std::string dataset_names();

// The folder `set`'s files are requested from, ending with '/': its URL
// folder when the files are fetched over HTTP beside a web page, else its
// default folder on this machine.
std::string dataset_folder(const DatasetInfo& set, bool over_http);

// The training or test set of `name` from `location` (a folder of the
// official files, or a CIFAR-10 archive); empty means the default folder.
// Throws cnn::Error.
Dataset load_dataset(const std::string& name, const std::string& location, bool train);

}  // namespace cnn
