// The kernel API: the only place where the engine's numerical heavy lifting
// happens. Bricks call these functions; they never contain intrinsics.
//
// Every operation exists as a scalar reference (kernels/scalar/, plain loops,
// the source of truth) and in SIMD variants (kernels/x86/, kernels/wasm_simd128/).
// The variant is chosen once, at start-up, by select_kernels() (dispatch.cpp);
// the free functions below forward to the selected table.
//
// Conventions: row-major; all pointers are to float32; outputs are written
// (=) unless the name or a flag says they accumulate (+=).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/threads.h"  // set_threads(), threads()

namespace cnn::kernels {

// Geometry of a 2-D convolution over an NCHW batch.
//   x (n, c, h, w) * weights (k, c, kh, kw) -> y (n, k, oh, ow)
struct ConvShape {
  int n = 1, c = 1, h = 1, w = 1;  // input
  int k = 1;                       // output channels
  int kh = 1, kw = 1;              // kernel size
  int stride = 1, pad = 0;         // same stride and zero padding in both directions
  int oh() const { return (h + 2 * pad - kh) / stride + 1; }
  int ow() const { return (w + 2 * pad - kw) / stride + 1; }
};

// Geometry of a 2-D pooling window over an NCHW batch (no padding).
//   x (n, c, h, w) -> y (n, c, oh, ow)
struct PoolShape {
  int n = 1, c = 1, h = 1, w = 1;
  int size = 2, stride = 2;
  int oh() const { return (h - size) / stride + 1; }
  int ow() const { return (w - size) / stride + 1; }
};

// Scratch memory a kernel may use (im2col buffers, packed panels). It grows
// to the largest request and is then reused, so steady-state calls do not
// allocate. One per model (Brick::share_workspace: its bricks run one at a
// time), or per caller; never used by two callers at once (a kernel gives
// its own threads disjoint parts of it).
class Workspace {
 public:
  float* floats(size_t count) {
    if (buffer_.size() < count) buffer_.resize(count);
    return buffer_.data();
  }

 private:
  std::vector<float> buffer_;
};

// One implementation of every kernel. A variant may reuse another's entries
// (e.g. the SIMD tables keep the scalar average pooling).
struct KernelTable {
  const char* name;  // "scalar", "avx2", "avx512", "wasm_simd128"

  // C (m x n) = op(A) (m x k) * op(B) (k x n), plus C when accumulate.
  // op(A) = A when !trans_a (A is m x k, stride lda) else A^T (A is k x m).
  // op(B) = B when !trans_b (B is k x n, stride ldb) else B^T (B is n x k).
  void (*gemm)(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
               const float* b, int ldb, float* c, int ldc, bool accumulate);

  // y = conv(x, weights) + bias (bias may be null).
  void (*conv2d_forward)(const ConvShape& s, const float* x, const float* weights,
                         const float* bias, float* y, Workspace& ws);
  // dx = dE/dx given dy = dE/dy (written).
  void (*conv2d_backward_input)(const ConvShape& s, const float* dy, const float* weights,
                                float* dx, Workspace& ws);
  // dweights += dE/dweights, dbias += dE/dbias (dbias may be null).
  void (*conv2d_backward_weights)(const ConvShape& s, const float* x, const float* dy,
                                  float* dweights, float* dbias, Workspace& ws);

  // Max pooling; argmax[i] is the input index (within the sample-channel
  // plane) of the max chosen for output i, so backward routes the gradient
  // exactly. Ties pick the first element in row-major window order.
  void (*maxpool2d_forward)(const PoolShape& s, const float* x, float* y, int32_t* argmax);
  void (*maxpool2d_backward)(const PoolShape& s, const float* dy, const int32_t* argmax,
                             float* dx);  // dx written (zeroed first)
  void (*avgpool2d_forward)(const PoolShape& s, const float* x, float* y);
  void (*avgpool2d_backward)(const PoolShape& s, const float* dy, float* dx);  // dx written

  // ReLU over n floats: y = x > 0 ? x : 0, dx = x > 0 ? dy : 0 (NaN counts as
  // not positive). y may alias x, dx may alias dy.
  void (*relu_forward)(size_t n, const float* x, float* y);
  void (*relu_backward)(size_t n, const float* x, const float* dy, float* dx);

  // GEMM blocking of this table: register tile mr x nr, cache blocks kc (depth),
  // mc (rows), nc (columns). Informative (tests aim at these edges).
  int gemm_mr = 1, gemm_nr = 1, gemm_kc = 0, gemm_mc = 0, gemm_nc = 0;
};

// The scalar reference table; always available.
const KernelTable& scalar_kernels();
// Every table this machine can run, the scalar one first (tests iterate it).
std::vector<const KernelTable*> available_kernels();
// The table in use. Chosen once on first use: the widest the CPU supports,
// unless overridden by select_kernels() (e.g. `--kernels scalar`).
const KernelTable& active();
// Chooses a table by name; returns false if it is not available here (or,
// in deterministic mode, if it is not "scalar").
bool select_kernels(const char* name);

// Deterministic mode (`cnn train --deterministic`): every kernel is the
// scalar reference, whose loops give each output one fixed summation order
// (a function of the shapes only), run on one thread and are compiled
// without FMA contraction; with core/fmath in place of libm, a training run
// then gives the same bits natively and in WebAssembly. Turning it off
// returns to the table chosen before.
void set_deterministic(bool on);
bool deterministic();

// Convenience forwarding to active().
inline void gemm(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b,
                 int ldb, float* c, int ldc, bool accumulate) {
  active().gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
inline void conv2d_forward(const ConvShape& s, const float* x, const float* w, const float* b,
                           float* y, Workspace& ws) {
  active().conv2d_forward(s, x, w, b, y, ws);
}
inline void conv2d_backward_input(const ConvShape& s, const float* dy, const float* w, float* dx,
                                  Workspace& ws) {
  active().conv2d_backward_input(s, dy, w, dx, ws);
}
inline void conv2d_backward_weights(const ConvShape& s, const float* x, const float* dy, float* dw,
                                    float* db, Workspace& ws) {
  active().conv2d_backward_weights(s, x, dy, dw, db, ws);
}
inline void maxpool2d_forward(const PoolShape& s, const float* x, float* y, int32_t* argmax) {
  active().maxpool2d_forward(s, x, y, argmax);
}
inline void maxpool2d_backward(const PoolShape& s, const float* dy, const int32_t* argmax,
                               float* dx) {
  active().maxpool2d_backward(s, dy, argmax, dx);
}
inline void avgpool2d_forward(const PoolShape& s, const float* x, float* y) {
  active().avgpool2d_forward(s, x, y);
}
inline void avgpool2d_backward(const PoolShape& s, const float* dy, float* dx) {
  active().avgpool2d_backward(s, dy, dx);
}
inline void relu_forward(size_t n, const float* x, float* y) {
  active().relu_forward(n, x, y);
}
inline void relu_backward(size_t n, const float* x, const float* dy, float* dx) {
  active().relu_backward(n, x, dy, dx);
}

}  // namespace cnn::kernels
