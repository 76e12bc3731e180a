// The playground without its panels: the data (loaded, preprocessed,
// augmented), the training session, the embedded backbone, the background
// jobs of style transfer and transfer learning, and what happens when data
// arrives or files are dropped. The app (app::App) derives from it and adds
// only what the screen needs; panels read and change these members.
#pragma once
#include <string>
#include <vector>

#include "data/augment.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "lab/backbone.h"
#include "lab/data_loader.h"
#include "lab/live_augmentation.h"
#include "lab/session.h"
#include "lab/style_job.h"
#include "lab/transfer_job.h"
#include "platform/platform.h"

namespace cnn::lab {

// How the playground starts (the app's startup options, as far as they
// concern the data and the model).
struct PlaygroundSetup {
  std::string dataset = "mnist";
  std::string model = "lenet";  // a preset (model/zoo.h)
  TrainSettings train;
  int limit = 0;                // train on the first N images only (0: all)
  bool autostart = false;       // train as soon as the data is ready
  long stop_after_batches = 0;  // > 0: training pauses after this many batches
  Preprocessing::Mode preprocessing = Preprocessing::Mode::kScale01;
  Augmentation augmentation;
  std::vector<std::string> data;  // desktop: data files or folders to add at start
  std::string backbone;           // another file for the embedded ResNet50 ("": the asset)
};

// True for the names of model files (.safetensors, .cnn).
bool is_model_file(const std::string& name);

class Playground {
 public:
  // Starts loading setup.dataset, with setup.model as the model, and
  // receives dropped files (platform::set_drop_handler).
  explicit Playground(const PlaygroundSetup& setup);
  virtual ~Playground() = default;
  Playground(const Playground&) = delete;
  Playground& operator=(const Playground&) = delete;

  DataLoader loader;
  Dataset train, test;  // preprocessed copies of the loaded data
  Preprocessing preprocessing;
  LiveAugmentation augmentation;  // what every training batch gets (Data panel)
  Session session;
  BackboneLoader backbone;  // the embedded pretrained ResNet50, loaded on first request()
  StyleJob style_job;       // the Style transfer panel's
  TransferJob finetune_job, features_job;  // the Transfer learning panel's demos (a), (b)
  std::string file_status;                 // the last Save / Load model outcome

  // Once per frame: the loader's progress; new data goes to the session.
  void poll_data();
  // Starts loading another data set (the session waits without data).
  void select_dataset(const std::string& name);
  // Files dropped on the window or picked: model files (.safetensors) are
  // loaded as models, the rest goes to the CIFAR-10 data set, except what
  // the panels take (take_file()). They arrive between frames and are
  // handled by handle_received_files(), where the UI may touch the session.
  void receive_files(std::vector<platform::DroppedFile> files);
  void handle_received_files();
  // Desktop: a CIFAR-10 file, or a folder holding the batch files.
  void add_data_path(const std::string& path);
  // Re-prepares the data with `mode` (statistics from the training set), or
  // with a loaded model's preprocessing `exact`; the model starts afresh.
  void change_preprocessing(Preprocessing::Mode mode, const Preprocessing* exact = nullptr);
  // A model file's bytes into the session, with its preprocessing when it
  // fits the data; the outcome goes to file_status.
  void load_model_file(const std::vector<uint8_t>& bytes, const std::string& name);
  // Bumped whenever train / test are replaced.
  int data_generation() const { return data_generation_; }

 protected:
  // A dropped file the panels take (an image for style transfer, say):
  // true when taken. By default none.
  virtual bool take_file(platform::DroppedFile& /*file*/) { return false; }

 private:
  void on_data_ready();
  void switch_preset_family();  // a CIFAR preset for CIFAR-10, and back
  PlaygroundSetup setup_;
  std::vector<platform::DroppedFile> received_;  // receive_files() .. handle_received_files()
  int received_groups_ = 0;
  int data_generation_ = 0;
};

}  // namespace cnn::lab
