// The playground: data, model, training, evaluation and the drawing pad, one
// ImGui panel each (panels.h), laid out on one screen (screen.h), over one
// shared state. main.cpp creates one App and calls frame() once per display frame.
#pragma once
#include <map>
#include <string>

#include "app/app_options.h"
#include "app/backbone.h"
#include "app/data_loader.h"
#include "app/digit_pad.h"
#include "app/inside_panel.h"
#include "app/live_augmentation.h"
#include "app/screen.h"
#include "app/session.h"
#include "app/style_panel.h"
#include "app/transfer_panel.h"
#include "app/widgets.h"
#include "data/preprocess.h"

namespace cnn::app {

struct PadState {
  Bitmap drawing{140, 140};  // the pen's pixels, at half the pad's screen size
  Bitmap digit;              // the 28x28 MNIST-style version
  bool has_ink = false, dirty = false;
  bool predict_pending = false;  // drawn, not yet classified (the model was busy)
  std::vector<float> probabilities;
  long predicted_for = -1;  // weights_version of the last prediction
  double predicted_at = 0;
  float last_x = -1, last_y = -1;  // previous pen position while drawing
  void* preview_texture = nullptr;
};

class App {
 public:
  explicit App(AppOptions options);
  // Builds this frame's UI and advances training; false asks the desktop to quit.
  bool frame();
  // The test hook's JSON (platform::set_state_provider).
  std::string state_json() const;
  // True once the smoke test's batches are done (then a screenshot is taken).
  bool smoke_test_done() const;
  // True when a test mode (smoke test, style or transfer demo) will take a
  // screenshot and quit; read without the session lock.
  bool screenshot_mode() const {
    return options.smoke_test > 0 || options.style_demo > 0 || options.transfer_demo;
  }

  AppOptions options;
  DataLoader loader;
  Dataset train, test;  // preprocessed copies of the loaded data
  Preprocessing preprocessing;
  Session session;
  PadState pad;
  Widgets widgets;
  ScreenState ui;  // the layout, the selected tab, presentation mode, the panels' own state
  // The panels' own state (each panel's file draws it).
  InsidePanel inside_panel;
  StylePanel style_panel;
  TransferPanel transfer_panel;
  BackboneLoader backbone;  // the embedded pretrained ResNet50, loaded on first request()
  std::string file_status;  // the last Save / Load model outcome
  long frames = 0;
  double fps = 0;
  // The longest time each part of a frame took on the UI thread while
  // training (ms): "update" (time slices, or nothing with a worker) and
  // one entry per panel. Where a long frame comes from.
  std::map<std::string, double> longest_ui_ms;
  // Drawn frames (those that ran frame()) while training: with a worker, a
  // frame that finds it busy is skipped, so this is how often the picture
  // and the input handling come round, whatever the browser's own rate.
  struct DrawnFrames {
    double longest_gap_ms = 0;
    long gaps_over_100ms = 0, frames = 0;
  } drawn;

  void select_dataset(const std::string& name);

  // --- Data side (app_data.cpp) ----------------------------------------------
  LiveAugmentation augmentation;  // what every training batch gets (Data panel)
  // Files dropped on the window or picked: model files (.safetensors) are
  // loaded as models, the rest goes to the CIFAR-10 data set. They arrive
  // between frames and are handled by the Data panel (handle_received_files),
  // where the UI may touch the session.
  void receive_files(std::vector<platform::DroppedFile> files);
  void handle_received_files();
  // Desktop: a CIFAR-10 file, or a folder holding the batch files.
  void add_data_path(const std::string& path);
  // Re-prepares the data with `mode` (statistics from the training set), or
  // with a loaded model's preprocessing `exact`; the model starts afresh.
  void change_preprocessing(Preprocessing::Mode mode, const Preprocessing* exact = nullptr);
  // Bumped whenever train / test are replaced.
  int data_generation() const { return data_generation_; }

 private:
  void on_data_ready();
  void init_data_side();        // app_data.cpp: drop handler, augmentation hook, data paths
  void switch_preset_family();  // app_data.cpp: a CIFAR preset for CIFAR-10, and back
  std::vector<platform::DroppedFile> received_;  // receive_files() .. handle_received_files()
  int received_groups_ = 0;
  int data_generation_ = 0;
  double last_frame_time_ = 0;
  bool last_frame_training_ = false;
};

}  // namespace cnn::app
