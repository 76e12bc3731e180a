// Colour-mapped images of float maps for the "Inside the network" panel:
// activation maps, filters and saliency. The values go to the GPU as a float
// texture and are drawn, tile by tile, through the GLSL colour maps of
// shaders/colormap.frag.glsl into an RGBA texture (a framebuffer object) that
// ImGui::Image shows. The same code runs on WebGL2 and OpenGL 3.3.
//
//   FloatImage img = ...;                    // e.g. 8 feature maps side by side
//   canvas.draw(img, tiles, Colormap::kViridis);
//   ImGui::Image(canvas.texture(), ...);
//
// GL failures (a shader that does not compile, no float textures) never
// throw: draw() returns false and colormap_error() says why, for the UI.
// FloatImage and MapTile need no GL: the layout code and its tests use them.
#pragma once
#include <string>
#include <vector>

namespace cnn::platform {

enum class Colormap {
  kViridis = 0,    // sequential: activations
  kDiverging = 1,  // blue - white - red: signed weights, saliency (range centred on 0)
  kRgb = 2,        // three channels, each scaled to 0..1: colour filters and inputs
  kGrey = 3,       // grey inputs
  kHeat = 4,       // black - red - yellow, transparent where low: overlays
};

// width x height pixels of `channels` (1 or 3) floats each, interleaved, top row first.
struct FloatImage {
  int width = 0, height = 0, channels = 1;
  std::vector<float> values;
  FloatImage() = default;
  FloatImage(int w, int h, int c) : width(w), height(h), channels(c), values(size_t(w) * h * c) {}
  float& at(int x, int y, int c = 0) { return values[(size_t(y) * width + x) * channels + c]; }
  float at(int x, int y, int c = 0) const { return values[(size_t(y) * width + x) * channels + c]; }
};

// A rectangle of a FloatImage, and the values mapped to the colour map's ends.
struct MapTile {
  int x = 0, y = 0, w = 0, h = 0;
  float lo = 0, hi = 1;  // hi > lo
};

// One RGBA texture drawn by the colour-map shaders. Needs the GL context
// current (the UI thread, while building a frame).
class ColormapCanvas {
 public:
  ColormapCanvas() = default;
  ~ColormapCanvas();
  ColormapCanvas(const ColormapCanvas&) = delete;
  ColormapCanvas& operator=(const ColormapCanvas&) = delete;

  // Draws each tile of `image` through `map` onto the same rectangle of the
  // canvas, which takes the image's size; pixels outside the tiles show the
  // background. With clear = false it draws over the previous picture (same
  // size), blended by the map's alpha (kHeat over an input). Returns false
  // when the shaders are unusable (colormap_error()).
  bool draw(const FloatImage& image, const std::vector<MapTile>& tiles, Colormap map,
            bool clear = true);
  void* texture() const;  // for ImGui::Image; null before the first draw
  int width() const { return width_; }
  int height() const { return height_; }
  // Distinct RGBA colours in the canvas after the last draw, read back from
  // the GPU when asked: what end-to-end tests check to know the maps are not
  // blank. Needs the GL context (call it on the UI thread). -1 while
  // read-backs are off (set_colour_readback()).
  int distinct_colours() const;

 private:
  unsigned texture_ = 0, framebuffer_ = 0;
  int width_ = 0, height_ = 0;
  mutable int distinct_colours_ = 0;
  mutable bool colours_stale_ = false;
};

// On by default. A read-back waits for the GPU to finish every frame queued
// before it; benchmarks that poll the app's state (time_to_98.js) turn it off
// so they measure the app, not their own stalls.
void set_colour_readback(bool on);

// Why the colour-map shaders cannot draw ("" while they work or before the
// first draw): the compiler's or linker's log, or a missing GL feature.
const std::string& colormap_error();

// Test hook: the next shader compilation gets a line that is not GLSL, so
// the end-to-end tests can see a compile error reach the UI.
void break_colormap_shaders_for_testing();

}  // namespace cnn::platform
