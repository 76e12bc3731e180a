// What can be set at startup: `--key value` on the desktop, the page's query
// string (?key=value&flag) on the web. The same names work in both.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "lab/session.h"
#include "data/augment.h"
#include "data/preprocess.h"

namespace cnn::app {

struct AppOptions {
  std::string dataset = "mnist";
  std::string model = "lenet";
  lab::TrainSettings train;
  int limit = 0;           // train on the first N images only (0: all)
  double slice_ms = 40;    // training time per frame
  int threads = 0;         // kernel threads where threads can run (0: one per core)
  bool autostart = false;  // press Train as soon as the data is ready
  int smoke_test = 0;      // desktop test: train this many batches, screenshot, quit
  std::string screenshot = "bricklab-smoke.png";
  int width = 1280, height = 860;  // desktop window size
  bool present = false;            // presentation mode (larger type and lines) at start
  bool inside = false;        // select "Inside the network" at start, at full size
  bool shader_fault = false;  // test: break the colour-map shaders to show the error path
  Preprocessing::Mode preprocessing = Preprocessing::Mode::kScale01;
  Augmentation augmentation;      // hflip, crop-pad, translate, jitter (as `cnn train`)
  std::vector<std::string> data;  // desktop: data files to add at startup (data=a,b)
  bool style = false;   // select the Style transfer tab at start
  int style_demo = 0;   // ... and run its one-click default for N iterations (screenshot, quit)
  std::string backbone;  // another file for the embedded ResNet50 (tests: a missing/broken one)
  bool transfer = false;       // select the Transfer learning tab at start
  bool transfer_demo = false;  // ... and run demo (a) (desktop: screenshot when done, quit)

  // One line per option that was not understood, saying what was expected.
  // Such an option keeps its default: the page starts anyway and shows these.
  std::vector<std::string> messages;

  // Reads `options`; `datasets` are the data sets' names (the first is the
  // default). Never throws: problems go to `messages`.
  static AppOptions parse(const std::map<std::string, std::string>& options,
                          const std::vector<std::string>& datasets);
};

}  // namespace cnn::app
