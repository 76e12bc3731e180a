// The playground's panels, one file each. Each draws one ImGui window from
// the app's state and turns clicks into calls on it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cnn::app {

class App;

void draw_data_panel(App& app);                // data_panel.cpp: data set, loading, sample grid
void draw_model_panel(App& app);               // model_panel.cpp: preset, layers, shapes, errors
void draw_model_files(App& app, bool locked);  // model_files.cpp: Save / Load (in the model panel)
void draw_training_panel(App& app);    // training_panel.cpp: settings, controls, progress, curves
void draw_evaluation_panel(App& app);  // evaluation_panel.cpp: confusion matrix, per-class accuracy
void draw_pad_panel(App& app);         // pad_panel.cpp: draw a digit, live class probabilities
void draw_inside_panel(App& app);  // inside_panel.cpp: filters, activation maps, saliency
void draw_style_panel(App& app);   // style_panel.cpp: Gatys style transfer on a pretrained net
void draw_transfer_panel(App& app);  // transfer_panel.cpp: fine-tuning and features vs scratch

// Places the next window on a grid that fits the screen, the first time only.
void place_window(float x, float y, float w, float h);

}  // namespace cnn::app
