// The one central-difference gradient checker, for bricks and for losses.
//
// Bricks: the scalar energy E = sum_i r_i * y_i with a fixed random r in
// [-1, 1] makes every output count (a plain sum would hide errors that cancel,
// e.g. in softmax, whose outputs always sum to 1). backward() is fed dy = r,
// so its dx and parameter gradients are exactly dE/dx and dE/dparam, which are
// compared with (E(v + h) - E(v - h)) / (2h) for EVERY input element and EVERY
// parameter element. The checker also enforces the gradient contract of
// bricks/brick.h: y and dx are prefilled with NaN, so an element forward or
// backward forgot to write shows up, and a second backward must double the
// parameter gradients (they accumulate) while dx stays the same (written).
// Losses: the loss value itself is E; its gradient w.r.t. the output is checked.
//
// Everything runs in float, as the engine does; only E is summed in double.
// The step h really applied is (v + h) - (v - h) evaluated in float, so the
// representation error of v + h does not count as a gradient error.
//
// Tolerance: pass when |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|).
// The numeric derivative carries two errors:
//   - truncation, h^2/6 * |E'''|: zero for the linear bricks (conv, dense,
//     pools, flatten, dropout), ~1.7e-5 * |E'''| at h = 1e-2 for the smooth
//     ones; E''' is O(1) for inputs of order 1;
//   - rounding, about u * |E| * sqrt(#outputs) / h with float's u = 6e-8:
//     for |E| ~ 10 and 100 outputs, 6e-8 * 10 * 10 / 2e-2 = 3e-4.
// So atol = 1e-3 (bricks) sits a few times above the noise, while a real bug
// (a missing term, a wrong factor, a wrong index) moves a gradient of order
// 0.1..1 by far more than 1e-3 + 1%. Loss gradients are smaller (divided by
// the element count), so losses use atol = 1e-4 with h chosen per loss.
// Callers must keep inputs further than h from kinks (ReLU at 0, ramp at +-1,
// max-pool ties, hinge margins), where the two one-sided slopes differ; the
// sampling helpers below do that.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "bricks/brick.h"
#include "core/rng.h"
#include "core/tensor.h"
#include "losses/loss.h"

namespace cnn::test {

struct GradCheckOptions {
  float h = 1e-2f;  // central-difference step (per brick / per loss)
  double rtol = 1e-2;
  double atol = 1e-3;
  // Mode of every forward; in training mode ctx.rng is reseeded with seed
  // before each forward, so dropout draws the same mask every time.
  Mode mode = Mode::kInference;
  uint64_t seed = 7;
};

// ---- sampling ---------------------------------------------------------------

inline Tensor uniform_tensor(Shape s, Rng& rng, float lo, float hi) {
  Tensor t(s);
  for (size_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(lo, hi);
  return t;
}

// Uniform in [lo, hi], redrawn until at least gap away from every kink.
inline Tensor tensor_away_from(Shape s, Rng& rng, float lo, float hi,
                               const std::vector<float>& kinks, float gap) {
  Tensor t(s);
  for (size_t i = 0; i < t.size(); ++i) {
    float v;
    bool near;
    do {
      v = rng.uniform(lo, hi);
      near = false;
      for (float k : kinks) near = near || std::abs(v - k) < gap;
    } while (near);
    t[i] = v;
  }
  return t;
}

// All values distinct, at least step apart: a shuffled ramp centred on 0.
// Keeps max-pool windows free of (near-)ties.
inline Tensor distinct_tensor(Shape s, Rng& rng, float step) {
  std::vector<int> order(s.size());
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  Tensor t(s);
  const float mid = 0.5f * float(s.size() - 1);
  for (size_t i = 0; i < t.size(); ++i) t[i] = (float(order[i]) - mid) * step;
  return t;
}

// ---- comparison -------------------------------------------------------------

namespace detail {

// Collects mismatches of one tensor; reports the worst few.
class Comparison {
 public:
  explicit Comparison(const GradCheckOptions& o) : o_(o) {}
  void add(const std::string& what, size_t i, double analytic, double numeric) {
    const double err = std::abs(analytic - numeric);
    const double allowed = o_.atol + o_.rtol * std::max(std::abs(analytic), std::abs(numeric));
    ++checked_;
    if (err <= allowed && std::isfinite(analytic)) return;
    if (failures_++ < 8)
      msg_ << "\n  " << what << "[" << i << "]: analytic " << analytic << ", numeric " << numeric
           << " (|diff| " << err << " > allowed " << allowed << ")";
  }
  void note(const std::string& line) {
    ++failures_;
    msg_ << "\n  " << line;
  }
  ::testing::AssertionResult result() const {
    if (checked_ == 0) return ::testing::AssertionFailure() << "nothing was checked";
    if (failures_ == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << failures_ << " of " << checked_ << " gradient elements differ:" << msg_.str();
  }

 private:
  const GradCheckOptions& o_;
  size_t checked_ = 0, failures_ = 0;
  std::ostringstream msg_;
};

// dE/dv[i] by central differences, restoring v[i] afterwards.
inline double numeric_derivative(float& v, float h, const std::function<double()>& energy) {
  const float v0 = v;
  v = v0 + h;
  const float up = v;
  const double e_up = energy();
  v = v0 - h;
  const float down = v;
  const double e_down = energy();
  v = v0;
  return (e_up - e_down) / (double(up) - double(down));
}

inline bool has_nan(const Tensor& t) {
  for (size_t i = 0; i < t.size(); ++i)
    if (std::isnan(t[i])) return true;
  return false;
}

}  // namespace detail

// ---- bricks -----------------------------------------------------------------

// Checks dx and every parameter gradient of a BUILT brick at input x.
inline ::testing::AssertionResult brick_gradients_match(Brick& brick, const Tensor& x_in,
                                                        const GradCheckOptions& o = {}) {
  Tensor x = x_in;  // perturbed in place
  const Shape out = brick.output_shape(x.shape());
  Rng r_rng(20240611);
  const Tensor r = uniform_tensor(out, r_rng, -1.f, 1.f);

  auto run_forward = [&](Tensor& y) {
    Rng rng(o.seed);
    Context ctx{o.mode, &rng};
    y.resize(out);
    y.fill(NAN);
    brick.forward(x, y, ctx);
  };
  Tensor y_probe;
  auto energy = [&]() {
    run_forward(y_probe);
    double e = 0;
    for (size_t i = 0; i < r.size(); ++i) e += double(r[i]) * y_probe[i];
    return e;
  };

  detail::Comparison cmp(o);
  // Analytic gradients, with outputs prefilled with NaN.
  Tensor y;
  run_forward(y);
  if (y.shape() != out)
    cmp.note("forward gave " + y.shape().str() + ", output_shape says " + out.str());
  if (detail::has_nan(y)) cmp.note("forward left NaN in y (unwritten elements?)");
  std::vector<Param*> params = brick.params();
  for (Param* p : params) p->grad.zero();
  Tensor dx(x.shape(), NAN);
  brick.backward(x, y, r, dx);
  if (dx.shape() != x.shape()) cmp.note("dx has shape " + dx.shape().str());
  if (detail::has_nan(dx)) cmp.note("backward left NaN in dx (unwritten elements?)");
  std::vector<Tensor> grads;
  for (Param* p : params) grads.push_back(p->grad);

  // Contract: a second backward doubles parameter gradients, rewrites dx.
  Tensor dx2(x.shape(), 123.f);
  brick.backward(x, y, r, dx2);
  for (size_t i = 0; i < dx.size(); ++i)
    if (dx2[i] != dx[i]) {
      cmp.note("second backward changed dx[" + std::to_string(i) + "] (must be written, not +=)");
      break;
    }
  for (size_t k = 0; k < params.size(); ++k)
    for (size_t i = 0; i < grads[k].size(); ++i) {
      const float g = grads[k][i], g2 = params[k]->grad[i];
      if (std::abs(g2 - 2 * g) > 1e-5f * (1 + std::abs(g))) {
        cmp.note(params[k]->name + ".grad[" + std::to_string(i) +
                 "] after two backward passes is " + std::to_string(g2) + ", not 2 x " +
                 std::to_string(g) + " (must accumulate)");
        break;
      }
    }

  for (size_t i = 0; i < x.size(); ++i)
    cmp.add("dx", i, dx[i], detail::numeric_derivative(x[i], o.h, energy));
  for (size_t k = 0; k < params.size(); ++k) {
    Tensor& v = params[k]->value;
    for (size_t i = 0; i < v.size(); ++i)
      cmp.add(params[k]->name, i, grads[k][i], detail::numeric_derivative(v[i], o.h, energy));
  }
  return cmp.result();
}

// ---- losses -----------------------------------------------------------------

inline GradCheckOptions loss_check_options(float h) {
  GradCheckOptions o;
  o.h = h;
  o.atol = 1e-4;
  return o;
}

// Checks d loss / d output at (output, target).
inline ::testing::AssertionResult loss_gradients_match(Loss& loss, const Tensor& output_in,
                                                       const Tensor& target,
                                                       const GradCheckOptions& o) {
  Tensor output = output_in;
  detail::Comparison cmp(o);
  Tensor d(output.shape(), NAN);
  loss.backward(output, target, d);
  if (d.shape() != output.shape()) cmp.note("doutput has shape " + d.shape().str());
  if (detail::has_nan(d)) cmp.note("backward left NaN in doutput");
  auto energy = [&]() { return double(loss.forward(output, target)); };
  for (size_t i = 0; i < output.size(); ++i)
    cmp.add("doutput", i, d[i], detail::numeric_derivative(output[i], o.h, energy));
  return cmp.result();
}

}  // namespace cnn::test
