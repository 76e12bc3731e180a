// The shaders built into the playground (platform/shader_source.h): every
// shaders/*.glsl is embedded verbatim, and each dialect gets its own #version
// header (compiling them is checked in real GL contexts by the end-to-end
// tests: the desktop smoke test and tests/e2e/inside.spec.js).
#include "platform/shader_source.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace cnn::platform {
namespace {

const std::string kShaderDir = std::string(CNN_SOURCE_DIR) + "/shaders/";

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> glsl_files() {
  std::vector<std::string> names;
  DIR* dir = opendir(kShaderDir.c_str());
  if (!dir) return names;
  while (dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name.size() > 5 && name.substr(name.size() - 5) == ".glsl")
      names.push_back(name.substr(0, name.size() - 5));
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ShaderSource, EveryGlslFileIsBuiltIn) {
  const std::vector<std::string> files = glsl_files();
  ASSERT_GE(files.size(), 2u) << "no shaders found in " << kShaderDir;
  std::vector<std::string> embedded = shader_names();
  std::sort(embedded.begin(), embedded.end());
  EXPECT_EQ(embedded, files);
}

TEST(ShaderSource, EachDialectGetsItsVersionLineInFrontOfTheFileText) {
  for (const std::string& name : shader_names()) {
    SCOPED_TRACE(name);
    const std::string file = read_text(kShaderDir + name + ".glsl");
    ASSERT_FALSE(file.empty());
    const std::string es = shader_source(name, GlslDialect::kWebGL2);
    const std::string desktop = shader_source(name, GlslDialect::kDesktop);
    EXPECT_EQ(es.rfind("#version 300 es\nprecision highp float;\n", 0), 0u) << es.substr(0, 60);
    EXPECT_EQ(desktop.rfind("#version 330 core\n", 0), 0u) << desktop.substr(0, 60);
    EXPECT_EQ(es, glsl_header(GlslDialect::kWebGL2) + file);
    EXPECT_EQ(desktop, glsl_header(GlslDialect::kDesktop) + file);
    // Exactly one #version, the first line (GLSL requires it there).
    EXPECT_EQ(count(es, "#version"), 1u);
    EXPECT_EQ(count(desktop, "#version"), 1u);
  }
}

TEST(ShaderSource, TheColourMapShadersAreThere) {
  EXPECT_NE(shader_source("colormap.frag", GlslDialect::kDesktop).find("viridis"),
            std::string::npos);
  EXPECT_NE(shader_source("map.vert", GlslDialect::kWebGL2).find("gl_VertexID"), std::string::npos);
#ifdef __EMSCRIPTEN__
  EXPECT_EQ(native_dialect(), GlslDialect::kWebGL2);
#else
  EXPECT_EQ(native_dialect(), GlslDialect::kDesktop);
#endif
}

TEST(ShaderSource, AnUnknownNameIsAnErrorListingTheShaders) {
  EXPECT_ERROR_CONTAINS(shader_source("colourmap.frag", GlslDialect::kDesktop),
                        "\"colourmap.frag\"", "colormap.frag, map.vert", "shaders/shaders.cmake");
}

}  // namespace
}  // namespace cnn::platform
