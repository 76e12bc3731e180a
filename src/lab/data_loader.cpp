#include "lab/data_loader.h"

#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "data/datasets.h"
#include "data/mnist.h"

namespace cnn::lab {

namespace {

std::string megabytes(size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
  return text;
}

}  // namespace

void DataLoader::start(const std::string& name) {
  name_ = name;
  error_.clear();
  status_.clear();
  ++request_id_;
  train = Dataset{};
  test = Dataset{};
  files_.clear();
  user_files_.clear();
  incoming_.clear();
  pending_ = Pending::kNone;
  if (dataset_info(name).user_files) {
    state_ = State::kWaitingForFiles;
    status_ = user_files_.missing();
    return;
  }
  state_ = State::kLoading;
  const DatasetInfo& set = dataset_info(name);
  for (const auto* files : {&set.train_files, &set.test_files})
    for (const std::string& base : *files) files_.emplace_back().base = base;
  // Whichever spelling is asked first, the other is tried when it is missing.
  for (int i = 0; i < int(files_.size()); ++i) request(i, set.gz_first);
}

void DataLoader::request(int index, bool gz) {
  File& f = files_[index];
  f.path = dataset_folder(dataset_info(name_), platform::loads_over_http()) + f.base +
           (gz ? ".gz" : "");
  const int id = request_id_;
  platform::LoadCallbacks cb;
  cb.done = [this, id, index](std::vector<uint8_t> bytes) {
    if (id != request_id_ || state_ != State::kLoading) return;
    files_[index].bytes = std::move(bytes);
    files_[index].done = true;
    files_[index].loaded = files_[index].total = files_[index].bytes.size();
    file_done(index);
  };
  cb.failed = [this, id, index, gz](const std::string& message) {
    if (id != request_id_ || state_ != State::kLoading) return;
    File& f = files_[index];
    if (!f.tried_other) {
      f.tried_other = true;
      request(index, !gz);
      return;
    }
    fail(f.path + ": " + message);
  };
  cb.progress = [this, id, index](size_t loaded, size_t total) {
    if (id != request_id_) return;
    files_[index].loaded = loaded;
    files_[index].total = total;
  };
  platform::load_bytes(f.path, std::move(cb));
}

void DataLoader::fail(const std::string& message) {
  state_ = State::kFailed;
  error_ = message;
  status_.clear();
  files_.clear();
}

void DataLoader::defer(Pending what, const std::string& status) {
  pending_ = what;
  announced_ = false;
  status_ = status;
}

void DataLoader::file_done(int) {
  size_t bytes = 0;
  for (const File& f : files_) {
    if (!f.done) return;
    bytes += f.bytes.size();
  }
  defer(Pending::kParseIdx, "unpacking " + megabytes(bytes));
}

void DataLoader::update() {
  if (pending_ == Pending::kNone) return;
  if (!announced_) {  // this frame shows status(); the work happens in the next one
    announced_ = true;
    return;
  }
  const Pending what = pending_;
  pending_ = Pending::kNone;
  if (what == Pending::kParseIdx) parse_idx_files();
  if (what == Pending::kExamineFiles) examine_files();
}

void DataLoader::parse_idx_files() {
  try {
    const auto& names = dataset_info(name_).class_names();
    train = parse_idx_dataset(std::move(files_[0].bytes), files_[0].path,
                              std::move(files_[1].bytes), files_[1].path, name_ + "/train", names);
    test = parse_idx_dataset(std::move(files_[2].bytes), files_[2].path, std::move(files_[3].bytes),
                             files_[3].path, name_ + "/test", names);
  } catch (const Error& e) {
    fail(e.what());
    return;
  }
  files_.clear();
  status_.clear();
  state_ = State::kReady;
  ++generation_;
}

// --- Files the user supplies ---------------------------------------------------

void DataLoader::files_coming(int count, size_t bytes) {
  if (state_ != State::kLoading) state_before_files_ = state_;
  state_ = State::kLoading;
  reading_loaded_ = 0;
  reading_total_ = bytes;
  status_ = "reading " + std::to_string(count) + (count == 1 ? " file (" : " files (") +
            megabytes(bytes) + ")";
}

void DataLoader::files_progress(size_t loaded, size_t total) {
  reading_loaded_ = loaded;
  reading_total_ = total;
}

void DataLoader::file_unreadable(const std::string& message) {
  error_ = message;
}

void DataLoader::no_files_came() {
  if (state_ != State::kLoading || pending_ != Pending::kNone || !files_.empty()) return;
  state_ = state_before_files_;
  status_ = state_ == State::kWaitingForFiles ? user_files_.missing() : "";
  reading_loaded_ = reading_total_ = 0;
}

void DataLoader::add_files(std::vector<platform::DroppedFile> files) {
  if (state_ != State::kLoading) state_before_files_ = state_;
  size_t bytes = 0;
  for (auto& f : files) {
    bytes += f.bytes.size();
    incoming_.push_back(std::move(f));
  }
  reading_loaded_ = reading_total_ = 0;
  state_ = State::kLoading;
  std::string what =
      incoming_.size() == 1 ? incoming_[0].name : std::to_string(incoming_.size()) + " files";
  defer(Pending::kExamineFiles, "unpacking " + what + " (" + megabytes(bytes) + ")");
}

void DataLoader::examine_files() {
  bool accepted = false;
  const std::vector<std::string> problems = user_files_.add(std::move(incoming_), accepted);
  incoming_.clear();
  error_.clear();
  for (const std::string& p : problems) error_ += (error_.empty() ? "" : "\n") + p;
  status_.clear();
  if (!user_files_.complete()) {
    state_ = State::kWaitingForFiles;
    status_ = user_files_.missing();
    return;
  }
  if (!accepted && state_before_files_ == State::kReady) {
    state_ = State::kReady;  // nothing usable came: the data in use stays
    return;
  }
  try {
    user_files_.build(name_, train, test);
  } catch (const Error& e) {  // files are checked when added: only on a broken invariant
    fail(e.what());
    return;
  }
  state_ = State::kReady;
  ++generation_;
}

size_t DataLoader::bytes_loaded() const {
  if (reading_total_ > 0) return reading_loaded_;
  size_t loaded = 0;
  for (const File& f : files_) loaded += f.loaded;
  return loaded;
}

float DataLoader::progress() const {
  if (state_ == State::kReady) return 1.f;
  if (reading_total_ > 0) return float(double(reading_loaded_) / double(reading_total_));
  if (pending_ != Pending::kNone) return 1.f;  // all arrived, unpacking
  if (files_.empty()) return 0.f;
  size_t loaded = 0, total = 0;
  int known = 0, done = 0;
  for (const File& f : files_) {
    loaded += f.loaded;
    total += f.total;
    known += f.total > 0;
    done += f.done;
  }
  if (known == int(files_.size()) && total > 0) return float(double(loaded) / double(total));
  return float(done) / float(files_.size());
}

}  // namespace cnn::lab
