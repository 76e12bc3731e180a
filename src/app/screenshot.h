// Saves the frame just drawn as a PNG (after rendering, before the swap).
#pragma once
#include <string>

namespace cnn::app {

// Throws cnn::Error when the file cannot be written.
void save_screenshot(const std::string& path);

}  // namespace cnn::app
