// "Inside the network" (inside_panel.cpp): what the test hook reports about
// the panel (state_json.cpp), and how it starts.
#pragma once
#include <nlohmann/json.hpp>

namespace cnn::app {

// Opens the panel at full size on the first frame (option `inside`).
void open_inside_panel_at_start();

// {"visible", "expanded", "source", "index", "target", "predicted", "label",
//  "recomputes", "error", "input"/"saliency"/"overlay"/"filters": {"size": [w, h],
//  "colours": n}, "layers": [{"name", "shape", "size", "colours", "shown", "total"}]}.
// "colours" counts the distinct colours read back from each rendered texture.
nlohmann::json inside_panel_state();

}  // namespace cnn::app
