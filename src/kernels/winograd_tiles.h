// Stride-1 convolution by Winograd's minimal filtering F(MxM, RxR): 3x3
// kernels with M = 2 or 4, 5x5 kernels with M = 2; generic over the
// micro-kernel (gemm_driver.h) and its vector vocabulary; included only by
// the per-ISA table files through conv_winograd.h, which picks the variant.
//
// Every M x M block of outputs ("tile") reads an A x A window d (A = M+R-1)
// of the padded input. With the transforms
//   V = B^T d B (input, A x A per tile and channel)
//   U = G g G^T (weights, A x A per output and input channel, once per call)
//   Y = A^T M A (output, M x M per tile and output channel)
// the convolution becomes T = A^2 independent GEMMs, one per position xi of
// the transformed tile:  M_xi (K x tiles) = U_xi (K x C) * V_xi (C x tiles).
// Per M x M outputs and channel pair that is 16, 36 and 36 multiplications
// for F(2x2, 3x3), F(4x4, 3x3) and F(2x2, 5x5), where the direct method
// needs 36, 144 and 100: 2.25x, 4x and 2.8x fewer, all in the table's own
// register-tile micro-kernel.
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016.)
//
// Tiles are taken a tile row at a time, each row rounded up to the vector
// width L, so the transforms run on L horizontally adjacent tiles at once:
// the input columns of a row are deinterleaved loads. The transformed input
// is written straight into the GEMM's packed-panel layout and the weights
// into its packed-A layout, so the GEMM copies nothing. Blocks of tile rows
// keep V and M of a block in L2; threads take whole blocks, and every output
// is computed by the same operations whatever the split, so results do not
// depend on the thread count.
//
// Rounding: F(2x2, 3x3)'s transforms add up to 4 inputs (0.5-weighted for
// G); the alpha = 6 ones weigh them by up to 8 (and 1/24 for G), so their
// error is larger, though still within the kernel tests' relative tolerance
// for the direct method (Variants.ConvAcrossTileAndBlockEdges).
#pragma once
#include <cstring>

#include "kernels/gemm_driver.h"
#include "kernels/threads.h"

namespace cnn::kernels {

// An r x r stride-1 convolution: x (n, c, h, w) * w (k, c, r, r) -> y (n, k, oh, ow).
struct WinogradShape {
  int n, c, h, w, k, pad_y, pad_x, r = 3;
  int oh() const { return h + 2 * pad_y - (r - 1); }
  int ow() const { return w + 2 * pad_x - (r - 1); }
};

// The algorithm for tiles of M x M outputs of an R x R kernel, F(MxM, RxR)
// for (M, R) = (2, 3), (4, 3) or (2, 5), with transforms on vectors of type
// Vec (L lanes: L horizontally adjacent tiles). F(4x4, 3x3) and F(2x2, 5x5)
// share alpha = 6 and the interpolation points 0, 1, -1, 2, -2 and infinity,
// so the same input transform B^T; G and A^T follow from the points.
template <class Micro, class Vec, int M, int R = 3>
struct WinogradTiles {
  static_assert((R == 3 && (M == 2 || M == 4)) || (R == 5 && M == 2),
                "F(2x2, 3x3), F(4x4, 3x3) and F(2x2, 5x5)");
  using G = Gemm<Micro>;
  using V = typename Vec::V;
  using Shape = WinogradShape;
  static constexpr int L = Vec::lanes, MR = Micro::mr, NR = Micro::nr;
  static constexpr int A = M + R - 1;  // side of a transformed tile (alpha)
  static constexpr int T = A * A;  // GEMMs, one per transformed position
  static_assert(NR % L == 0, "tile rows are stored L columns at a time into NR-wide panels");

  static int min(int a, int b) { return a < b ? a : b; }
  static int max(int a, int b) { return a > b ? a : b; }
  static size_t round16(size_t v) { return (v + 15) / 16 * 16; }
  static int round_up(int v, int to) { return (v + to - 1) / to * to; }

  // How the work is cut.
  struct Plan {
    int th, tw, twl;  // tiles per image: rows, columns, columns rounded up to L
    int wp;           // padded input row: every tile's A x A window, zeros around
    int units;        // tile rows in the batch (n * th)
    int rows;         // tile rows per block
    int nb, nbp;      // GEMM columns of a block (rows * twl), rounded up to NR
    int kr;           // output channels rounded up to MR (packed weight panels)
  };
  static Plan plan(const Shape& s) {
    Plan p;
    p.th = (s.oh() + M - 1) / M;
    p.tw = (s.ow() + M - 1) / M;
    p.twl = round_up(p.tw, L);
    p.wp = M * p.twl + R - 1;
    p.units = s.n * p.th;
    // V and M of a block: T * (c + k) floats per column. About 512 KB keeps
    // them in L2; at least 4 register-tile widths so the GEMMs have columns
    // to run along (wide layers then exceed L2 but stream well).
    const int columns = max(4 * NR, (1 << 17) / (T * (s.c + s.k)));
    p.rows = max(1, min(p.units, columns / p.twl));
    p.nb = p.rows * p.twl;
    p.nbp = round_up(p.nb, NR);
    p.kr = round_up(s.k, MR);
    return p;
  }

  static size_t shared_floats(const Shape& s) { return round16(size_t(T) * s.c * plan(s).kr); }
  static size_t part_floats(const Shape& s) {
    const Plan p = plan(s);
    return round16(size_t(T) * s.c * p.nbp) + round16(size_t(T) * s.k * p.nbp) +
           round16(size_t(s.c) * strip_rows(p, p.rows) * p.wp + 2 * L);
  }
  // Padded input rows that `units` consecutive tile rows of one sample read.
  static int strip_rows(const Plan& p, int units) { return M * min(units, p.th) + R - 1; }
  static size_t floats(const Shape& s, int parts) {
    return shared_floats(s) + size_t(parts) * part_floats(s);
  }
  static int blocks_of(const Plan& p) { return (p.units + p.rows - 1) / p.rows; }
  // Threads take whole blocks of tile rows. With fewer blocks than threads (one
  // small image: VGG's 16x16 conv5_1 is a single block), each block's output
  // channels are split too, and every part of a block transforms its input.
  static int parts(const Shape& s) {
    const double flops = 2.0 * s.n * s.k * s.c * R * R * s.oh() * s.ow();
    if (flops < 2e6) return 1;
    const Plan p = plan(s);
    const int blocks = blocks_of(p);
    if (blocks >= threads()) return threads();
    const int split = min((threads() + blocks - 1) / blocks, p.kr / MR);
    return split > 1 ? blocks * split : blocks;
  }

  // out(j)[i] = (G g)_j for MR lanes i: one column g = (in[0][i], ...,
  // in[R-1][i]) of the kernel through the A x R matrix G.
  template <class Out>
  static void times_g(const float* const* in, Out out) {
    for (int i = 0; i < MR; ++i) {
      if constexpr (M == 2 && R == 3) {
        const float a = in[0][i], b = in[1][i], c = in[2][i];
        out(0)[i] = a;
        out(1)[i] = 0.5f * (a + b + c);
        out(2)[i] = 0.5f * (a - b + c);
        out(3)[i] = c;
      } else if constexpr (R == 3) {
        const float a = in[0][i], b = in[1][i], c = in[2][i], sixth = 1.f / 6;
        out(0)[i] = 0.25f * a;
        out(1)[i] = -sixth * (a + b + c);
        out(2)[i] = -sixth * (a - b + c);
        out(3)[i] = sixth * (0.25f * a + 0.5f * b + c);
        out(4)[i] = sixth * (0.25f * a - 0.5f * b + c);
        out(5)[i] = c;
      } else {
        const float a = in[0][i], b = in[1][i], c = in[2][i], d = in[3][i], e = in[4][i];
        const float sixth = 1.f / 6;
        out(0)[i] = 0.25f * a;
        out(1)[i] = -sixth * (a + b + c + d + e);
        out(2)[i] = -sixth * (a - b + c - d + e);
        out(3)[i] = sixth * (0.25f * a + 0.5f * b + c + 2.f * d + 4.f * e);
        out(4)[i] = sixth * (0.25f * a - 0.5f * b + c - 2.f * d + 4.f * e);
        out(5)[i] = e;
      }
    }
  }

  // U = G g G^T for every (k, c), written into the packed-A layout of the T
  // GEMMs (gemm_driver.h: depth block (p0, kc) of weight matrix xi at
  // xi*c*kr + p0*kr, row panels of MR within it); rows past k are zero. MR
  // output channels at a time, so each of the T matrices gets MR contiguous
  // floats per input channel (one store, not T scattered ones per weight).
  // `transposed`: w is (c, k, 3, 3), the weights of the convolution whose
  // input gradient this is; read flipped, so the backward pass needs no copy.
  // Output-channel panels [panel0, panel1) only: threads share the work.
  static void transform_weights(const Shape& s, const Plan& p, const float* w, bool transposed,
                                int panel0, int panel1, float* packed) {
    const int blocks = G::depth_blocks(s.c);
    const size_t xi_stride = size_t(s.c) * p.kr;
    for (int b = 0; b < blocks; ++b) {
      const int p0 = G::depth_begin(s.c, b, blocks), kc = G::depth_begin(s.c, b + 1, blocks) - p0;
      for (int panel = panel0; panel < panel1; ++panel) {
        const int k0 = panel * MR;
        for (int c = p0; c < p0 + kc; ++c) {
          constexpr int taps = R * R;
          alignas(64) float g[taps][MR], gg[A][R][MR], u[T][MR];
          for (int i = 0; i < MR; ++i) {
            const int k = k0 + i;
            const float* src = k >= s.k     ? nullptr
                               : transposed ? w + (size_t(c) * s.k + k) * taps
                                            : w + (size_t(k) * s.c + c) * taps;
            for (int t = 0; t < taps; ++t)
              g[t][i] = src ? src[transposed ? taps - 1 - t : t] : 0.f;
          }
          const float* in[R];
          for (int j = 0; j < R; ++j) {  // G g, a column at a time
            for (int q = 0; q < R; ++q) in[q] = g[q * R + j];
            times_g(in, [&](int r) { return gg[r][j]; });
          }
          for (int r = 0; r < A; ++r) {  // (G g) G^T, a row at a time
            for (int q = 0; q < R; ++q) in[q] = gg[r][q];
            times_g(in, [&](int col) { return u[r * A + col]; });
          }
          float* dst = packed + size_t(p0) * p.kr + size_t(k0) * kc + size_t(c - p0) * MR;
          for (int xi = 0; xi < T; ++xi)
            std::memcpy(dst + xi * xi_stride, u[xi], sizeof(float) * MR);
        }
      }
    }
  }

  // Rows [r0, r0 + rows) of the zero-padded planes of x_n (C, H, W) ->
  // (C, rows, wp): the convolution's padding at the top and left, zeros to
  // the end of the last tile, and 2L floats of slack. Only the rows a block
  // reads, so the strip stays in L2 (a whole padded sample of VGG's first
  // layers is 17 MB).
  static void pad_rows(const Shape& s, const Plan& p, const float* x_n, int r0, int rows,
                       float* xp) {
    for (int c = 0; c < s.c; ++c)
      for (int r = 0; r < rows; ++r) {
        float* dst = xp + (size_t(c) * rows + r) * p.wp;
        const int iy = r0 + r - s.pad_y;
        if (iy < 0 || iy >= s.h) {
          std::memset(dst, 0, sizeof(float) * p.wp);
          continue;
        }
        std::memset(dst, 0, sizeof(float) * s.pad_x);
        std::memcpy(dst + s.pad_x, x_n + (size_t(c) * s.h + iy) * s.w, sizeof(float) * s.w);
        std::memset(dst + s.pad_x + s.w, 0, sizeof(float) * (p.wp - s.pad_x - s.w));
      }
    std::memset(xp + size_t(s.c) * rows * p.wp, 0, sizeof(float) * 2 * L);
  }

  // d[j] = row[M * t + j] for the L tiles t of a group and j < A: the
  // window's columns, deinterleaved (by 2, and by 2 again for M = 4).
  static void load_columns(const float* row, V d[A]) {
    if constexpr (M == 2) {
      for (int j = 0; j < A; j += 2)
        Vec::deinterleave(Vec::load(row + j), Vec::load(row + j + L), d[j], d[j + 1]);
    } else {
      V e01, o01, e23, o23, unused;
      for (int shift = 0; shift < 2; ++shift) {  // columns 0-3, then 4-5 (4 further)
        const float* r = row + 4 * shift;
        Vec::deinterleave(Vec::load(r), Vec::load(r + L), e01, o01);
        Vec::deinterleave(Vec::load(r + 2 * L), Vec::load(r + 3 * L), e23, o23);
        if (shift == 0) {
          Vec::deinterleave(e01, e23, d[0], d[2]);
          Vec::deinterleave(o01, o23, d[1], d[3]);
        } else {
          Vec::deinterleave(e01, e23, d[4], unused);
          Vec::deinterleave(o01, o23, d[5], unused);
        }
      }
    }
  }

  // out[j] = (B^T x)_j: the input transform along one direction.
  static void times_bt(const V x[A], V out[A]) {
    if constexpr (A == 4) {
      out[0] = Vec::sub(x[0], x[2]);
      out[1] = Vec::add(x[1], x[2]);
      out[2] = Vec::sub(x[2], x[1]);
      out[3] = Vec::sub(x[1], x[3]);
    } else {
      const V four = Vec::splat(4.f), five = Vec::splat(-5.f), two = Vec::splat(2.f);
      out[0] = Vec::madd(four, x[0], Vec::madd(five, x[2], x[4]));
      out[1] = Vec::madd(Vec::splat(-4.f), Vec::add(x[1], x[2]), Vec::add(x[3], x[4]));
      out[2] = Vec::madd(four, Vec::sub(x[1], x[2]), Vec::sub(x[4], x[3]));
      const V d31 = Vec::sub(x[3], x[1]), d42 = Vec::sub(x[4], x[2]);
      out[3] = Vec::madd(two, d31, d42);
      out[4] = Vec::madd(Vec::splat(-2.f), d31, d42);
      out[5] = Vec::madd(four, x[1], Vec::madd(five, x[3], x[5]));
    }
  }

  // V = B^T d B for L adjacent tiles of channel plane `in` (at the tile
  // row's first input row and the first tile's column), stored at v (xi
  // planes `stride` apart).
  static void transform_input(const float* in, int wp, float* v, size_t stride) {
    V t[A][A];  // d B: the rows' columns combined
    for (int r = 0; r < A; ++r) {
      V d[A];
      load_columns(in + size_t(r) * wp, d);
      times_bt(d, t[r]);
    }
    for (int j = 0; j < A; ++j) {  // B^T (d B): the rows combined
      V col[A], out[A];
      for (int r = 0; r < A; ++r) col[r] = t[r][j];
      times_bt(col, out);
      for (int i = 0; i < A; ++i) Vec::store(v + (i * A + j) * stride, out[i]);
    }
  }

  // out[r] = (A^T m)_r for r < M: the output transform along one direction.
  static void times_at(const V m[A], V out[M]) {
    if constexpr (A == 4) {
      out[0] = Vec::add(Vec::add(m[0], m[1]), m[2]);
      out[1] = Vec::sub(Vec::sub(m[1], m[2]), m[3]);
    } else if constexpr (M == 2) {  // F(2x2, 5x5)
      const V a = Vec::add(m[1], m[2]), b = Vec::sub(m[1], m[2]);
      const V c = Vec::add(m[3], m[4]), d = Vec::sub(m[3], m[4]);
      out[0] = Vec::add(Vec::add(m[0], a), c);
      out[1] = Vec::add(Vec::madd(Vec::splat(2.f), d, b), m[5]);
    } else {
      const V a = Vec::add(m[1], m[2]), b = Vec::sub(m[1], m[2]);
      const V c = Vec::add(m[3], m[4]), d = Vec::sub(m[3], m[4]);
      out[0] = Vec::add(Vec::add(m[0], a), c);
      out[1] = Vec::madd(Vec::splat(2.f), d, b);
      out[2] = Vec::madd(Vec::splat(4.f), c, a);
      out[3] = Vec::add(Vec::madd(Vec::splat(8.f), d, b), m[5]);
    }
  }

  // Y = A^T M A (+ bias) for L adjacent tiles of one output channel: m holds
  // the T GEMM results (planes `stride` apart); the M x M outputs go to rows
  // y[0..M) (null past the last output row), `cols` columns of them.
  static void transform_output(const float* m, size_t stride, float bias, float* const y[M],
                               int cols) {
    V s[M][A];  // A^T M: the rows combined
    for (int j = 0; j < A; ++j) {
      V col[A], out[M];
      for (int i = 0; i < A; ++i) col[i] = Vec::load(m + (i * A + j) * stride);
      times_at(col, out);
      for (int r = 0; r < M; ++r) s[r][j] = out[r];
    }
    const V b = Vec::splat(bias);
    for (int r = 0; r < M; ++r) {
      if (!y[r]) break;
      V o[M], line[M];  // o[c]: output column c of each tile; line: in memory order
      times_at(s[r], o);
      for (int c = 0; c < M; ++c) o[c] = Vec::add(o[c], b);
      if constexpr (M == 2) {
        Vec::interleave(o[0], o[1], line[0], line[1]);
      } else {
        V lo02, hi02, lo13, hi13;
        Vec::interleave(o[0], o[2], lo02, hi02);
        Vec::interleave(o[1], o[3], lo13, hi13);
        Vec::interleave(lo02, lo13, line[0], line[1]);
        Vec::interleave(hi02, hi13, line[2], line[3]);
      }
      for (int q = 0; q < M; ++q) {
        const int n = min(L, cols - q * L);
        if (n <= 0) break;
        if (n == L)
          Vec::store(y[r] + q * L, line[q]);
        else
          Vec::store_first(y[r] + q * L, line[q], n);
      }
    }
  }

  // x (N,C,H,W) * w (K,C,R,R) + bias (K) -> y (N,K,OH,OW); scratch holds
  // floats(s, parts), 64-byte aligned.
  // `transposed`: see transform_weights.
  static void forward(const Shape& s, const float* x, const float* w, bool transposed,
                      const float* bias, float* y, float* scratch, int parts) {
    const Plan p = plan(s);
    const int oh = s.oh(), ow = s.ow();
    float* packed_u = scratch;
    const int panels = p.kr / MR;
    const int wparts = min(threads(), max(1, (s.k * s.c) / 4096));
    parallel_for(wparts, [&](int part) {
      transform_weights(s, p, w, transposed, panels * part / wparts, panels * (part + 1) / wparts,
                        packed_u);
    });
    const size_t u_stride = size_t(s.c) * p.kr;  // between the T weight matrices
    const size_t v_stride = size_t(s.c) * p.nbp, m_stride = size_t(s.k) * p.nbp;
    const int blocks = G::depth_blocks(s.c);
    float* bufs = scratch + shared_floats(s);
    const int all_blocks = blocks_of(p);
    const int split = parts > all_blocks ? parts / all_blocks : 1;

    parallel_for(parts, [&](int part) {
      float* vbuf = bufs + part * part_floats(s);
      float* mbuf = vbuf + round16(T * v_stride);
      float* xp = mbuf + round16(T * m_stride);
      // Whole blocks per part, the same blocks at any thread count; output
      // channels [k0, k1) of them (all but for one small image, see parts()).
      const int panels = p.kr / MR, kpart = part % split, bparts = parts / split;
      const int bpart = part / split;
      const int k0 = panels * kpart / split * MR;
      const int k1 = min(s.k, panels * (kpart + 1) / split * MR);
      for (int blk = all_blocks * bpart / bparts; blk < all_blocks * (bpart + 1) / bparts; ++blk) {
        const int u0 = blk * p.rows, u1 = min(p.units, u0 + p.rows);
        const int nb = (u1 - u0) * p.twl;
        // Input transform into packed panels: column j = (unit - u0) * twl + tx,
        // from a padded strip of the rows of one sample at a time.
        for (int run0 = u0, run1; run0 < u1; run0 = run1) {
          const int n = run0 / p.th, ty0 = run0 % p.th;
          run1 = min(u1, (n + 1) * p.th);
          const int rows = strip_rows(p, run1 - run0);
          pad_rows(s, p, x + size_t(n) * s.c * s.h * s.w, M * ty0, rows, xp);
          for (int u = run0; u < run1; ++u)
            for (int b = 0; b < blocks; ++b) {
              const int p0 = G::depth_begin(s.c, b, blocks);
              const int kc = G::depth_begin(s.c, b + 1, blocks) - p0;
              for (int c = p0; c < p0 + kc; ++c) {
                const float* in = xp + (size_t(c) * rows + M * (u - run0)) * p.wp;
                for (int tx = 0; tx < p.twl; tx += L) {
                  const int j = (u - u0) * p.twl + tx;
                  float* v = vbuf + size_t(p0) * p.nbp + size_t(j / NR) * NR * kc +
                             size_t(c - p0) * NR + j % NR;
                  transform_input(in + M * tx, p.wp, v, v_stride);
                }
              }
            }
        }
        // The T GEMMs of the block.
        for (int xi = 0; xi < T; ++xi) {
          const float* u_xi = packed_u + xi * u_stride;
          const float* v_xi = vbuf + xi * v_stride;
          auto pack_a = [&](int i0, int, int p0, int kc, float*) {
            return G::prepacked(u_xi, s.k, k0 + i0, p0, kc);
          };
          auto pack_b = [&](int p0, int kc, int j0, int, float*) {
            return v_xi + size_t(p0) * p.nbp + size_t(j0) * kc;
          };
          G::run(k1 - k0, nb, s.c, pack_a, pack_b, mbuf + xi * m_stride + size_t(k0) * p.nbp,
                 p.nbp, nullptr, false, nullptr, nullptr);
        }
        // Output transform, straight into y.
        for (int u = u0; u < u1; ++u) {
          const int n = u / p.th, ty = u % p.th, oy = M * ty;
          for (int k = k0; k < k1; ++k) {
            float* y_k = y + (size_t(n) * s.k + k) * oh * ow;
            const float* m_k = mbuf + size_t(k) * p.nbp + size_t(u - u0) * p.twl;
            for (int tx = 0; tx < p.tw; tx += L) {
              float* rows[M];
              for (int r = 0; r < M; ++r)
                rows[r] = oy + r < oh ? y_k + size_t(oy + r) * ow + M * tx : nullptr;
              transform_output(m_k + tx, m_stride, bias ? bias[k] : 0.f, rows,
                               min(M * L, ow - M * tx));
            }
          }
        }
      }
    });
  }

  // Where this algorithm pays (`cnn bench conv-fwd`, the VGG19 style
  // workload and, for 5x5, MNIST's 8 -> 16 and CIFAR's 16 -> 20 layers show
  // it): enough channels that the GEMMs dominate the transforms, and planes
  // with more than a few tiles. 5x5 from Micro::winograd5_channels: 8 in
  // WebAssembly, where MNIST's 8 -> 16 layer is faster with it; 16 natively,
  // where that layer is slower with it and CIFAR's 16 -> 20 and 20 -> 20 are
  // faster.
  static bool applies(const Shape& s, int kh, int kw, int stride) {
    const int min_channels = R == 5 ? Micro::winograd5_channels : 16;
    return stride == 1 && kh == R && kw == R && s.r == R && s.c >= min_channels &&
           s.k >= min_channels && s.oh() >= 4 && s.ow() >= 4;
  }
};

}  // namespace cnn::kernels
