// Max and average pooling over each (sample, channel) plane, no padding.
// Pooling is memory-bound and cheap next to convolution, so these loops also
// serve the SIMD tables.
#include "kernels/scalar/scalar.h"

namespace cnn::kernels {

// x (N,C,H,W) -> y (N,C,OH,OW), argmax (N,C,OH,OW) = index within the plane
void f32_maxpool2d_forward__scalar(const PoolShape& s, const float* x, float* y, int32_t* argmax) {
  const int oh = s.oh(), ow = s.ow();
  for (int p = 0; p < s.n * s.c; ++p) {
    const float* plane = x + size_t(p) * s.h * s.w;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        int best = (oy * s.stride) * s.w + ox * s.stride;
        for (int wy = 0; wy < s.size; ++wy)
          for (int wx = 0; wx < s.size; ++wx) {
            const int i = (oy * s.stride + wy) * s.w + ox * s.stride + wx;
            if (plane[i] > plane[best]) best = i;  // strict: ties keep the first
          }
        const size_t o = (size_t(p) * oh + oy) * ow + ox;
        y[o] = plane[best];
        argmax[o] = best;
      }
  }
}

// dy (N,C,OH,OW), argmax -> dx (N,C,H,W) (written). Overlapping windows
// (stride < size) may pick the same input twice; their gradients add up.
void f32_maxpool2d_backward__scalar(const PoolShape& s, const float* dy, const int32_t* argmax,
                                    float* dx) {
  const int oh = s.oh(), ow = s.ow();
  const size_t dx_size = size_t(s.n) * s.c * s.h * s.w;
  for (size_t i = 0; i < dx_size; ++i) dx[i] = 0.f;
  for (int p = 0; p < s.n * s.c; ++p) {
    float* plane = dx + size_t(p) * s.h * s.w;
    for (int o = 0; o < oh * ow; ++o) {
      const size_t i = size_t(p) * oh * ow + o;
      plane[argmax[i]] += dy[i];
    }
  }
}

// x (N,C,H,W) -> y (N,C,OH,OW), the window mean
void f32_avgpool2d_forward__scalar(const PoolShape& s, const float* x, float* y) {
  const int oh = s.oh(), ow = s.ow();
  const float scale = 1.f / float(s.size * s.size);
  for (int p = 0; p < s.n * s.c; ++p) {
    const float* plane = x + size_t(p) * s.h * s.w;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        float sum = 0.f;
        for (int wy = 0; wy < s.size; ++wy)
          for (int wx = 0; wx < s.size; ++wx)
            sum += plane[(oy * s.stride + wy) * s.w + ox * s.stride + wx];
        y[(size_t(p) * oh + oy) * ow + ox] = sum * scale;
      }
  }
}

// dy (N,C,OH,OW) -> dx (N,C,H,W) (written): each output spreads its gradient
// evenly over its window.
void f32_avgpool2d_backward__scalar(const PoolShape& s, const float* dy, float* dx) {
  const int oh = s.oh(), ow = s.ow();
  const float scale = 1.f / float(s.size * s.size);
  const size_t dx_size = size_t(s.n) * s.c * s.h * s.w;
  for (size_t i = 0; i < dx_size; ++i) dx[i] = 0.f;
  for (int p = 0; p < s.n * s.c; ++p) {
    float* plane = dx + size_t(p) * s.h * s.w;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        const float g = dy[(size_t(p) * oh + oy) * ow + ox] * scale;
        for (int wy = 0; wy < s.size; ++wy)
          for (int wx = 0; wx < s.size; ++wx)
            plane[(oy * s.stride + wy) * s.w + ox * s.stride + wx] += g;
      }
  }
}

}  // namespace cnn::kernels
