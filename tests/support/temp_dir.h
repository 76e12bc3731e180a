// A fresh folder per test under the build tree, for files the test writes
// (works natively and under node, whose NODERAWFS sees the host's files).
#pragma once
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "core/error.h"

namespace cnn::testing {

inline std::string temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string base = std::string(CNN_BINARY_DIR) + "/test-tmp";
  ::mkdir(base.c_str(), 0755);
  std::string dir = base + "/" + info->test_suite_name() + "." + info->name();
  ::mkdir(dir.c_str(), 0755);
  return dir;
}

// Expects `statement` to throw cnn::Error (or a subclass) whose message
// contains every one of the given fragments.
#define EXPECT_ERROR_CONTAINS(statement, ...)                                 \
  do {                                                                        \
    try {                                                                     \
      statement;                                                              \
      ADD_FAILURE() << "expected an error from: " #statement;                 \
    } catch (const ::cnn::Error& e) {                                         \
      for (const char* fragment : {__VA_ARGS__})                              \
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)    \
            << "message \"" << e.what() << "\" lacks \"" << fragment << "\""; \
    }                                                                         \
  } while (0)

}  // namespace cnn::testing
