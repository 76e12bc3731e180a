// "Transfer learning" (transfer_panel.cpp): the two demos of issue 5, point 3,
// in the playground. What the test hook reports (state_json.cpp) and how the
// panel starts.
#pragma once
#include <nlohmann/json.hpp>

namespace cnn::lab {
class TransferJob;
}

namespace cnn::app {

// The playground's jobs for demos (a) and (b), which the panel drives (App's
// constructor, before anything else here).
void set_transfer_jobs(lab::TransferJob& finetune, lab::TransferJob& features);
// Opens the panel large on the first frame (option `transfer`); with
// `run_demo` it also runs demo (a) at once (option `transfer-demo`).
void open_transfer_panel_at_start(bool run_demo);
// True once demo (a), started by `transfer-demo`, has finished (or failed).
bool transfer_demo_done();

// {"finetune": {"phase", "status", "error", "message", "epochs", "progress",
//   "curves": [{"label", "accuracy": [..]}, {..}]}, "features": {the same},
//  "classes": [{"name", "images"}], "backbone": "idle|loading|ready|failed"}.
nlohmann::json transfer_panel_state();

}  // namespace cnn::app
