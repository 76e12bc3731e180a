// Direct-loop 2-D convolution: every output is the sum over its receptive
// field, with out-of-image taps (zero padding) skipped. Slow and obviously
// right; the SIMD tables go through im2col + GEMM instead.
#include "kernels/scalar/scalar.h"

namespace cnn::kernels {

// x (N,C,H,W) * w (K,C,KH,KW) + b (K) -> y (N,K,OH,OW)
void f32_conv2d_forward__scalar(const ConvShape& s, const float* x, const float* weights,
                                const float* bias, float* y, Workspace&) {
  const int oh = s.oh(), ow = s.ow();
  for (int n = 0; n < s.n; ++n)
    for (int k = 0; k < s.k; ++k)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox) {
          float sum = bias ? bias[k] : 0.f;
          for (int c = 0; c < s.c; ++c) {
            const float* plane = x + (size_t(n) * s.c + c) * s.h * s.w;
            const float* wk = weights + (size_t(k) * s.c + c) * s.kh * s.kw;
            for (int ky = 0; ky < s.kh; ++ky) {
              const int iy = oy * s.stride - s.pad + ky;
              if (iy < 0 || iy >= s.h) continue;
              for (int kx = 0; kx < s.kw; ++kx) {
                const int ix = ox * s.stride - s.pad + kx;
                if (ix < 0 || ix >= s.w) continue;
                sum += plane[iy * s.w + ix] * wk[ky * s.kw + kx];
              }
            }
          }
          y[((size_t(n) * s.k + k) * oh + oy) * ow + ox] = sum;
        }
}

// dy (N,K,OH,OW), w (K,C,KH,KW) -> dx (N,C,H,W) (written): each output's
// gradient is scattered back onto the inputs that produced it.
void f32_conv2d_backward_input__scalar(const ConvShape& s, const float* dy, const float* weights,
                                       float* dx, Workspace&) {
  const int oh = s.oh(), ow = s.ow();
  const size_t dx_size = size_t(s.n) * s.c * s.h * s.w;
  for (size_t i = 0; i < dx_size; ++i) dx[i] = 0.f;
  for (int n = 0; n < s.n; ++n)
    for (int k = 0; k < s.k; ++k)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox) {
          const float g = dy[((size_t(n) * s.k + k) * oh + oy) * ow + ox];
          for (int c = 0; c < s.c; ++c) {
            float* plane = dx + (size_t(n) * s.c + c) * s.h * s.w;
            const float* wk = weights + (size_t(k) * s.c + c) * s.kh * s.kw;
            for (int ky = 0; ky < s.kh; ++ky) {
              const int iy = oy * s.stride - s.pad + ky;
              if (iy < 0 || iy >= s.h) continue;
              for (int kx = 0; kx < s.kw; ++kx) {
                const int ix = ox * s.stride - s.pad + kx;
                if (ix < 0 || ix >= s.w) continue;
                plane[iy * s.w + ix] += wk[ky * s.kw + kx] * g;
              }
            }
          }
        }
}

// x (N,C,H,W), dy (N,K,OH,OW) -> dw (K,C,KH,KW) +=, db (K) +=
void f32_conv2d_backward_weights__scalar(const ConvShape& s, const float* x, const float* dy,
                                         float* dweights, float* dbias, Workspace&) {
  const int oh = s.oh(), ow = s.ow();
  for (int k = 0; k < s.k; ++k) {
    for (int c = 0; c < s.c; ++c)
      for (int ky = 0; ky < s.kh; ++ky)
        for (int kx = 0; kx < s.kw; ++kx) {
          float sum = 0.f;
          for (int n = 0; n < s.n; ++n) {
            const float* plane = x + (size_t(n) * s.c + c) * s.h * s.w;
            const float* g = dy + (size_t(n) * s.k + k) * oh * ow;
            for (int oy = 0; oy < oh; ++oy) {
              const int iy = oy * s.stride - s.pad + ky;
              if (iy < 0 || iy >= s.h) continue;
              for (int ox = 0; ox < ow; ++ox) {
                const int ix = ox * s.stride - s.pad + kx;
                if (ix < 0 || ix >= s.w) continue;
                sum += plane[iy * s.w + ix] * g[oy * ow + ox];
              }
            }
          }
          dweights[((size_t(k) * s.c + c) * s.kh + ky) * s.kw + kx] += sum;
        }
    if (dbias) {
      float sum = 0.f;
      for (int n = 0; n < s.n; ++n) {
        const float* g = dy + (size_t(n) * s.k + k) * oh * ow;
        for (int i = 0; i < oh * ow; ++i) sum += g[i];
      }
      dbias[k] += sum;
    }
  }
}

}  // namespace cnn::kernels
