// Loads a named data set (MNIST or Fashion-MNIST) without blocking the frame
// loop: its four IDX files are requested at once through platform::load_bytes
// (HTTP in the browser, files on the desktop) and parsed when all arrived.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace cnn::app {

struct DataSetInfo {
  const char* name;   // "mnist"
  const char* label;  // "MNIST"
};
// The data sets the playground offers, in menu order.
const std::vector<DataSetInfo>& playground_datasets();

class DataLoader {
 public:
  enum class State { kIdle, kLoading, kReady, kFailed };

  // Starts loading `name` from platform::data_location(name); a load in
  // flight is abandoned (its late callbacks are ignored).
  void start(const std::string& name);

  State state() const { return state_; }
  const std::string& name() const { return name_; }
  const std::string& error() const { return error_; }
  // 0..1 over all four files (by bytes once their sizes are known).
  float progress() const;
  size_t bytes_loaded() const;
  // Bumped every time a data set becomes ready.
  int generation() const { return generation_; }

  // Raw pixels 0..255 (valid when ready); the app preprocesses in place.
  Dataset train, test;

 private:
  struct File {
    std::string base;          // "train-images-idx3-ubyte"
    std::string path;          // what was requested
    bool tried_other = false;  // tried the name with/without ".gz" too
    std::vector<uint8_t> bytes;
    size_t loaded = 0, total = 0;
    bool done = false;
  };
  void request(int index, bool gz);
  void file_done(int index);
  void fail(const std::string& message);

  State state_ = State::kIdle;
  std::string name_, error_;
  std::vector<File> files_;
  int request_id_ = 0;  // identifies the current start(); stale callbacks compare against it
  int generation_ = 0;
};

// A data set from the bytes of an IDX image file (N, H, W) and an IDX label
// file (N); file names are for messages. Throws cnn::Error / FileError.
Dataset idx_dataset_from_bytes(std::vector<uint8_t> images, const std::string& images_name,
                               std::vector<uint8_t> labels, const std::string& labels_name,
                               const std::string& name,
                               const std::vector<std::string>& class_names);

}  // namespace cnn::app
