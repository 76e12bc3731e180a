// Drawing pad: draw a digit with the mouse; it is normalised like MNIST
// (digit_pad.h), shown as the 28x28 image the model sees, and classified
// live, also while the model trains.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/app.h"
#include "app/panels.h"
#include "platform/platform.h"

namespace cnn::app {
using lab::Session, lab::Bitmap, lab::normalize_like_mnist, lab::paint_stroke;

namespace {

constexpr float kPenRadius =
    5.5f;  // pad pixels: strokes about as thick, relative to the digit, as MNIST's
constexpr double kRepredictEvery = 0.25;  // seconds between predictions while the weights change

void upload(void*& texture, const Bitmap& b) {
  std::vector<uint8_t> rgba(b.pixels.size() * 4);
  for (size_t i = 0; i < b.pixels.size(); ++i) {
    const uint8_t v = uint8_t(std::clamp(b.pixels[i], 0.f, 1.f) * 255.f);
    rgba[i * 4 + 0] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  if (!texture)
    texture = platform::create_texture(b.width, b.height, rgba.data());
  else
    platform::update_texture(texture, b.width, b.height, rgba.data());
}

void predict(App& app) {
  PadState& pad = app.pad;
  pad.probabilities.clear();
  pad.predicted_for = app.session.weights_version();
  pad.predicted_at = platform::now_seconds();
  const Shape s = app.train.x.shape();
  if (!pad.has_ink || s.c != 1 || s.h != 28 || s.w != 28) return;
  Tensor x({1, 1, 28, 28});
  for (size_t i = 0; i < x.size(); ++i) x[i] = pad.digit.pixels[i] * 255.f;  // raw pixel scale
  app.preprocessing.apply(x);
  pad.probabilities = app.session.classify(x);
}

}  // namespace

void draw_pad_panel(App& app) {
  void*& pad_texture = app.ui.pad.texture;
  PadState& pad = app.pad;
  const float f = ImGui::GetFontSize();
  // The pad fills its region: beside the probabilities where the region is
  // wide, above them where it is tall.
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const float bars_w = 11 * f;  // a probability bar and its class name
  const float bars_h = 10 * (f + ImGui::GetStyle().ItemSpacing.y) + 2 * f;
  const bool side_by_side = room.x - bars_w > room.y - bars_h;
  const float side = std::max(
      4 * f, side_by_side ? std::min(room.x - bars_w - f, room.y - 3 * f)
                          : std::min(room.x, room.y - bars_h - 3 * f));
  const float scale = side / float(pad.drawing.width);  // screen pixels per pad pixel

  ImGui::BeginGroup();
  ImGui::TextDisabled("Draw a digit with the mouse.");
  const ImVec2 size(pad.drawing.width * scale, pad.drawing.height * scale);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("pad", size);
  app.widgets.track("pad");
  tooltip("Hold the left button and draw a digit: the model classifies it as you draw.");
  if (ImGui::IsItemActive()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float x = (m.x - origin.x) / scale, y = (m.y - origin.y) / scale;
    if (pad.last_x < 0) pad.last_x = x, pad.last_y = y;
    paint_stroke(pad.drawing, pad.last_x, pad.last_y, x, y, kPenRadius);
    pad.last_x = x;
    pad.last_y = y;
    pad.dirty = true;
  } else {
    pad.last_x = pad.last_y = -1;
  }
  if (pad.dirty) {
    upload(pad_texture, pad.drawing);
    pad.has_ink = normalize_like_mnist(pad.drawing, pad.digit);
    upload(pad.preview_texture, pad.digit);
  }
  if (!pad_texture) upload(pad_texture, pad.drawing);
  ImGui::GetWindowDrawList()->AddImage(pad_texture, origin,
                                       ImVec2(origin.x + size.x, origin.y + size.y));
  ImGui::GetWindowDrawList()->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y),
                                      ImGui::GetColorU32(ImGuiCol_Border));

  if (app.widgets.button("Clear")) {
    pad.drawing.clear();
    pad.dirty = true;
    pad.has_ink = false;
    normalize_like_mnist(pad.drawing, pad.digit);
    upload(pad.preview_texture, pad.digit);
  }
  tooltip("Wipe the pad.");
  ImGui::EndGroup();
  // A new drawing is classified at once; changing weights at most 4 times a
  // second. While the training worker is inside a unit the model is busy:
  // then in a frame or two (claim_model() asks the worker to hand it over).
  if (pad.dirty) pad.predict_pending = true;
  pad.dirty = false;
  const bool weights_changed = pad.predicted_for != app.session.weights_version();
  if ((pad.predict_pending ||
       (weights_changed && platform::now_seconds() - pad.predicted_at > kRepredictEvery)) &&
      app.session.claim_model()) {
    predict(app);
    pad.predict_pending = false;
  }

  // What the model sees, and what it thinks.
  if (side_by_side) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextDisabled("model input");
  if (pad.preview_texture) ImGui::Image(pad.preview_texture, ImVec2(4 * f, 4 * f));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The drawing as the model sees it: 28x28, centred and scaled like MNIST.");
  const auto& names = app.test.class_names;
  if (pad.probabilities.empty()) {
    ImGui::TextDisabled(app.session.state() == Session::State::kNoModel ? "no model yet"
                                                                        : "draw something");
  } else {
    const int best = int(std::max_element(pad.probabilities.begin(), pad.probabilities.end()) -
                         pad.probabilities.begin());
    for (int c = 0; c < int(pad.probabilities.size()); ++c) {
      const std::string name = size_t(c) < names.size() ? names[size_t(c)] : std::to_string(c);
      char overlay[32];
      std::snprintf(overlay, sizeof overlay, "%.1f%%", 100 * pad.probabilities[size_t(c)]);
      if (c == best) ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImVec4(0.3f, 0.8f, 0.4f, 1.f));
      ImGui::ProgressBar(pad.probabilities[size_t(c)], ImVec2(6 * f, f), overlay);
      if (c == best) ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::TextUnformatted(name.substr(0, 11).c_str());
    }
  }
  ImGui::EndGroup();
}

}  // namespace cnn::app
