#include "app/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/plot_scale.h"

namespace cnn::app::plot {

namespace {

std::string format_value(const char* format, double v) {
  char text[48];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

// The series' last finite value (as shown in the legend), or NaN.
double last_value(const Series& s) {
  for (size_t i = s.y.size(); i-- > 0;)
    if (std::isfinite(s.y[i])) return s.y[i];
  return std::nan("");
}

struct Axes {
  ImVec2 p0, p1;  // the frame, screen pixels
  Range x, y;     // y in log10 units on a log axis
  bool log_y = false;
  float px(double x_value) const {
    return p0.x + float((x_value - x.lo) / x.span()) * (p1.x - p0.x);
  }
  float py(double y_value) const {
    return p1.y - float((y_value - y.lo) / y.span()) * (p1.y - p0.y);
  }
  double y_of(float v) const { return log_y ? log_value(v) : double(v); }
};

void draw_legend(ImDrawList* draw, ImVec2 at, const std::vector<Series>& series, const Options& o) {
  const float f = ImGui::GetFontSize();
  for (const Series& s : series) {
    draw->AddLine(ImVec2(at.x, at.y + f * 0.5f), ImVec2(at.x + f, at.y + f * 0.5f), s.colour,
                  std::max(2.f, f * 0.15f));
    std::string text = s.label;
    const double last = last_value(s);
    if (std::isfinite(last)) text += "  " + format_value(o.value_format, last);
    draw->AddText(ImVec2(at.x + f * 1.4f, at.y), ImGui::GetColorU32(ImGuiCol_Text), text.c_str());
    at.y += f * 1.3f;
  }
}

float legend_width(const std::vector<Series>& series, const Options& o) {
  float w = 0;
  for (const Series& s : series) {
    std::string text = s.label;
    const double last = last_value(s);
    if (std::isfinite(last)) text += "  " + format_value(o.value_format, last);
    w = std::max(w, ImGui::CalcTextSize(text.c_str()).x);
  }
  return w + ImGui::GetFontSize() * 1.4f;
}

void draw_series(ImDrawList* draw, const Axes& a, const Series& s) {
  const float thickness = std::max(1.5f, ImGui::GetFontSize() * 0.12f);
  std::vector<ImVec2> run;  // a stretch of finite points, drawn as one polyline
  auto flush = [&] {
    if (run.size() == 1)
      draw->AddCircleFilled(run[0], thickness * 1.5f, s.colour);
    else if (run.size() > 1)
      draw->AddPolyline(run.data(), int(run.size()), s.colour, 0, thickness);
    run.clear();
  };
  for (size_t i = 0; i < s.y.size(); ++i) {
    const double y = a.y_of(s.y[i]);
    if (!std::isfinite(y)) {
      flush();
      continue;
    }
    run.push_back(ImVec2(a.px(s.x_of(i)), a.py(y)));
  }
  flush();
}

// Every series' value nearest the pointer's x, in a tooltip, and a guide line.
void hover(ImDrawList* draw, const Axes& a, const std::vector<Series>& series, const Options& o) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (m.x < a.p0.x || m.x > a.p1.x || m.y < a.p0.y || m.y > a.p1.y) return;
  const double x = a.x.lo + double(m.x - a.p0.x) / double(a.p1.x - a.p0.x) * a.x.span();
  draw->AddLine(ImVec2(m.x, a.p0.y), ImVec2(m.x, a.p1.y), IM_COL32(255, 255, 255, 60));
  std::string text;
  for (const Series& s : series) {
    if (s.y.empty()) continue;
    size_t best = 0;
    for (size_t i = 1; i < s.y.size(); ++i)
      if (std::abs(s.x_of(i) - x) < std::abs(s.x_of(best) - x)) best = i;
    text += s.label + ": " + format_value(o.value_format, s.y[best]) + "  (" + o.x_label + " " +
            format_value("%.2f", s.x_of(best)) + ")\n";
  }
  if (!text.empty()) {
    text.pop_back();
    ImGui::SetTooltip("%s", text.c_str());
  }
}

}  // namespace

ImU32 palette(int i) {
  static constexpr ImU32 kColours[] = {IM_COL32(100, 170, 255, 255), IM_COL32(255, 150, 70, 255),
                                       IM_COL32(120, 210, 120, 255), IM_COL32(230, 110, 200, 255),
                                       IM_COL32(240, 220, 90, 255),  IM_COL32(170, 170, 170, 255)};
  return kColours[size_t(i) % (sizeof kColours / sizeof kColours[0])];
}

void draw(const char* id, const std::vector<Series>& series, const Options& o) {
  ImGui::PushID(id);
  const float f = ImGui::GetFontSize();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(ImGui::GetContentRegionAvail().x, f * 10);
  const float legend_w = legend_width(series, o);
  // The legend beside the plot when the plot keeps at least 16 characters' width.
  const bool legend_right = width - legend_w - f >= f * 16;
  const float legend_h = float(series.size()) * f * 1.3f;
  const float plot_h = std::max(f * 4, o.height_lines * f);

  // Ranges.
  Axes a;
  a.log_y = o.log_y;
  std::vector<const std::vector<float>*> ys;
  for (const Series& s : series) ys.push_back(&s.y);
  a.y = data_range(ys, o.log_y);
  if (o.y_min < o.y_max)
    a.y = o.log_y ? Range{log_value(o.y_min), log_value(o.y_max)} : Range{o.y_min, o.y_max};
  a.x = {o.x_min, std::max(o.x_max, o.x_min)};
  for (const Series& s : series)
    if (!s.y.empty()) a.x.hi = std::max(a.x.hi, s.x_of(s.y.size() - 1));
  if (!(a.x.hi > a.x.lo)) a.x.hi = a.x.lo + 1;

  // Tick labels set the left margin.
  const float y_label_h = o.y_label[0] ? f * 1.2f : 0;
  const int max_y_ticks = std::max(2, int((plot_h - f * 2) / (f * 1.8f)));
  const std::vector<double> yt =
      o.log_y ? log_ticks(a.y, max_y_ticks) : linear_ticks(a.y, max_y_ticks);
  const double y_step = yt.size() > 1 ? yt[1] - yt[0] : a.y.span();
  std::vector<std::string> y_text;
  float y_text_w = 0;
  for (double t : yt) {
    y_text.push_back(o.log_y ? log_tick_label(t) : tick_label(t, y_step));
    y_text_w = std::max(y_text_w, ImGui::CalcTextSize(y_text.back().c_str()).x);
  }
  const float plot_w = legend_right ? width - legend_w - f : width;
  a.p0 = ImVec2(origin.x + y_text_w + f * 0.6f, origin.y + y_label_h + f * 0.5f);
  a.p1 = ImVec2(origin.x + plot_w - f * 0.5f, a.p0.y + plot_h - f * 2.4f);
  const int max_x_ticks = std::max(2, int((a.p1.x - a.p0.x) / (f * 4)));
  std::vector<double> xt = linear_ticks(a.x, max_x_ticks);
  if (o.integer_x && xt.size() > 1 && xt[1] - xt[0] < 1) xt = linear_ticks(a.x, int(a.x.span()));
  const double x_step = xt.size() > 1 ? xt[1] - xt[0] : a.x.span();

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid = IM_COL32(255, 255, 255, 28);
  draw->AddRectFilled(a.p0, a.p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (o.y_label[0]) draw->AddText(ImVec2(origin.x, origin.y), faint, o.y_label);
  for (size_t i = 0; i < yt.size(); ++i) {
    const float y = a.py(yt[i]);
    if (y < a.p0.y - 1 || y > a.p1.y + 1) continue;
    draw->AddLine(ImVec2(a.p0.x, y), ImVec2(a.p1.x, y), grid);
    draw->AddLine(ImVec2(a.p0.x - f * 0.3f, y), ImVec2(a.p0.x, y), faint);
    const float w = ImGui::CalcTextSize(y_text[i].c_str()).x;
    draw->AddText(ImVec2(a.p0.x - f * 0.4f - w, y - f * 0.5f), text, y_text[i].c_str());
  }
  for (double t : xt) {
    const float x = a.px(t);
    draw->AddLine(ImVec2(x, a.p0.y), ImVec2(x, a.p1.y), grid);
    draw->AddLine(ImVec2(x, a.p1.y), ImVec2(x, a.p1.y + f * 0.3f), faint);
    const std::string label = tick_label(t, o.integer_x ? std::max(1.0, x_step) : x_step);
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    draw->AddText(ImVec2(x - w / 2, a.p1.y + f * 0.3f), text, label.c_str());
  }
  const float x_label_w = ImGui::CalcTextSize(o.x_label).x;
  draw->AddText(ImVec2((a.p0.x + a.p1.x - x_label_w) / 2, a.p1.y + f * 1.3f), faint, o.x_label);

  draw->PushClipRect(a.p0, a.p1, true);
  for (const Series& s : series) draw_series(draw, a, s);
  draw->PopClipRect();
  draw->AddRect(a.p0, a.p1, faint);

  const float total_h = a.p1.y + f * 2.4f - origin.y;
  if (legend_right)
    draw_legend(draw, ImVec2(origin.x + plot_w + f * 0.5f, a.p0.y), series, o);
  else
    draw_legend(draw, ImVec2(a.p0.x, origin.y + total_h), series, o);
  ImGui::Dummy(ImVec2(
      width, legend_right ? std::max(total_h, legend_h + a.p0.y - origin.y) : total_h + legend_h));
  if (ImGui::IsItemHovered()) hover(draw, a, series, o);
  ImGui::PopID();
}

}  // namespace cnn::app::plot
