// "Transfer learning" (transfer_panel.cpp, transfer_finetune.cpp,
// transfer_features.cpp): the panel's state, how it starts and what the
// test hook reports.
#pragma once
#include <memory>

#include <nlohmann/json.hpp>

namespace cnn::lab {
class TransferJob;
}

namespace cnn::app {

class App;
namespace transfer_ui {
struct State;
}

class TransferPanel {
 public:
  // The playground's jobs for demos (a) and (b), which the panel drives.
  TransferPanel(lab::TransferJob& finetune, lab::TransferJob& features);
  ~TransferPanel();
  TransferPanel(const TransferPanel&) = delete;
  TransferPanel& operator=(const TransferPanel&) = delete;

  // Draws the panel's contents into the current window and starts the
  // demos (they advance in App::frame(), whichever tab is on screen).
  void draw(App& app);
  // Opens the panel large on the first frame (option `transfer`); with
  // `run_demo` it also runs demo (a) at once (option `transfer-demo`).
  void open_at_start(bool run_demo);
  // True once demo (a), started by `transfer-demo`, has finished (or failed).
  bool demo_done() const;

  // {"finetune": {"phase", "status", "error", "message", "epochs", "progress",
  //   "measured_on", "curves": [{"label", "accuracy": [..]}, {..}]},
  //  "features": {the same}, "classes": [{"name", "images"}]}.
  nlohmann::json to_json() const;

 private:
  std::unique_ptr<transfer_ui::State> state_;
};

}  // namespace cnn::app
