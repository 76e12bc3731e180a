#include "optim/lbfgs.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace cnn {

namespace {

double dot(const Tensor& a, const Tensor& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * double(b[i]);
  return sum;
}

// a += k * b
void axpy(Tensor& a, double k, const Tensor& b) {
  for (size_t i = 0; i < a.size(); ++i) a[i] = float(a[i] + k * b[i]);
}

}  // namespace

Lbfgs::Lbfgs(Options options) : o_(options) {
  if (o_.history < 1) throw Error("L-BFGS: history must be at least 1");
  if (o_.max_backtracks < 1) throw Error("L-BFGS: max_backtracks must be at least 1");
  s_.resize(size_t(o_.history));
  y_.resize(size_t(o_.history));
  rho_.assign(size_t(o_.history), 0.0);
  alpha_.assign(size_t(o_.history), 0.0);
}

void Lbfgs::reset() {
  have_value_ = false;
  stored_ = next_ = 0;
}

void Lbfgs::direction() {
  // Two-loop recursion (Nocedal and Wright, algorithm 7.4), newest pair first.
  d_ = g_;
  const int m = o_.history;
  for (int k = 0; k < stored_; ++k) {
    const int i = (next_ - 1 - k + m) % m;
    alpha_[size_t(i)] = rho_[size_t(i)] * dot(s_[size_t(i)], d_);
    axpy(d_, -alpha_[size_t(i)], y_[size_t(i)]);
  }
  if (stored_ > 0) {  // H0 = gamma I with gamma = s.y / y.y of the newest pair (eq. 7.20)
    const int i = (next_ - 1 + m) % m;
    const double gamma = 1.0 / (rho_[size_t(i)] * dot(y_[size_t(i)], y_[size_t(i)]));
    for (size_t j = 0; j < d_.size(); ++j) d_[j] = float(d_[j] * gamma);
  }
  for (int k = stored_ - 1; k >= 0; --k) {
    const int i = (next_ - 1 - k + m) % m;
    const double beta = rho_[size_t(i)] * dot(y_[size_t(i)], d_);
    axpy(d_, alpha_[size_t(i)] - beta, s_[size_t(i)]);
  }
  for (size_t j = 0; j < d_.size(); ++j) d_[j] = -d_[j];
}

float Lbfgs::step(Tensor& x, const Objective& f) {
  moved_ = false;
  if (!have_value_) {
    f_ = f(x, g_);
    ++evaluations_;
    if (g_.size() != x.size()) throw Error("L-BFGS: the objective's gradient has the wrong size");
    have_value_ = true;
  }
  if (!std::isfinite(f_)) throw Error("L-BFGS: the objective is not finite");
  double gmax = 0;
  for (size_t i = 0; i < g_.size(); ++i) gmax = std::max(gmax, double(std::fabs(g_[i])));
  if (gmax <= o_.gradient_tol) return f_;

  for (int attempt = 0; attempt < 2; ++attempt) {
    direction();
    double gd = dot(g_, d_);
    if (!(gd < 0)) {  // not a descent direction: restart from steepest descent
      stored_ = next_ = 0;
      direction();
      gd = dot(g_, d_);
    }
    double t = 1.0;
    if (stored_ == 0) {
      double l1 = 0;
      for (size_t i = 0; i < g_.size(); ++i) l1 += std::fabs(g_[i]);
      t = std::min(1.0, 1.0 / l1) * o_.initial_step;
    }
    x0_ = x;
    for (int b = 0; b < o_.max_backtracks; ++b, t *= 0.5) {
      for (size_t i = 0; i < x.size(); ++i) x[i] = float(x0_[i] + t * d_[i]);
      const float f_new = f(x, g_new_);
      ++evaluations_;
      if (!(std::isfinite(f_new) && f_new <= f_ + o_.c1 * t * gd)) continue;
      // Accepted: store the pair if it shows positive curvature.
      // x0_ becomes s and g_ becomes y (both are free now), then they take the slot.
      for (size_t i = 0; i < x.size(); ++i) {
        x0_[i] = x[i] - x0_[i];
        g_[i] = g_new_[i] - g_[i];
      }
      const double sy = dot(x0_, g_);
      if (sy > 1e-10 * std::sqrt(dot(x0_, x0_) * dot(g_, g_)) && sy > 0) {
        std::swap(s_[size_t(next_)], x0_);
        std::swap(y_[size_t(next_)], g_);
        rho_[size_t(next_)] = 1.0 / sy;
        next_ = (next_ + 1) % o_.history;
        stored_ = std::min(stored_ + 1, o_.history);
      }
      std::swap(g_, g_new_);
      f_ = f_new;
      ++iterations_;
      moved_ = true;
      return f_;
    }
    x = x0_;  // no decrease along d: forget the curvature and try steepest descent once
    if (stored_ == 0) break;
    stored_ = next_ = 0;
  }
  return f_;
}

}  // namespace cnn
