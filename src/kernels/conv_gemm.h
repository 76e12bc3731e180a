// Convolution as GEMM, generic over the micro-kernel (see gemm_driver.h);
// included only by the per-ISA table files.
//
// Forward, stride 1: on the zero-padded input (Hp x Wp per plane), the
//   im2col row of tap (c, ky, kx) is the plane itself shifted by ky*Wp + kx,
//   provided the output is computed on "wide" rows of Wp columns (the last
//   Wp - OW of each are garbage and dropped). Packing B is then a plain copy
//   and no im2col matrix is ever built. With few output channels or taps the
//   tiles skip packing and read the planes in place (conv_direct.h).
// Forward, 3x3 and 5x5 stride 1 with enough channels: Winograd F(2x2, 3x3),
//   F(4x4, 3x3) or F(2x2, 5x5) (conv_winograd.h), 2.25x, 4x or 2.8x fewer
//   multiplications in the same micro-kernel.
// Forward, other strides: im2col rows are gathered into the packed panels.
// Backward input, stride 1: dx is the forward convolution of dy with the
//   weights flipped and transposed (pad kh-1-pad), so it runs the fast path
//   (Winograd reads the weights flipped in place).
// Backward input, other strides: dcol = W^T dy by GEMM, then col2im.
// Backward weights, stride 1 and up to 512 taps (or few outputs): one dot
//   product per weight over wide rows (conv_dot.h), nothing packed.
// Backward weights, otherwise: dW = dy * im2col(x)^T, contracted over positions. Taps
//   are reordered to (ky, kx, c) and x transposed to channels-last, so the
//   packed panels of im2col(x)^T are again plain copies; dW is permuted back
//   at the end.
#pragma once
#include <cstring>

#include "kernels/conv_direct.h"
#include "kernels/conv_dot.h"
#include "kernels/conv_winograd.h"
#include "kernels/elementwise.h"
#include "kernels/gemm_driver.h"
#include "kernels/kernels.h"
#include "kernels/threads.h"

namespace cnn::kernels {

template <class Micro>
struct ConvGemm {
  using G = Gemm<Micro>;
  static constexpr int MR = Micro::mr, NR = Micro::nr, NC = Micro::nc;
  using Copy = Elementwise<typename Micro::Vec>;

  // ConvShape with separate vertical and horizontal padding (the flipped
  // convolution of backward-input needs kh-1-pad and kw-1-pad).
  struct Geo {
    int n, c, h, w, k, kh, kw, stride, pad_y, pad_x;
    int oh() const { return (h + 2 * pad_y - kh) / stride + 1; }
    int ow() const { return (w + 2 * pad_x - kw) / stride + 1; }
    int taps() const { return c * kh * kw; }
  };
  static Geo geo(const ConvShape& s) {
    return {s.n, s.c, s.h, s.w, s.k, s.kh, s.kw, s.stride, s.pad, s.pad};
  }

  static int min(int a, int b) { return a < b ? a : b; }
  static int max(int a, int b) { return a > b ? a : b; }
  static size_t round16(size_t v) { return (v + 15) / 16 * 16; }

  // Hands out 64-byte aligned pieces of one workspace allocation.
  struct Carver {
    float* next;
    float* take(size_t floats) {
      float* p = next;
      next += round16(floats);
      return p;
    }
  };
  static Carver carve(Workspace& ws, size_t floats) {
    float* base = ws.floats(floats + 16);
    const size_t misalign = (reinterpret_cast<uintptr_t>(base) / sizeof(float)) % 16;
    return {base + (misalign ? 16 - misalign : 0)};
  }

  // Parts of [0, total) for `parts` workers, boundaries on multiples of align.
  static int split(int total, int part, int parts, int align) {
    const long long edge = (long long)total * part / parts;
    return min(total, int((edge + align - 1) / align * align));
  }
  static int parts_for(double flops, int columns) {
    if (flops < 2e6) return 1;
    return max(1, min(threads(), columns / (2 * NR)));
  }

  // A forward worker's share: samples [n0, n1) x columns [col0, col1). Wide
  // enough planes are split by columns; small planes (late layers) by samples.
  struct Share {
    int n0, n1, col0, col1;
  };
  using Winograd = ConvWinograd<Micro>;
  static typename Winograd::Shape winograd_shape(const Geo& g) {
    return {g.n, g.c, g.h, g.w, g.k, g.pad_y, g.pad_x, g.kh};
  }
  static bool winograd(const Geo& g) {
    return Winograd::applies(winograd_shape(g), g.kh, g.kw, g.stride);
  }
  static int forward_parts(const Geo& g, int columns) {
    if (winograd(g)) return Winograd::parts(winograd_shape(g));
    const double flops = 2.0 * g.n * g.k * g.taps() * g.oh() * g.ow();
    if (flops < 2e6) return 1;
    const int by_columns = parts_for(flops, columns);
    return by_columns == threads() ? by_columns : max(by_columns, min(threads(), g.n));
  }
  static Share share(const Geo& g, int columns, int part, int parts) {
    if (parts == 1 || columns >= 2 * NR * parts)
      return {0, g.n, split(columns, part, parts, NR), split(columns, part + 1, parts, NR)};
    return {g.n * part / parts, g.n * (part + 1) / parts, 0, columns};
  }

  // ---- forward -----------------------------------------------------------

  // Tap row r = (c, ky, kx) of im2col(x_n) at output positions [j0, j0+count).
  static void im2col_row(const Geo& g, const float* x_n, int r, int j0, int count, float* line) {
    const int kk = g.kh * g.kw, c = r / kk, ky = r % kk / g.kw, kx = r % g.kw, ow = g.ow();
    const float* plane = x_n + size_t(c) * g.h * g.w;
    int oy = j0 / ow, ox = j0 % ow;
    for (int done = 0; done < count; ++oy, ox = 0) {
      const int run = min(ow - ox, count - done);
      float* out = line + done;
      done += run;
      const int iy = oy * g.stride - g.pad_y + ky;
      if (iy < 0 || iy >= g.h) {
        for (int t = 0; t < run; ++t) out[t] = 0.f;
        continue;
      }
      // out[t] = row[ix0 + t*stride] while 0 <= ix0 + t*stride < w
      const float* row = plane + size_t(iy) * g.w;
      const int ix0 = ox * g.stride - g.pad_x + kx;
      const int lo = min(run, ix0 >= 0 ? 0 : (-ix0 + g.stride - 1) / g.stride);
      const int hi = max(lo, min(run, ix0 >= g.w ? 0 : (g.w - ix0 + g.stride - 1) / g.stride));
      for (int t = 0; t < lo; ++t) out[t] = 0.f;
      for (int t = lo; t < hi; ++t) out[t] = row[ix0 + t * g.stride];
      for (int t = hi; t < run; ++t) out[t] = 0.f;
    }
  }

  // Scratch of one forward worker: packed B block, wide output chunk, and
  // (stride 1) one padded sample with NR floats of slack, or (other strides) a line.
  static size_t forward_part_floats(const Geo& g) {
    const size_t hp = g.h + 2 * g.pad_y, wp = g.w + 2 * g.pad_x;
    return round16(G::kBBufferFloats) + round16(size_t(g.k) * NC) +
           round16(g.stride == 1 ? size_t(g.c) * hp * wp + NR : size_t(NC));
  }
  // Stride 1 reads B in place (ConvDirect) when a packed panel would serve
  // one or two row panels only, or a panel of all taps is small (the table's
  // direct_floats, measured: 64 -> 64 channels 3x3 runs faster packed).
  static bool forward_direct(const Geo& g) {
    return g.stride == 1 && (g.k <= 2 * MR || size_t(g.taps()) * NR <= Micro::direct_floats);
  }
  // Output columns the forward GEMM computes per sample (wide rows for stride 1).
  static int forward_columns(const Geo& g) {
    if (g.stride != 1) return g.oh() * g.ow();
    return (g.oh() - 1) * (g.w + 2 * g.pad_x) + g.ow();
  }
  static size_t forward_floats(const Geo& g, int parts) {
    if (winograd(g)) return Winograd::floats(winograd_shape(g), parts);
    return round16(G::packed_a_floats(g.k, g.taps())) + parts * forward_part_floats(g);
  }

  // x (N,C,H,W) * w (K,C,KH,KW) + b (K) -> y (N,K,OH,OW)
  static void forward(const Geo& g, const float* x, const float* w, const float* bias, float* y,
                      Carver scratch, int parts) {
    const int taps = g.taps(), oh = g.oh(), ow = g.ow(), P = oh * ow;
    if (winograd(g))
      return Winograd::forward(winograd_shape(g), x, w, false, bias, y, scratch.take(0), parts);
    if (forward_direct(g)) return forward_direct(g, x, w, bias, y, scratch, parts);
    float* packed_w = scratch.take(G::packed_a_floats(g.k, taps));
    G::pack_a_all(false, w, taps, g.k, taps, packed_w);
    auto pack_a = [&](int i0, int, int p0, int kc, float*) {
      return G::prepacked(packed_w, g.k, i0, p0, kc);
    };

    float* bufs = scratch.take(0);
    const size_t per_part = forward_part_floats(g);
    if (g.stride != 1) {  // gather im2col rows; columns are output positions
      parallel_for(parts, [&](int part) {
        float* b_buf = bufs + part * per_part;
        float* line = b_buf + round16(G::kBBufferFloats) + round16(size_t(g.k) * NC);
        // (no structured binding: clang 14 cannot capture one in a lambda)
        const Share sh = share(g, P, part, parts);
        const int col0 = sh.col0, col1 = sh.col1;
        for (int n = sh.n0; n < sh.n1; ++n) {
          const float* x_n = x + size_t(n) * g.c * g.h * g.w;
          auto pack_b = [&](int p0, int kc, int j0, int nc, float* buf) {
            for (int p = 0; p < kc; ++p) {
              im2col_row(g, x_n, p0 + p, col0 + j0, nc, line);
              G::pack_b_row(line, p, kc, nc, buf);
            }
            return buf;
          };
          G::run(g.k, col1 - col0, taps, pack_a, pack_b, y + size_t(n) * g.k * P + col0, P, bias,
                 false, nullptr, b_buf);
        }
      });
      return;
    }

    // Stride 1: wide rows over the zero-padded input. Each worker pads the
    // sample it is on into its own buffer, which then stays in its L2.
    const int hp = g.h + 2 * g.pad_y, wp = g.w + 2 * g.pad_x;
    const int wide = (oh - 1) * wp + ow;  // last needed wide column + 1
    const bool padded = g.pad_y || g.pad_x;
    const bool direct = wp == ow;  // no garbage columns: write y in place
    parallel_for(parts, [&](int part) {
      float* b_buf = bufs + part * per_part;
      float* wide_y = b_buf + round16(G::kBBufferFloats);
      float* xp_buf = wide_y + round16(size_t(g.k) * NC);
      // (no structured binding: clang 14 cannot capture one in a lambda)
      const Share sh = share(g, wide, part, parts);
      const int col0 = sh.col0, col1 = sh.col1;
      for (int n = sh.n0; n < sh.n1; ++n) {
        const float* x_n = x + size_t(n) * g.c * g.h * g.w;
        if (padded) pad_sample(g, x_n, xp_buf);
        const float* xp_n = padded ? xp_buf : x_n;
        float* y_n = y + size_t(n) * g.k * P;
        for (int c0 = col0; c0 < col1; c0 += NC) {  // chunks of wide columns
          const int cols = min(NC, col1 - c0);
          auto pack_b = [&](int p0, int kc, int j0, int nc, float* buf) {
            const int kk = g.kh * g.kw;
            for (int p = 0; p < kc; ++p) {
              const int r = p0 + p, c = r / kk, ky = r % kk / g.kw, kx = r % g.kw;
              G::pack_b_row(xp_n + size_t(c) * hp * wp + ky * wp + kx + c0 + j0, p, kc, nc, buf);
            }
            return buf;
          };
          if (direct) {
            G::run(g.k, cols, taps, pack_a, pack_b, y_n + c0, P, bias, false, nullptr, b_buf);
            continue;
          }
          G::run(g.k, cols, taps, pack_a, pack_b, wide_y, cols, bias, false, nullptr, b_buf);
          // Keep the first ow of every wp wide columns.
          for (int oy = c0 / wp; oy * wp < c0 + cols; ++oy) {
            const int from = max(c0, oy * wp), to = min(c0 + cols, oy * wp + ow);
            if (from >= to) continue;
            for (int k = 0; k < g.k; ++k)
              std::memcpy(y_n + size_t(k) * P + oy * ow + (from - oy * wp),
                          wide_y + size_t(k) * cols + (from - c0), sizeof(float) * (to - from));
          }
        }
      }
    });
  }

  // In-place tiles of ROWS output channels; the packed A panels stay MR tall.
  template <int ROWS>
  using Direct = ConvDirect<typename Micro::Vec, ROWS, NR / Micro::Vec::lanes, MR>;
  // The shortest tile that covers `rows` (e.g. the one-channel dx of a first
  // layer runs 1-row tiles, not MR-row tiles with MR - 1 rows of zeros).
  static void direct_tile(int rows, const DirectTaps& t, const float* a, const float* x,
                          float* tile, TileInit init, const float* bias) {
    if (rows == 1) return Direct<1>::tile(t, a, x, tile, NR, init, bias);
    if (rows == 2 && MR > 2) return Direct<2>::tile(t, a, x, tile, NR, init, bias);
    if (rows <= 4 && MR > 4) return Direct<4>::tile(t, a, x, tile, NR, init, bias);
    Direct<MR>::tile(t, a, x, tile, NR, init, bias);
  }

  // Stride 1, B read in place: per sample, pad into the part's buffer, then
  // one ConvDirect tile per NR columns and MR-row panel of the weights.
  // Columns are laid out either by output row (tiles start at ox = 0, NR,
  // ... of each row: no garbage columns, full tiles store straight into y)
  // or along the wide rows (tiles run across row ends; the valid columns are
  // copied out); whichever takes fewer tiles (by_rows).
  static bool by_rows(const Geo& g) {
    const int oh = g.oh(), ow = g.ow(), wp = g.w + 2 * g.pad_x;
    const long long row_tiles = (long long)oh * ((ow + NR - 1) / NR);
    return row_tiles <= ((oh - 1) * wp + ow + NR - 1) / NR;
  }
  static void forward_direct(const Geo& g, const float* x, const float* w, const float* bias,
                             float* y, Carver scratch, int parts) {
    using D = Direct<MR>;
    static_assert(D::NR == NR);
    const int taps = g.taps(), oh = g.oh(), ow = g.ow(), P = oh * ow;
    const int hp = g.h + 2 * g.pad_y, wp = g.w + 2 * g.pad_x;
    const int wide = (oh - 1) * wp + ow;
    const size_t plane = size_t(hp) * wp, sample = size_t(g.c) * plane;
    float* packed_w = scratch.take(G::packed_a_floats(g.k, taps));
    G::pack_a(false, w, taps, 0, g.k, 0, taps, packed_w);  // one depth block of all taps
    float* bufs = scratch.take(0);
    const size_t per_part = forward_part_floats(g);
    const DirectTaps t = {g.c, g.kh, g.kw, plane, wp};
    const TileInit init = bias ? TileInit::kBias : TileInit::kZero;
    // Tile of `rows` channels from i0 at wide column j of the padded sample
    // xp, `cols` of its columns copied to out (ldc P).
    auto edge_tile = [&](int i0, int rows, const float* xp_j, float* out, int cols) {
      alignas(64) float tile[MR * NR];
      float b[MR] = {};
      for (int i = 0; bias && i < rows; ++i) b[i] = bias[i0 + i];
      direct_tile(rows, t, packed_w + size_t(i0) * taps, xp_j, tile, init, b);
      for (int i = 0; cols > 0 && i < rows; ++i)
        Copy::copy(out + size_t(i) * P, tile + i * NR, cols);
    };
    const bool rows_layout = by_rows(g);
    parallel_for(parts, [&](int part) {
      float* xp = bufs + part * per_part + round16(G::kBBufferFloats) + round16(size_t(g.k) * NC);
      // Tiles read up to NR - 1 floats past the sample (garbage columns).
      std::memset(xp + sample, 0, sizeof(float) * NR);
      if (rows_layout) {  // units are output rows (n, oy), split evenly
        const int units = g.n * oh, u0 = int((long long)units * part / parts);
        const int u1 = int((long long)units * (part + 1) / parts);
        for (int u = u0, padded_n = -1; u < u1; ++u) {
          const int n = u / oh, oy = u % oh;
          if (n != padded_n) {
            pad_sample(g, x + size_t(n) * g.c * g.h * g.w, xp);
            padded_n = n;
          }
          float* y_row = y + size_t(n) * g.k * P + size_t(oy) * ow;
          const float* x_row = xp + size_t(oy) * wp;
          for (int ox = 0; ox < ow; ox += NR) {
            const int cols = min(NR, ow - ox);
            for (int i0 = 0; i0 < g.k; i0 += MR) {
              const int rows = min(MR, g.k - i0);
              if (rows == MR && cols == NR)
                D::tile(t, packed_w + size_t(i0) * taps, x_row + ox, y_row + size_t(i0) * P + ox, P,
                        init, bias ? bias + i0 : nullptr);
              else
                edge_tile(i0, rows, x_row + ox, y_row + size_t(i0) * P + ox, cols);
            }
          }
        }
        return;
      }
      const Share sh = share(g, wide, part, parts);
      for (int n = sh.n0; n < sh.n1; ++n) {
        pad_sample(g, x + size_t(n) * g.c * g.h * g.w, xp);
        float* y_n = y + size_t(n) * g.k * P;
        for (int j0 = sh.col0; j0 < sh.col1; j0 += NR) {
          for (int i0 = 0; i0 < g.k; i0 += MR) {
            const int rows = min(MR, g.k - i0), end = min(sh.col1, j0 + NR);
            alignas(64) float tile[MR * NR];
            float b[MR] = {};
            for (int i = 0; bias && i < rows; ++i) b[i] = bias[i0 + i];
            direct_tile(rows, t, packed_w + size_t(i0) * taps, xp + j0, tile, init, b);
            for (int j = j0; j < end;) {  // runs of valid columns, one output row each
              const int oy = j / wp, ox = j % wp;
              const int run = min(end - j, wp - ox);
              const int valid = min(run, ow - ox);
              for (int i = 0; valid > 0 && i < rows; ++i)
                Copy::copy(y_n + size_t(i0 + i) * P + oy * ow + ox, tile + i * NR + (j - j0),
                           valid);
              j += run;
            }
          }
        }
      }
    });
  }

  // x_n (C,H,W) -> padded (C,Hp,Wp) with zero borders.
  static void pad_sample(const Geo& g, const float* x_n, float* padded) {
    const int hp = g.h + 2 * g.pad_y, wp = g.w + 2 * g.pad_x;
    for (int c = 0; c < g.c; ++c) {
      const float* src = x_n + size_t(c) * g.h * g.w;
      float* dst = padded + size_t(c) * hp * wp;
      if (g.pad_y || g.pad_x) std::memset(dst, 0, sizeof(float) * hp * wp);  // one large memset
      for (int iy = 0; iy < g.h; ++iy)
        Copy::copy(dst + size_t(g.pad_y + iy) * wp + g.pad_x, src + size_t(iy) * g.w, g.w);
    }
  }

  static void forward(const ConvShape& s, const float* x, const float* w, const float* bias,
                      float* y, Workspace& ws) {
    const Geo g = geo(s);
    const int parts = forward_parts(g, forward_columns(g));
    forward(g, x, w, bias, y, carve(ws, forward_floats(g, parts)), parts);
  }

  // ---- backward input ----------------------------------------------------

  // dy (N,K,OH,OW), w (K,C,KH,KW) -> dx (N,C,H,W)
  static void backward_input(const ConvShape& s, const float* dy, const float* w, float* dx,
                             Workspace& ws) {
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
  static void backward_input_col2im(const Geo& g, const float* dy, const float* w, float* dx,
                                    Workspace& ws, double flops) {
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
  static void transpose(const float* src, int rows, int cols, float* dst) {
    constexpr int T = 16;
    for (int r0 = 0; r0 < rows; r0 += T)
      for (int c0 = 0; c0 < cols; c0 += T) {
        const int r1 = min(rows, r0 + T), c1 = min(cols, c0 + T);
        for (int c = c0; c < c1; ++c)
          for (int r = r0; r < r1; ++r) dst[size_t(c) * rows + r] = src[size_t(r) * cols + c];
      }
  }

  // x (N,C,H,W), dy (N,K,OH,OW) -> dw (K,C,KH,KW) +=, db (K) +=
  static void backward_weights(const ConvShape& s, const float* x, const float* dy, float* dw,
                               float* db, Workspace& ws) {
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
  static bool use_dot(const ConvShape& s) {
    return s.stride == 1 && (s.c * s.kh * s.kw <= 512 || s.k <= 2 * MR);
  }

  // db (K) += sum of dy over samples and positions.
  static void bias_grad(const Geo& g, const float* dy, float* db) {
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
};

// The public gemm of a table: plain matrices, scratch from the calling thread,
// split over column (or, when C is narrow, row) ranges across the threads.
template <class Micro>
void Gemm<Micro>::gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
                       const float* b, int ldb, float* c, int ldc, bool accumulate) {
  auto run_block = [&](int i0, int rows, int j0, int cols) {
    float* scratch = thread_scratch(kABufferFloats + kBBufferFloats);
    auto pack_a_fn = [&](int pi0, int mc, int p0, int kc, float* buf) {
      pack_a(trans_a, a, lda, i0 + pi0, mc, p0, kc, buf);
      return buf;
    };
    auto pack_b_fn = [&](int p0, int kc, int pj0, int nc, float* buf) {
      pack_b(trans_b, b, ldb, p0, kc, j0 + pj0, nc, buf);
      return buf;
    };
    run(rows, cols, k, pack_a_fn, pack_b_fn, c + size_t(i0) * ldc + j0, ldc, nullptr, accumulate,
        scratch, scratch + kABufferFloats);
  };
  int parts = 2.0 * m * n * k < 2e6 ? 1 : threads();
  auto edge = [](int total, int part, int parts, int align) {
    const long long e = (long long)total * part / parts;
    return min(total, int((e + align - 1) / align * align));
  };
  if (parts > 1 && n >= 2 * NR * parts) {
    parallel_for(parts, [&](int part) {
      const int j0 = edge(n, part, parts, NR), j1 = edge(n, part + 1, parts, NR);
      run_block(0, m, j0, j1 - j0);
    });
  } else if (parts > 1 && m >= 2 * MR * parts) {
    parallel_for(parts, [&](int part) {
      const int i0 = edge(m, part, parts, MR), i1 = edge(m, part + 1, parts, MR);
      run_block(i0, i1 - i0, 0, n);
    });
  } else {
    run_block(0, m, 0, n);
  }
}

}  // namespace cnn::kernels
