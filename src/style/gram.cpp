#include "style/gram.h"

#include "core/error.h"
#include "kernels/kernels.h"

namespace cnn {

// One C x C product per sample: the heavy part (C*C*H*W multiply-adds, e.g.
// 512*512*1024 for VGG's conv4 at 256 px), so it goes through kernels::gemm.
void gram_matrix(const Tensor& f, Tensor& g) {
  const Shape s = f.shape();
  if (s.size() == 0) throw Error("gram_matrix: empty feature map " + s.str());
  g.resize({s.n, 1, s.c, s.c});
  const int hw = int(s.plane());
  const float scale = 1.f / float(s.sample_size());
  for (int n = 0; n < s.n; ++n) {
    const float* fs = f.sample(n);
    float* gs = g.sample(n);
    kernels::gemm(false, true, s.c, s.c, hw, fs, hw, fs, hw, gs, s.c, false);
    for (int i = 0; i < s.c * s.c; ++i) gs[i] *= scale;
  }
}

void gram_matrix_backward(const Tensor& f, const Tensor& dg, Tensor& df) {
  const Shape s = f.shape();
  if (dg.shape() != Shape{s.n, 1, s.c, s.c})
    throw Error("gram_matrix_backward: dg is " + dg.shape().str() + " for features " + s.str());
  df.resize(s);
  const int hw = int(s.plane());
  const float scale = 1.f / float(s.sample_size());
  Tensor sym({1, 1, s.c, s.c});  // (dg + dg^T) * scale, one sample at a time
  for (int n = 0; n < s.n; ++n) {
    const float* d = dg.sample(n);
    for (int i = 0; i < s.c; ++i)
      for (int j = 0; j < s.c; ++j) sym[i * s.c + j] = (d[i * s.c + j] + d[j * s.c + i]) * scale;
    kernels::gemm(false, false, s.c, hw, s.c, sym.data(), s.c, f.sample(n), hw, df.sample(n), hw,
                  false);
  }
}

}  // namespace cnn
