// Element-wise reference kernels.
#include "kernels/scalar/scalar.h"

namespace cnn::kernels {

// y = max(x, 0); NaN -> 0
void f32_relu_forward__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.f;
}

// dx = x > 0 ? dy : 0
void f32_relu_backward__scalar(size_t n, const float* x, const float* dy, float* dx) {
  for (size_t i = 0; i < n; ++i) dx[i] = x[i] > 0 ? dy[i] : 0.f;
}

}  // namespace cnn::kernels
