#include "app/screenshot.h"

// stb_image_write is compiled here, privately (static functions), so it
// cannot clash with another copy elsewhere in the program.
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "core/error.h"
#include "platform/platform.h"

namespace cnn::app {

void save_screenshot(const std::string& path) {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba = platform::read_framebuffer(width, height);
  // The framebuffer's alpha is not meant to be seen: make the image opaque.
  for (size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;
  if (width <= 0 || height <= 0 ||
      !stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4))
    throw FileError(path, "cannot write the screenshot");
}

}  // namespace cnn::app
