// What the "Transfer learning" panel keeps between frames (TransferPanel
// owns one) and the functions its three files share: transfer_panel.cpp
// (the jobs' updates, the curves, the test hook), transfer_finetune.cpp
// (demo (a)) and transfer_features.cpp (demo (b)).
#pragma once
#include <set>
#include <string>

#include "lab/data_loader.h"
#include "lab/image_classes.h"
#include "lab/transfer_job.h"

namespace cnn::app {
using lab::AccuracyCurve, lab::DataLoader, lab::FeatureSetup, lab::FinetuneSetup, lab::ImageClasses, lab::LayerInfo,
    lab::TransferJob;

class App;

namespace transfer_ui {

constexpr int kTestImages = 1000;  // Fashion-MNIST test images behind each point
constexpr int kImageSize = 64;     // demo (b): images (and the backbone's input) are 64x64

struct State {
  State(TransferJob& finetune, TransferJob& features) : finetune(finetune), features(features) {}
  bool open_at_start = false, run_demo = false, demo_started = false;
  bool workers = false;
  TransferJob &finetune, &features;  // the playground's
  // (a)
  DataLoader fashion, mnist;  // our own loads when the Data panel has other data
  bool run_when_loaded = false;
  int n = 200, epochs = 3;
  float lr = 0.002f, pretrained_lr = 0.3f;
  std::set<std::string> frozen = {"conv2d_1"};
  std::string finetune_message;
  std::string finetune_measured_on;  // "1000 Fashion-MNIST test images"
  // (b)
  ImageClasses classes{kImageSize};
  char class_name[64] = "";
  char path[512] = "";
  int source = 0;  // 0: my images, 1: CIFAR-10 from the Data panel
  int cifar_train = 200, cifar_test = 100, feature_epochs = 20;
  bool run_features_when_ready = false;
  std::string features_message;
  std::string features_measured_on;
};

// transfer_panel.cpp: the two demos' common parts.
void accuracy_plot(const char* id, const TransferJob& job, const std::string& measured_on);
void job_status(const TransferJob& job, const std::string& message);
// transfer_finetune.cpp: demo (a).
bool finetune_data_ready(App& app, State& s);  // loads what it needs; true when all is there
void start_finetune(App& app, State& s);
void draw_finetune(App& app, State& s);
// transfer_features.cpp: demo (b).
void start_features(App& app, State& s);
void draw_features(App& app, State& s);

}  // namespace transfer_ui
}  // namespace cnn::app
