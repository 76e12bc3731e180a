// The message of the cnn::Error a statement throws, for tests that compare
// whole messages (EXPECT_ERROR_CONTAINS in temp_dir.h checks fragments).
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace cnn::test {

// what() of the cnn::Error that f throws; "" and a test failure if it throws none.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a cnn::Error";
  return "";
}

}  // namespace cnn::test
