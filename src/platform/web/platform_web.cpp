// The browser: the page's <canvas id="canvas"> with a WebGL2 context through
// Emscripten's GLFW, data over HTTP, downloads and the file picker through
// small pieces of JavaScript (EM_JS), the frame loop on requestAnimationFrame.
#include <emscripten.h>
#include <emscripten/wget.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <GLFW/glfw3.h>

#include "core/error.h"
#include "platform/colormap_renderer.h"
#include "platform/glfw_imgui.h"

namespace cnn::platform {

namespace {

GLFWwindow* g_window = nullptr;
FrameCallbacks g_callbacks;

// clang-format off
EM_JS(int, js_page_width, (), { return window.innerWidth | 0; });
EM_JS(int, js_page_height, (), { return window.innerHeight | 0; });
EM_JS(double, js_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });
// The canvas fills the page: its CSS size is the page's, its drawing buffer
// that times the device pixel ratio (crisp text), and Emscripten's GLFW is
// told the buffer's size directly. Not glfwSetWindowSize: that requests
// fullscreen whenever the size equals the screen's (F11, kiosk mode on a
// projector), which the browser refuses outside a click (an error in the
// console every frame) and which left the canvas at its old size, stretched.
EM_JS(void, js_fit_canvas, (), {
  var canvas = Module["canvas"];
  var ratio = window.devicePixelRatio || 1;
  var cssWidth = window.innerWidth, cssHeight = window.innerHeight;
  var width = Math.max(1, Math.round(cssWidth * ratio));
  var height = Math.max(1, Math.round(cssHeight * ratio));
  if (canvas.style.width !== cssWidth + "px") canvas.style.width = cssWidth + "px";
  if (canvas.style.height !== cssHeight + "px") canvas.style.height = cssHeight + "px";
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  if (GLFW.active) {
    GLFW.active.width = width;
    GLFW.active.height = height;
  }
});
EM_JS(int, js_cross_origin_isolated, (), { return self.crossOriginIsolated ? 1 : 0; });
EM_JS(int, js_hardware_concurrency, (), { return navigator.hardwareConcurrency | 0; });
// The query string without '?', in memory the caller frees.
EM_JS(char*, js_query_string, (), {
  var s = location.search.substring(1);
  var n = lengthBytesUTF8(s) + 1;
  var p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_download, (const char* name, const uint8_t* data, int size), {
  var blob = new Blob([HEAPU8.slice(data, data + size)], {type: "application/octet-stream"});
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  setTimeout(function() { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
});
// Shows the file picker; the chosen file's bytes go to bricklab_file_picked(request, ...).
EM_JS(void, js_pick_file, (int request, const char* accept), {
  var input = document.createElement("input");
  input.type = "file";
  input.accept = UTF8ToString(accept);
  input.onchange = function() {
    var file = input.files[0];
    if (!file) return;
    file.arrayBuffer().then(function(buffer) {
      var bytes = new Uint8Array(buffer);
      var p = _malloc(bytes.length || 1);
      HEAPU8.set(bytes, p);
      _bricklab_file_picked(request, p, bytes.length);
    });
  };
  input.click();
});
// Drag and drop on the page, the page's <input id="files"> and pick_files():
// each file is read with a FileReader (progress), one after another (memory),
// copied into the module's memory and handed to bricklab_drop_file(); then
// bricklab_drop_done() ends the group. Only double quotes in here: this is
// a C macro argument.
EM_JS(void, js_install_drop_target, (), {
  var input = document.getElementById("files");
  if (!input) {
    input = document.createElement("input");
    input.type = "file";
    input.id = "files";
    input.multiple = true;
    input.hidden = true;
    document.body.appendChild(input);
  }
  function readAll(list) {
    var files = Array.prototype.slice.call(list);
    if (!files.length) return;
    var total = 0;
    files.forEach(function(f) { total += f.size; });
    _bricklab_drop_started(files.length, total);
    var before = 0;
    function readOne(i) {
      if (i === files.length) { _bricklab_drop_done(); return; }
      var file = files[i];
      var reader = new FileReader();
      reader.onprogress = function(e) { _bricklab_drop_progress(before + e.loaded, total); };
      reader.onerror = function() {
        var text = file.name + ": cannot read: " + (reader.error ? reader.error.message : "unknown error");
        var n = lengthBytesUTF8(text) + 1, t = _malloc(n);
        stringToUTF8(text, t, n);
        _bricklab_drop_failed(t);
        before += file.size;
        readOne(i + 1);
      };
      reader.onload = function() {
        var bytes = new Uint8Array(reader.result);
        var p = _malloc(bytes.length || 1);
        HEAPU8.set(bytes, p);
        var n = lengthBytesUTF8(file.name) + 1, name = _malloc(n);
        stringToUTF8(file.name, name, n);
        _bricklab_drop_file(name, p, bytes.length);
        before += file.size;
        _bricklab_drop_progress(before, total);
        readOne(i + 1);
      };
      reader.readAsArrayBuffer(file);
    }
    readOne(0);
  }
  input.addEventListener("change", function() {
    var list = Array.prototype.slice.call(input.files);
    input.value = "";
    readAll(list);
  });
  window.addEventListener("dragover", function(e) {
    e.preventDefault();
    document.body.classList.add("dragging");
  });
  window.addEventListener("dragleave", function(e) {
    if (!e.relatedTarget) document.body.classList.remove("dragging");
  });
  window.addEventListener("drop", function(e) {
    e.preventDefault();
    document.body.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files) readAll(e.dataTransfer.files);
  });
});
EM_JS(void, js_pick_files, (const char* accept), {
  var input = document.getElementById("files");
  input.accept = UTF8ToString(accept);
  input.click();
});
// clang-format on

// The files of the drop being read (bricklab_drop_file .. bricklab_drop_done).
std::vector<DroppedFile>& dropped() {
  static std::vector<DroppedFile> files;
  return files;
}

// In-flight downloads and file picks, keyed by a number JavaScript hands back.
struct Request {
  LoadCallbacks callbacks;
};
std::map<int, std::unique_ptr<Request>>& requests() {
  static std::map<int, std::unique_ptr<Request>> r;
  return r;
}
int add_request(LoadCallbacks callbacks) {
  static int next = 1;
  requests()[next] = std::make_unique<Request>(Request{std::move(callbacks)});
  return next++;
}
std::unique_ptr<Request> take_request(int id) {
  auto it = requests().find(id);
  if (it == requests().end()) return nullptr;
  std::unique_ptr<Request> r = std::move(it->second);
  requests().erase(it);
  return r;
}

void deliver(int id, const uint8_t* data, size_t size) {
  std::unique_ptr<Request> r = take_request(id);
  if (!r) return;
  std::vector<uint8_t> bytes(data, data + size);
  detail::post([r = std::shared_ptr<Request>(std::move(r)), bytes = std::move(bytes)]() mutable {
    if (r->callbacks.done) r->callbacks.done(std::move(bytes));
  });
}

void on_loaded(unsigned, void* arg, void* data, unsigned size) {
  deliver(int(reinterpret_cast<intptr_t>(arg)), static_cast<const uint8_t*>(data), size);
}

void on_error(unsigned, void* arg, int status, const char* text) {
  std::unique_ptr<Request> r = take_request(int(reinterpret_cast<intptr_t>(arg)));
  if (!r) return;
  std::string message = status ? "HTTP " + std::to_string(status) : std::string("network error");
  if (text && *text) message += std::string(" ") + text;
  detail::post([r = std::shared_ptr<Request>(std::move(r)), message] {
    if (r->callbacks.failed) r->callbacks.failed(message);
  });
}

void on_progress(unsigned, void* arg, int loaded, int total) {
  auto it = requests().find(int(reinterpret_cast<intptr_t>(arg)));
  if (it == requests().end() || !it->second->callbacks.progress) return;
  it->second->callbacks.progress(size_t(loaded), size_t(total));
}

void loop_once(void*) {
  js_fit_canvas();
  // The browser's main thread must not wait for the training worker.
  detail::frame(g_window, g_callbacks, /*may_block=*/false);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

void init(const WindowOptions& options) {
  if (!glfwInit()) throw Error("cannot start GLFW in this browser");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);  // WebGL2
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  g_window = glfwCreateWindow(js_page_width() > 0 ? js_page_width() : options.width,
                              js_page_height() > 0 ? js_page_height() : options.height,
                              options.title.c_str(), nullptr, nullptr);
  if (!g_window) throw Error("this browser offers no WebGL2 context");
  glfwMakeContextCurrent(g_window);
  js_fit_canvas();
  detail::init_imgui(g_window);
  js_install_drop_target();
}

void run(FrameCallbacks callbacks) {
  g_callbacks = std::move(callbacks);
  // fps 0: requestAnimationFrame. No simulated infinite loop: main() returns
  // and the runtime stays alive (EXIT_RUNTIME is off for the page).
  emscripten_set_main_loop_arg(loop_once, nullptr, 0, false);
}

std::map<std::string, std::string> startup_options(int, char**) {
  char* raw = js_query_string();
  std::string query = raw;
  std::free(raw);
  std::map<std::string, std::string> options;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string::npos)
        options[url_decode(part)] = "";
      else
        options[url_decode(part.substr(0, eq))] = url_decode(part.substr(eq + 1));
    }
    start = end + 1;
  }
  return options;
}

double now_seconds() {
  return emscripten_get_now() / 1000.0;
}

bool cross_origin_isolated() {
  return js_cross_origin_isolated() != 0;
}
float device_pixel_ratio() {
  return float(js_device_pixel_ratio());
}
const char* name() {
  return "web";
}
bool can_start_threads() {
#ifdef __EMSCRIPTEN_PTHREADS__
  return cross_origin_isolated();
#else
  return false;
#endif
}
int hardware_threads() {
  // The pthreads build prestarts 4 workers (-sPTHREAD_POOL_SIZE=4 in
  // CMakeLists.txt): the training thread and up to 3 kernel threads.
  if (!can_start_threads()) return 1;
  return std::clamp(js_hardware_concurrency(), 1, 4);
}

void load_bytes(const std::string& url, LoadCallbacks callbacks) {
  const int id = add_request(std::move(callbacks));
  emscripten_async_wget2_data(url.c_str(), "GET", "", reinterpret_cast<void*>(intptr_t(id)),
                              /*free=*/1, on_loaded, on_error, on_progress);
}

bool loads_over_http() {
  return true;
}

void save_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  const size_t slash = path.find_last_of('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  js_download(name.c_str(), bytes.data(), int(bytes.size()));
}

void open_file(const std::string&, const std::string& accept, LoadCallbacks callbacks) {
  js_pick_file(add_request(std::move(callbacks)), accept.c_str());
}

bool has_file_picker() {
  return true;
}

void pick_files(const std::string& accept) {
  js_pick_files(accept.c_str());
}

}  // namespace cnn::platform

// Called from JavaScript (js_pick_file) with bytes in memory from _malloc.
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_file_picked(int request, uint8_t* data, int size) {
  cnn::platform::deliver(request, data, size_t(size));
  std::free(data);
}

// Called from JavaScript (js_install_drop_target) while dropped or picked
// files are read; strings and bytes are in memory from _malloc.
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_drop_started(int files, double total_bytes) {
  using namespace cnn::platform;
  dropped().clear();
  // Between frames (a JavaScript event), like progress: no need to post.
  if (detail::drop_handler().started) detail::drop_handler().started(files, size_t(total_bytes));
}
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_drop_progress(double loaded, double total) {
  using namespace cnn::platform;
  if (detail::drop_handler().progress)
    detail::drop_handler().progress(size_t(loaded), size_t(total));
}
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_drop_file(char* name, uint8_t* data, int size) {
  using namespace cnn::platform;
  dropped().push_back({name, std::vector<uint8_t>(data, data + size)});
  std::free(name);
  std::free(data);
}
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_drop_failed(char* message) {
  using namespace cnn::platform;
  detail::post([text = std::string(message)] {
    if (detail::drop_handler().failed) detail::drop_handler().failed(text);
  });
  std::free(message);
}
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_drop_done() {
  using namespace cnn::platform;
  auto files = std::make_shared<std::vector<DroppedFile>>(std::move(dropped()));
  dropped().clear();
  detail::post([files] {
    if (detail::drop_handler().done) detail::drop_handler().done(std::move(*files));
  });
}

// Benchmarks: no GPU read-backs behind the state's colour counts.
extern "C" EMSCRIPTEN_KEEPALIVE void bricklab_set_colour_readback(int on) {
  cnn::platform::set_colour_readback(on != 0);
}

// The end-to-end tests' view of the app (web/index.html wraps it as
// Module.bricklab_state()). The string lives until the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* bricklab_state() {
  static std::string json;
  json = cnn::platform::detail::state_json();
  return json.c_str();
}
