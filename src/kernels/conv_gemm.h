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

  // ---- backward (conv_gemm_backward.h) -----------------------------------

  static void backward_input(const ConvShape& s, const float* dy, const float* w, float* dx,
                             Workspace& ws);
  static void backward_input_col2im(const Geo& g, const float* dy, const float* w, float* dx,
                                    Workspace& ws, double flops);
  static void transpose(const float* src, int rows, int cols, float* dst);
  static void backward_weights(const ConvShape& s, const float* x, const float* dy, float* dw,
                               float* db, Workspace& ws);
  static bool use_dot(const ConvShape& s);
  static void bias_grad(const Geo& g, const float* dy, float* db);
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
