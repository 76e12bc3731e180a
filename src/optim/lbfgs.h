// L-BFGS (Nocedal and Wright, "Numerical Optimization", algorithms 7.4 and
// 7.5) over one flat tensor of variables, with a backtracking (Armijo) line
// search. Used by style transfer, where Gatys et al. found it converges in far
// fewer evaluations than first-order methods: the objective there is a smooth
// function of a few hundred thousand pixels, too many for a Hessian but fine
// for a history of m gradient differences.
//
//   Lbfgs opt({.history = 10});
//   for (int i = 0; i < 100; ++i) opt.step(x, f);   // f(x, grad) returns the value
//
// One step(): the two-loop recursion turns the current gradient into a
// direction d = -H g, where H approximates the inverse Hessian from the last
// `history` pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k (scaled by
// s.y / y.y, eq. 7.20); then the step length t starts at 1 (at the first
// step: min(1, 1/|g|_1) * initial_step, since there is no curvature yet) and
// is halved until f(x + t d) <= f(x) + c1 t g.d (sufficient decrease). A pair
// with s.y <= 0 (no positive curvature; backtracking does not enforce the
// Wolfe curvature condition) is not stored, so H stays positive definite.
// If d is not a descent direction, or no step length decreases f, the
// history is dropped and the step restarts from steepest descent.
//
// Arithmetic: variables and history are float (a 256x256 image with m = 10
// keeps 2*10*196608 floats, 15 MB); dot products are accumulated in double.
#pragma once
#include <functional>
#include <vector>

#include "core/tensor.h"

namespace cnn {

struct LbfgsOptions {
  int history = 10;             // m: pairs kept
  float initial_step = 1.f;     // scale of the very first step (see above)
  float c1 = 1e-4f;             // sufficient-decrease constant
  int max_backtracks = 20;      // halvings per line search before giving up
  double gradient_tol = 1e-12;  // |g|_inf at or below this: converged, step() does nothing
};

class Lbfgs {
 public:
  // f(x, grad): the objective at x; writes its gradient to grad (resized by f).
  using Objective = std::function<float(const Tensor& x, Tensor& grad)>;
  using Options = LbfgsOptions;
  explicit Lbfgs(Options options = {});

  // One iteration from x (updated in place). Returns the objective at the new
  // x. The first call (or the first after reset()) evaluates f at x first; f
  // and its gradient at the accepted point are kept for the next call, so
  // each iteration costs as many evaluations as its line search tries
  // (usually one). Returns the unchanged value when converged or stuck.
  float step(Tensor& x, const Objective& f);

  // Forget the history and the cached value (x was changed from outside).
  void reset();

  int iterations() const { return iterations_; }
  int evaluations() const { return evaluations_; }
  // Whether the last step() moved x.
  bool moved() const { return moved_; }
  // The objective at the current x (after at least one step()).
  float value() const { return f_; }

 private:
  void direction();  // d_ = -H g_
  Options o_;
  bool have_value_ = false;
  float f_ = 0.f;
  Tensor g_, d_, x0_, g_new_;
  std::vector<Tensor> s_, y_;  // ring buffers of the last pairs
  std::vector<double> rho_;    // 1 / (y.s) per pair
  std::vector<double> alpha_;  // scratch of the two-loop recursion
  int stored_ = 0, next_ = 0;  // pairs kept, slot of the next pair
  int iterations_ = 0, evaluations_ = 0;
  bool moved_ = false;
};

}  // namespace cnn
