// The playground's panels, one file each. Each draws its contents into the
// region of the screen the frame gives it (screen.cpp: the current window or
// child), sized from ImGui::GetContentRegionAvail() and the font size, and
// turns clicks into calls on the app.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cnn::app {

class App;

void draw_data_panel(App& app);                // data_panel.cpp: data set, loading, sample grid
void draw_model_panel(App& app);               // model_panel.cpp: preset, layers, shapes, errors
void draw_model_files(App& app, bool locked);  // model_files.cpp: Save / Load (in the model panel)
// model_files.cpp: loads a model file's bytes into the session (Load button, dropped files);
// the outcome goes to app.file_status.
void load_model_file(App& app, const std::vector<uint8_t>& bytes, const std::string& name);
// training_panel.cpp: the settings (left column), Train / Pause / Step / Reset
// with the epoch's progress (above them), and the Training tab (how training
// runs, curves, test accuracy, then the evaluation panel).
void draw_training_settings(App& app);
void draw_training_controls(App& app);
void draw_training_panel(App& app);
std::string training_run_mode(const App& app);  // e.g. "web, 2 threads (worker)"
void draw_evaluation_panel(App& app);  // evaluation_panel.cpp: confusion matrix, per-class accuracy
void draw_pad_panel(App& app);         // pad_panel.cpp: draw a digit, live class probabilities
void draw_inside_panel(App& app);  // inside_panel.cpp: filters, activation maps, saliency
void draw_style_panel(App& app);   // style_panel.cpp: Gatys style transfer on a pretrained net
void draw_transfer_panel(App& app);  // transfer_panel.cpp: fine-tuning and features vs scratch

}  // namespace cnn::app
