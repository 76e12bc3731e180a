// What differs between the browser and the desktop, behind one interface:
// the window and its main loop, files, downloads, the clock, and whether
// threads are possible. web/platform_web.cpp and native/platform_native.cpp
// implement it; everything in src/app/ is the same code for both.
//
//   platform::init({.title = "BrickLab"});      // window, GL context, Dear ImGui
//   platform::run({.frame = [&] { return app.frame(); }});
//
// On the web run() returns at once and the browser calls frame() from then
// on, after main() has returned: what the callbacks use must outlive main()
// (static storage), as in Dear ImGui's Emscripten examples.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cnn::platform {

struct WindowOptions {
  std::string title = "BrickLab";
  int width = 1280, height = 860;  // desktop window; the web canvas fills the page
};

// Opens the window (the page's <canvas id="canvas"> on the web), creates an
// OpenGL 3.3 core / WebGL2 context and sets up Dear ImGui with its GLFW and
// OpenGL 3 backends. Throws cnn::Error when there is no display or GL.
void init(const WindowOptions& options);

struct FrameCallbacks {
  std::function<bool()> frame;         // builds the UI; return false to quit (desktop only)
  std::function<void()> after_render;  // after drawing, before the buffers swap (screenshots)
  // Held from the input events until the UI is built (the posted callbacks and
  // frame() run inside), released before drawing: a training thread works
  // while the frame is drawn and the display waits.
  std::function<void()> lock, unlock;
  // Where the UI thread must not block (the browser's main thread), the
  // platform calls this instead of lock(): false means the lock is busy, and
  // the frame is skipped (nothing drawn: the window keeps its picture).
  std::function<bool()> try_lock;
};
// Runs one UI frame per display frame (ImGui NewFrame .. Render around frame()).
// Desktop: returns when frame() returns false or the window closes, after
// shutting ImGui and the window down. Web: returns at once (see above).
void run(FrameCallbacks callbacks);

// Startup options: `--key value` / `--flag` arguments on the desktop, the
// page's query string (?key=value&flag) on the web. The same names work in both.
std::map<std::string, std::string> startup_options(int argc, char** argv);

// Monotonic seconds.
double now_seconds();

// True when threads could run: always on the desktop; on the web only on a
// cross-origin-isolated page (COOP/COEP headers, SharedArrayBuffer).
bool cross_origin_isolated();
// "desktop" or "web".
const char* name();
// True when the app may start threads: always on the desktop; on the web
// when built with pthreads (bricklab-mt.js) and the page is cross-origin isolated.
bool can_start_threads();
// Threads worth using for computing (the machine's cores; on the web capped
// by the pthreads build's pool of prestarted workers). 1 without threads.
int hardware_threads();

// --- Type size and the device pixel ratio ----------------------------------------
// The user interface's scale: 1 normally, larger in presentation mode. From
// the next frame on, the text is rendered at kFontPixels x scale x the device
// pixel ratio from the TrueType font built into the app (crisp, not a
// magnified bitmap), and the style's sizes and lines follow. ImGui works in
// device pixels: on a page at ratio 2 the canvas's drawing buffer is twice
// its CSS size, and so are the UI's coordinates.
inline constexpr float kFontPixels = 15;
void set_ui_scale(float scale);
// web: window.devicePixelRatio; desktop: 1.
float device_pixel_ratio();

// --- Data ------------------------------------------------------------------
struct LoadCallbacks {
  std::function<void(std::vector<uint8_t> bytes)> done;
  std::function<void(const std::string& message)> failed;
  std::function<void(size_t loaded, size_t total)> progress;  // total 0 when unknown
};
// The bytes behind a URL (web, fetched over HTTP) or a path (desktop).
// Callbacks come later, from the frame loop, never from inside this call.
void load_bytes(const std::string& url_or_path, LoadCallbacks callbacks);
// True where load_bytes() fetches URLs relative to the web page (so data
// files are asked for by their URL folder), false where it reads local paths.
bool loads_over_http();

// --- Files the user keeps -----------------------------------------------------
// Desktop: writes `path`. Web: offers the bytes as a download named after the
// path's last component. Throws cnn::Error when the write fails.
void save_file(const std::string& path, const std::vector<uint8_t>& bytes);
// Desktop: reads `path`. Web: shows the browser's file picker (path ignored).
// Callbacks come later, from the frame loop.
void open_file(const std::string& path, const std::string& accept, LoadCallbacks callbacks);
// True where open_file() shows a picker (so the UI needs no path field).
bool has_file_picker();

// --- Files the user drops (or picks, several at once) ----------------------------
struct DroppedFile {
  std::string name;  // web: the file's name; desktop: its path
  std::vector<uint8_t> bytes;
};
struct DropCallbacks {
  // Files are on their way (the browser reads them asynchronously).
  std::function<void(int files, size_t total_bytes)> started;
  std::function<void(size_t loaded, size_t total)> progress;
  // The files of one drop or pick that could be read, from the frame loop.
  std::function<void(std::vector<DroppedFile> files)> done;
  // A file that could not be read (it is left out of done()).
  std::function<void(const std::string& message)> failed;
};
// Receives files dropped on the window: GLFW's drop callback on the desktop,
// drag and drop on the page in the browser; there also the files chosen
// with pick_files() and the page's <input id="files"> (web/index.html).
void set_drop_handler(DropCallbacks callbacks);
// Web: shows the browser's file picker for several files, which then arrive
// like dropped ones. Desktop: does nothing (has_file_picker() is false; the
// UI takes a path and open_file()).
void pick_files(const std::string& accept);

// --- Pixels ------------------------------------------------------------------
// An RGBA8 texture for ImGui::Image; returns its id as an ImTextureID value.
void* create_texture(int width, int height, const uint8_t* rgba);
void update_texture(void* texture, int width, int height, const uint8_t* rgba);
void delete_texture(void* texture);
// The frame just drawn, RGBA8, top row first (for after_render).
std::vector<uint8_t> read_framebuffer(int& width, int& height);

// --- Test hook ---------------------------------------------------------------
// A JSON description of the app's state for end-to-end tests. The web build
// exports it to JavaScript as Module.bricklab_state() (web/index.html).
void set_state_provider(std::function<std::string()> provider);

}  // namespace cnn::platform
