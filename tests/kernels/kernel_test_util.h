// Helpers shared by the kernel tests: seeded random buffers and an element-wise
// comparison that reports the first failing index.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/rng.h"

namespace cnn::kernels::test {

inline std::vector<float> random_vector(size_t count, Rng& rng, float lo = -1.f, float hi = 1.f) {
  std::vector<float> v(count);
  for (float& f : v) f = rng.uniform(lo, hi);
  return v;
}

inline std::vector<float> nan_vector(size_t count) {
  return std::vector<float>(count, std::numeric_limits<float>::quiet_NaN());
}

// |got - want| <= rtol * |want| + atol for every element; reports the first
// element that is off (NaN never passes).
inline ::testing::AssertionResult all_close(const std::vector<float>& got,
                                            const std::vector<float>& want, float rtol,
                                            float atol) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "size " << got.size() << " != expected " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    const float err = std::fabs(got[i] - want[i]);
    if (!(err <= rtol * std::fabs(want[i]) + atol))
      return ::testing::AssertionFailure() << "at index " << i << ": got " << got[i]
                                           << ", expected " << want[i] << " (error " << err << ")";
  }
  return ::testing::AssertionSuccess();
}

// |got - want| <= tol * scale[i] for every element, where scale is the size
// of the terms that were summed (e.g. the same computation on |inputs|), so
// the check is relative even where cancellation makes `want` small.
inline ::testing::AssertionResult close_to_scale(const std::vector<float>& got,
                                                 const std::vector<float>& want,
                                                 const std::vector<float>& scale, float tol) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "size " << got.size() << " != expected " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    const float err = std::fabs(got[i] - want[i]);
    if (!(err <= tol * scale[i] + 1e-30f))
      return ::testing::AssertionFailure()
             << "at index " << i << ": got " << got[i] << ", expected " << want[i] << " (error "
             << err << ", allowed " << tol * scale[i] << ")";
  }
  return ::testing::AssertionSuccess();
}

inline std::vector<float> abs_of(std::vector<float> v) {
  for (float& f : v) f = std::fabs(f);
  return v;
}

inline double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
  return sum;
}

}  // namespace cnn::kernels::test
