// Loads the playground's data sets without blocking the frame loop:
// - MNIST and Fashion-MNIST: the four IDX files are requested at once
//   through platform::load_bytes (HTTP in the browser, files on the desktop);
// - CIFAR-10: files the user supplies (dropped on the window, picked, or a
//   path on the desktop): cifar-10-binary.tar.gz, or batch files
//   data_batch_<k>.bin and test_batch.bin, added in any number of goes.
// Slow steps (unpacking, decoding) run in update(), one frame after the
// panel has said they are coming, so the user always sees what happens.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/datasets.h"
#include "lab/cifar_files.h"
#include "platform/platform.h"

namespace cnn::lab {

class DataLoader {
 public:
  enum class State {
    kIdle,
    kLoading,          // files on their way, or being unpacked (status() says which)
    kWaitingForFiles,  // a user-file set that still lacks files (status() says which)
    kReady,
    kFailed,
  };

  // Starts loading `name` (data/datasets.h). A set from a package is
  // requested from its dataset_folder(); a user-file set waits for add_files().
  // A load in flight is abandoned (its late callbacks are ignored).
  void start(const std::string& name);

  // --- Files the user supplies (platform::DropCallbacks) ----------------------
  void files_coming(int count, size_t bytes);  // shows progress while they are read
  void files_progress(size_t loaded, size_t total);
  // Examines the files in the next update(): archives and batch files are
  // kept, anything else is named in error(). Data already loaded stays when
  // none of the files are usable.
  void add_files(std::vector<platform::DroppedFile> files);
  void file_unreadable(const std::string& message);
  // The files announced by files_coming() held no data (a model file, or
  // none could be read): back to the state before.
  void no_files_came();

  // Runs the pending slow step, if the UI has had a frame to announce it.
  void update();

  State state() const { return state_; }
  const std::string& name() const { return name_; }
  // Why the last load failed, or which supplied files were refused ("" when none).
  const std::string& error() const { return error_; }
  // What is going on or missing: "unpacking cifar-10-binary.tar.gz (170.1 MB)",
  // "add the test batch (test_batch.bin)". "" when there is nothing to say.
  const std::string& status() const { return status_; }
  // 0..1 over the files being fetched or read (by bytes once sizes are known).
  float progress() const;
  size_t bytes_loaded() const;
  // Bumped every time a data set becomes ready.
  int generation() const { return generation_; }

  // The user's CIFAR-10 files that were accepted.
  std::vector<Cifar10Files::File> user_files() const { return user_files_.files(); }

  // Raw pixels 0..255 (valid when ready); the app takes them over.
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
  enum class Pending { kNone, kParseIdx, kExamineFiles };

  void request(int index, bool gz);
  void file_done(int index);
  void fail(const std::string& message);
  void defer(Pending what, const std::string& status);
  void parse_idx_files();
  void examine_files();

  State state_ = State::kIdle;
  State state_before_files_ = State::kIdle;  // to return to when no supplied file is usable
  std::string name_, error_, status_;
  std::vector<File> files_;
  Cifar10Files user_files_;
  std::vector<platform::DroppedFile> incoming_;  // supplied, not yet examined
  size_t reading_loaded_ = 0, reading_total_ = 0;
  Pending pending_ = Pending::kNone;
  bool announced_ = false;  // a frame has shown the pending step's status
  int request_id_ = 0;      // identifies the current start(); stale callbacks compare against it
  int generation_ = 0;
};

}  // namespace cnn::lab
