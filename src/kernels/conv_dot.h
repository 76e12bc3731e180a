// Weight gradient of a stride-1 convolution as dot products, generic over a
// table's vector vocabulary (Vec, see vec.h); included only by the per-ISA
// table files.
//
// dw(k, c, ky, kx) = sum_n sum_(oy,ox) dy(n, k, oy, ox) * xp(n, c, oy + ky, ox + kx)
// On "wide" rows of Wp columns (as in the forward pass, conv_gemm.h) the tap
// (c, ky, kx) reads the padded plane shifted by ky*Wp + kx, so every weight is
// one long dot product of a dy row with a shifted x plane: both contiguous,
// nothing to pack or transpose. dy is copied once into wide rows whose
// garbage columns are zero, so the extra positions add nothing; for small
// images (mostly border) into its output rows padded with zeros to the
// vector width instead, each dot product then running row by row.
//
// Few channels (C*kh*kw or K below the GEMM tile) make the GEMM path spend its
// time packing; here a block of R output channels x T taps keeps R*T vector
// accumulators in registers and loads R + T vectors per R*T multiply-adds.
// Caveat: garbage columns multiply zeros by real inputs, so an inf in x there
// turns a weight gradient into NaN (the reference would skip it).
#pragma once
#include <cstring>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"
#include "kernels/threads.h"

namespace cnn::kernels {

template <class Vec, int R, int T>
struct ConvDot {
  static constexpr int L = Vec::lanes;
  using V = typename Vec::V;
  static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

  // Wide-row geometry of a stride-1 convolution. dy is laid out either as
  // one wide row per sample (segs 1, seg = the wide positions rounded up to
  // L) or, when that wastes more, as its output rows, each padded with zeros
  // to a multiple of L (segs oh, seg = ow rounded up; x then advances wp per
  // row): the padded planes of small images are mostly border.
  struct Wide {
    int hp, wp, len;  // padded plane, dy floats per sample (segs * seg)
    int segs, seg, x_step;
  };
  static Wide wide(const ConvShape& s) {
    const int hp = s.h + 2 * s.pad, wp = s.w + 2 * s.pad;
    const int positions = int(round_up((s.oh() - 1) * wp + s.ow(), L));
    const int row = int(round_up(s.ow(), L));
    if (s.oh() > 1 && s.oh() * row < positions) return {hp, wp, s.oh() * row, s.oh(), row, wp};
    return {hp, wp, positions, 1, positions, 0};
  }
  // Scratch: padded x (N, C, Hp*Wp) plus a zero tail of L, wide dy (N, K, len).
  static size_t x_floats(const ConvShape& s) {
    const Wide g = wide(s);
    return round_up(size_t(s.n) * s.c * g.hp * g.wp + L, 16);
  }
  static size_t scratch_floats(const ConvShape& s) {
    return x_floats(s) + size_t(s.n) * s.k * wide(s).len;
  }

  // One block: out[r][t] = sum over all samples of dot(dy row r, x row t).
  // Rows past the block's real ones point at real rows; their sums are dropped.
  static void block(int n, size_t dy_step, size_t x_step, const Wide& g, const float* const* dy,
                    const float* const* x, float (*out)[T]) {
    V acc[R][T];
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < T; ++t) acc[r][t] = Vec::zero();
    for (int i = 0; i < n; ++i) {
      const float* d[R];
      const float* xs[T];
      for (int r = 0; r < R; ++r) d[r] = dy[r] + i * dy_step;
      for (int t = 0; t < T; ++t) xs[t] = x[t] + i * x_step;
      for (int seg = 0; seg < g.segs; ++seg) {
        for (int j = 0; j < g.seg; j += L) {
          V dv[R];
          for (int r = 0; r < R; ++r) dv[r] = Vec::load(d[r] + j);
          for (int t = 0; t < T; ++t) {
            const V xv = Vec::load(xs[t] + j);
            for (int r = 0; r < R; ++r) acc[r][t] = Vec::madd(dv[r], xv, acc[r][t]);
          }
        }
        for (int r = 0; r < R; ++r) d[r] += g.seg;
        for (int t = 0; t < T; ++t) xs[t] += g.x_step;
      }
    }
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < T; ++t) out[r][t] = Vec::sum(acc[r][t]);
  }

  // x (N,C,H,W), dy (N,K,OH,OW) -> dw (K,C,KH,KW) +=; stride 1 only.
  // scratch holds scratch_floats(s). Work is split over blocks of outputs, so
  // each weight sums the same terms in the same order at any thread count.
  static void backward_weights(const ConvShape& s, const float* x, const float* dy, float* dw,
                               float* scratch) {
    const Wide g = wide(s);
    const int oh = s.oh(), ow = s.ow(), plane = g.hp * g.wp, kk = s.kh * s.kw;
    const int taps = s.c * kk;
    float* xp = scratch;
    float* dyw = scratch + x_floats(s);
    const size_t x_step = size_t(s.c) * plane, dy_step = size_t(s.k) * g.len;

    // Pad x and widen dy, sample by sample.
    const double flops = 2.0 * s.n * s.k * taps * oh * ow;
    const int prep_parts = flops < 2e6 ? 1 : threads();
    parallel_for(prep_parts, [&](int part) {
      for (int i = s.n * part / prep_parts; i < s.n * (part + 1) / prep_parts; ++i) {
        for (int c = 0; c < s.c; ++c) {
          const float* src = x + (size_t(i) * s.c + c) * s.h * s.w;
          float* dst = xp + i * x_step + size_t(c) * plane;
          std::memset(dst, 0, sizeof(float) * plane);
          for (int iy = 0; iy < s.h; ++iy)
            Elementwise<Vec>::copy(dst + size_t(s.pad + iy) * g.wp + s.pad, src + size_t(iy) * s.w,
                                   s.w);
        }
        for (int k = 0; k < s.k; ++k) {
          const float* src = dy + (size_t(i) * s.k + k) * oh * ow;
          float* dst = dyw + i * dy_step + size_t(k) * g.len;
          std::memset(dst, 0, sizeof(float) * g.len);
          for (int oy = 0; oy < oh; ++oy)
            Elementwise<Vec>::copy(dst + size_t(oy) * (g.segs > 1 ? g.seg : g.wp),
                                   src + size_t(oy) * ow, ow);
        }
      }
    });
    std::memset(xp + s.n * x_step, 0, sizeof(float) * (x_floats(s) - s.n * x_step));

    const int row_blocks = (s.k + R - 1) / R, tap_blocks = (taps + T - 1) / T;
    const int units = row_blocks * tap_blocks;
    const int parts = flops < 2e6 ? 1 : (threads() < units ? threads() : units);
    parallel_for(parts, [&](int part) {
      for (int u = units * part / parts; u < units * (part + 1) / parts; ++u) {
        const int k0 = u / tap_blocks * R, t0 = u % tap_blocks * T;
        const float* d[R];
        const float* xs[T];
        for (int r = 0; r < R; ++r) d[r] = dyw + size_t(k0 + r < s.k ? k0 + r : k0) * g.len;
        for (int t = 0; t < T; ++t) {
          const int tap = t0 + t < taps ? t0 + t : t0, c = tap / kk;
          const int ky = tap % kk / s.kw, kx = tap % s.kw;
          xs[t] = xp + size_t(c) * plane + size_t(ky) * g.wp + kx;
        }
        float out[R][T];
        block(s.n, dy_step, x_step, g, d, xs, out);
        for (int r = 0; r < R && k0 + r < s.k; ++r)
          for (int t = 0; t < T && t0 + t < taps; ++t)
            dw[size_t(k0 + r) * taps + t0 + t] += out[r][t];
      }
    });
  }
};

}  // namespace cnn::kernels
