// Small helpers for driving one brick in a test.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "bricks/brick.h"
#include "core/error.h"
#include "kernels/kernels.h"
#include "support/error_of.h"

namespace cnn::test {

// y = brick(x) in the given mode (training draws from a fixed-seed rng).
inline Tensor run(Brick& b, const Tensor& x, Mode mode = Mode::kInference, uint64_t seed = 1) {
  Rng rng(seed);
  Context ctx{mode, &rng};
  Tensor y;
  b.forward(x, y, ctx);
  return y;
}

// dx for dy, after the forward that produced y from x.
inline Tensor backprop(Brick& b, const Tensor& x, const Tensor& y, const Tensor& dy) {
  Tensor dx;
  b.backward(x, y, dy, dx);
  return dx;
}

inline Param& param(Brick& b, const std::string& name) {
  for (Param* p : b.params())
    if (p->name == name) return *p;
  throw Error("test: brick " + std::string(b.type()) + " has no param " + name);
}

// Sets a parameter's value (shapes must agree) and zeroes its gradient.
inline void set_param(Brick& b, const std::string& name, const Tensor& value) {
  Param& p = param(b, name);
  EXPECT_EQ(p.value.size(), value.size()) << name;
  for (size_t i = 0; i < p.value.size() && i < value.size(); ++i) p.value[i] = value[i];
  p.grad.zero();
}

// Runs f once with each kernel table this machine has (scalar, then the SIMD
// ones), so the bricks built on kernels are checked on every code path;
// restores the table that was active.
template <class F>
void for_each_kernel_table(F&& f) {
  const char* before = kernels::active().name;
  for (const kernels::KernelTable* table : kernels::available_kernels()) {
    SCOPED_TRACE(std::string("kernels ") + table->name);
    kernels::select_kernels(table->name);
    f();
  }
  kernels::select_kernels(before);
}

}  // namespace cnn::test
