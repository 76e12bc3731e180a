// The playground: data, model, training, evaluation and the drawing pad, one
// ImGui panel each (panels.h), laid out on one screen (screen.h), over the
// playground's logic (lab::Playground: data, session, jobs), which App extends
// with what the screen needs. main.cpp creates one App and calls frame() once
// per display frame.
#pragma once
#include <map>
#include <string>

#include "app/app_options.h"
#include "app/inside_panel.h"
#include "app/screen.h"
#include "app/style_panel.h"
#include "app/transfer_panel.h"
#include "app/widgets.h"
#include "data/preprocess.h"
#include "lab/digit_pad.h"
#include "lab/playground.h"

namespace cnn::app {
using lab::BackboneLoader, lab::DataLoader, lab::Session, lab::Bitmap, lab::TrainSettings;

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

// The part of the options that the playground's logic takes.
lab::PlaygroundSetup playground_setup(const AppOptions& options);

class App : public lab::Playground {
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
  PadState pad;
  Widgets widgets;
  ScreenState ui;  // the layout, the selected tab, presentation mode, the panels' own state
  // The panels' own state (each panel's file draws it).
  InsidePanel inside_panel;
  StylePanel style_panel;
  TransferPanel transfer_panel;
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

 protected:
  // Images go to the Style transfer panel, and a .safetensors file too
  // while that panel waits for VGG weights (style_panel.h).
  bool take_file(platform::DroppedFile& file) override;

 private:
  double last_frame_time_ = 0;
  bool last_frame_training_ = false;
};

}  // namespace cnn::app
