// The backward passes of ConvGemm (conv_gemm.h): the input gradient (the
// forward path on flipped weights, or GEMM + col2im) and the weight gradient
// (dot products on wide rows, or GEMM on channels-last im2col). Included only
// by the per-ISA table files, through simd_table.h.
#pragma once
#include <cstring>

#include "kernels/conv_dot.h"
#include "kernels/conv_gemm.h"
#include "kernels/gemm_driver.h"
#include "kernels/threads.h"

namespace cnn::kernels {

// ---- backward input ----------------------------------------------------

// dy (N,K,OH,OW), w (K,C,KH,KW) -> dx (N,C,H,W)
template <class Micro>
inline void ConvGemm<Micro>::backward_input(const ConvShape& s, const float* dy, const float* w,
                                            float* dx, Workspace& ws) {
  const Geo g = geo(s);
  const double flops = 2.0 * g.n * g.k * g.taps() * g.oh() * g.ow();
  if (g.stride == 1 && s.pad <= s.kh - 1 && s.pad <= s.kw - 1) {
    // dx = conv(dy, w') with w'(c, k, ky, kx) = w(k, c, kh-1-ky, kw-1-kx).
    const Geo t = {g.n,  g.k,  g.oh(), g.ow(),           g.c,
                   g.kh, g.kw, 1,      g.kh - 1 - s.pad, g.kw - 1 - s.pad};
    const int parts = forward_parts(t, forward_columns(t));
    if (winograd(t)) {  // reads w flipped and transposed itself
      Carver scratch = carve(ws, forward_floats(t, parts));
      Winograd::forward(winograd_shape(t), dy, w, true, nullptr, dx, scratch.take(0), parts);
      return;
    }
    const size_t w_floats = size_t(g.k) * g.taps();
    Carver scratch = carve(ws, round16(w_floats) + forward_floats(t, parts));
    float* flipped = scratch.take(w_floats);
    const int kk = g.kh * g.kw;
    for (int k = 0; k < g.k; ++k)
      for (int c = 0; c < g.c; ++c)
        for (int i = 0; i < kk; ++i)
          flipped[(size_t(c) * g.k + k) * kk + i] = w[(size_t(k) * g.c + c) * kk + kk - 1 - i];
    forward(t, dy, flipped, nullptr, dx, scratch, parts);
    return;
  }
  backward_input_col2im(g, dy, w, dx, ws, flops);
}

// dcol (taps x positions) = W^T dy by GEMM, in column blocks, each scattered
// back (col2im) right away. Workers own whole channels of dx, so no two
// write the same element, and the order of additions is fixed.
template <class Micro>
inline void ConvGemm<Micro>::backward_input_col2im(const Geo& g, const float* dy, const float* w,
                                                   float* dx, Workspace& ws, double flops) {
  const int kk = g.kh * g.kw, taps = g.taps(), oh = g.oh(), ow = g.ow(), P = oh * ow;
  const int parts = flops < 2e6 ? 1 : max(1, min(threads(), g.c));
  const int block = min(P, NC);  // column block; independent of the split
  const size_t per_part =
      round16(G::kABufferFloats) + round16(G::kBBufferFloats) + round16(size_t(taps) * block);
  Carver scratch = carve(ws, parts * per_part);
  float* bufs = scratch.take(0);
  parallel_for(parts, [&](int part) {
    float* a_buf = bufs + part * per_part;
    float* b_buf = a_buf + round16(G::kABufferFloats);
    float* dcol = b_buf + round16(G::kBBufferFloats);
    const int c_begin = g.c * part / parts, c_end = g.c * (part + 1) / parts;
    const int r0 = c_begin * kk, rows = (c_end - c_begin) * kk;
    for (int n = 0; n < g.n; ++n) {
      const float* dy_n = dy + size_t(n) * g.k * P;
      float* dx_n = dx + size_t(n) * g.c * g.h * g.w;
      std::memset(dx_n + size_t(c_begin) * g.h * g.w, 0,
                  sizeof(float) * (c_end - c_begin) * g.h * g.w);
      for (int j0 = 0; j0 < P; j0 += block) {
        const int nb = min(block, P - j0);
        auto pack_a = [&](int i0, int mc, int p0, int kc, float* buf) {
          G::pack_a(true, w, taps, r0 + i0, mc, p0, kc, buf);
          return buf;
        };
        auto pack_b = [&](int p0, int kc, int pj0, int nc, float* buf) {
          G::pack_b(false, dy_n, P, p0, kc, j0 + pj0, nc, buf);
          return buf;
        };
        G::run(rows, nb, g.k, pack_a, pack_b, dcol, nb, nullptr, false, a_buf, b_buf);
        for (int r = 0; r < rows; ++r) {
          const int tap = r0 + r, c = tap / kk, ky = tap % kk / g.kw, kx = tap % g.kw;
          float* plane = dx_n + size_t(c) * g.h * g.w;
          const float* src = dcol + size_t(r) * nb;
          for (int j = j0; j < j0 + nb; ++j) {
            const int oy = j / ow, ox = j % ow;
            const int iy = oy * g.stride - g.pad_y + ky, ix = ox * g.stride - g.pad_x + kx;
            if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) plane[iy * g.w + ix] += src[j - j0];
          }
        }
      }
    }
  });
}

// ---- backward weights --------------------------------------------------

// src (rows x cols) -> dst (cols x rows), in tiles that stay in L1.
template <class Micro>
inline void ConvGemm<Micro>::transpose(const float* src, int rows, int cols, float* dst) {
  constexpr int T = 16;
  for (int r0 = 0; r0 < rows; r0 += T)
    for (int c0 = 0; c0 < cols; c0 += T) {
      const int r1 = min(rows, r0 + T), c1 = min(cols, c0 + T);
      for (int c = c0; c < c1; ++c)
        for (int r = r0; r < r1; ++r) dst[size_t(c) * rows + r] = src[size_t(r) * cols + c];
    }
}

// x (N,C,H,W), dy (N,K,OH,OW) -> dw (K,C,KH,KW) +=, db (K) +=
template <class Micro>
inline void ConvGemm<Micro>::backward_weights(const ConvShape& s, const float* x, const float* dy,
                                              float* dw, float* db, Workspace& ws) {
  const Geo g = geo(s);
  if (use_dot(s)) {
    using Dot = ConvDot<typename Micro::Vec, Micro::dot_rows, Micro::dot_taps>;
    Dot::backward_weights(s, x, dy, dw, carve(ws, Dot::scratch_floats(s)).take(0));
    if (db) bias_grad(g, dy, db);
    return;
  }
  const int kk = g.kh * g.kw, taps = g.taps(), oh = g.oh(), ow = g.ow(), P = oh * ow;
  const int hp = g.h + 2 * g.pad_y, wp = g.w + 2 * g.pad_x;
  const double flops = 2.0 * g.n * g.k * taps * P;
  const int parts = parts_for(flops, taps);
  const size_t nhwc_floats = size_t(g.n) * hp * wp * g.c, dyt_floats = size_t(g.n) * P * g.k;
  const size_t per_part = round16(G::kABufferFloats) + round16(G::kBBufferFloats) + round16(NC);
  Carver scratch = carve(ws, round16(nhwc_floats) + round16(dyt_floats) +
                                 round16(size_t(g.k) * taps) + parts * per_part);
  float* nhwc = scratch.take(nhwc_floats);
  float* dyt = scratch.take(dyt_floats);           // dy transposed: (N, P, K)
  float* dw_t = scratch.take(size_t(g.k) * taps);  // (K, KH, KW, C)
  float* bufs = scratch.take(0);

  // x -> zero-padded, channels-last (N, Hp, Wp, C); dy -> (N, P, K). Both are
  // transposed once here so that packing below is plain copies.
  parallel_for(parts, [&](int part) {
    for (int n = g.n * part / parts; n < g.n * (part + 1) / parts; ++n)
      transpose(dy + size_t(n) * g.k * P, g.k, P, dyt + size_t(n) * P * g.k);
    for (int row = g.n * hp * part / parts; row < g.n * hp * (part + 1) / parts; ++row) {
      const int n = row / hp, iy = row % hp - g.pad_y;
      float* dst = nhwc + size_t(row) * wp * g.c;
      if (iy < 0 || iy >= g.h) {
        std::memset(dst, 0, sizeof(float) * wp * g.c);
        continue;
      }
      std::memset(dst, 0, sizeof(float) * g.pad_x * g.c);
      std::memset(dst + size_t(g.pad_x + g.w) * g.c, 0, sizeof(float) * g.pad_x * g.c);
      for (int c = 0; c < g.c; ++c) {
        const float* src = x + ((size_t(n) * g.c + c) * g.h + iy) * g.w;
        float* d = dst + size_t(g.pad_x) * g.c + c;
        for (int ix = 0; ix < g.w; ++ix) d[size_t(ix) * g.c] = src[ix];
      }
    }
  });

  // dw_t (K x taps') = sum_n dy_n (K x P) * cols_n^T, taps' ordered (ky, kx, c)
  parallel_for(parts, [&](int part) {
    float* a_buf = bufs + part * per_part;
    float* b_buf = a_buf + round16(G::kABufferFloats);
    float* line = b_buf + round16(G::kBBufferFloats);
    const int col0 = split(taps, part, parts, NR), col1 = split(taps, part + 1, parts, NR);
    for (int n = 0; n < g.n; ++n) {
      const float* dyt_n = dyt + size_t(n) * P * g.k;
      const float* x_n = nhwc + size_t(n) * hp * wp * g.c;
      auto pack_a = [&](int i0, int mc, int p0, int kc, float* buf) {
        G::pack_a(true, dyt_n, g.k, i0, mc, p0, kc, buf);
        return buf;
      };
      auto pack_b = [&](int p0, int kc, int j0, int nc, float* buf) {
        if (g.c % NR == 0 && (col0 + j0) % NR == 0) {
          // Every panel holds NR channels of a single tap: one copy per row.
          for (int q = 0; q < nc; q += NR) {
            const int col = col0 + j0 + q, tap = col / g.c, c = col % g.c;
            const size_t tap_offset = (size_t(tap / g.kw) * wp + tap % g.kw) * g.c + c;
            float* d = buf + size_t(q) * kc;
            const int cols = min(NR, nc - q);
            for (int p = 0; p < kc; ++p, d += NR) {
              const int pos = p0 + p, oy = pos / ow, ox = pos % ow;
              const float* src =
                  x_n + (size_t(oy) * g.stride * wp + size_t(ox) * g.stride) * g.c + tap_offset;
              if (cols == NR) {
                std::memcpy(d, src, sizeof(float) * NR);
              } else {
                for (int j = 0; j < NR; ++j) d[j] = j < cols ? src[j] : 0.f;
              }
            }
          }
          return buf;
        }
        for (int p = 0; p < kc; ++p) {
          const int pos = p0 + p, oy = pos / ow, ox = pos % ow;
          const float* pixel = x_n + (size_t(oy) * g.stride * wp + size_t(ox) * g.stride) * g.c;
          // columns col0+j0 .. +nc: runs of channels of one tap each
          for (int j = 0; j < nc;) {
            const int col = col0 + j0 + j, tap = col / g.c, c = col % g.c;
            const int run = min(nc - j, g.c - c);
            const float* src = pixel + (size_t(tap / g.kw) * wp + tap % g.kw) * g.c + c;
            std::memcpy(line + j, src, sizeof(float) * run);
            j += run;
          }
          G::pack_b_row(line, p, kc, nc, buf);
        }
        return buf;
      };
      if (n == 0)
        for (int k = 0; k < g.k; ++k)
          for (int j = col0; j < col1; ++j) dw_t[size_t(k) * taps + j] = 0.f;
      G::run(g.k, col1 - col0, P, pack_a, pack_b, dw_t + col0, taps, nullptr, true, a_buf, b_buf);
    }
  });

  for (int k = 0; k < g.k; ++k)
    for (int c = 0; c < g.c; ++c)
      for (int t = 0; t < kk; ++t)
        dw[(size_t(k) * g.c + c) * kk + t] += dw_t[size_t(k) * taps + size_t(t) * g.c + c];
  if (db) bias_grad(g, dy, db);
}

// Stride 1 with few channels goes to dot products (conv_dot.h): the GEMM
// path would spend its time packing panels for a tile it barely fills.
// (Measured: at 64 -> 64 channels both paths run alike natively, and under
// wasm the GEMM path is faster.)
template <class Micro>
inline bool ConvGemm<Micro>::use_dot(const ConvShape& s) {
  return s.stride == 1 && (s.c * s.kh * s.kw <= 512 || s.k <= 2 * MR);
}

// db (K) += sum of dy over samples and positions.
template <class Micro>
inline void ConvGemm<Micro>::bias_grad(const Geo& g, const float* dy, float* db) {
  const int P = g.oh() * g.ow();
  for (int k = 0; k < g.k; ++k) {
    // 16 running sums in a fixed pattern: vectorizable, and the same
    // order at any thread count.
    float lanes[16] = {}, sum = 0.f;
    for (int n = 0; n < g.n; ++n) {
      const float* row = dy + (size_t(n) * g.k + k) * P;
      int i = 0;
      for (; i + 16 <= P; i += 16)
        for (int l = 0; l < 16; ++l) lanes[l] += row[i + l];
      for (; i < P; ++i) sum += row[i];
    }
    for (int l = 0; l < 16; ++l) sum += lanes[l];
    db[k] += sum;
  }
}

}  // namespace cnn::kernels
