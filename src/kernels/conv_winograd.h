// 3x3 stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3),
// generic over the micro-kernel (gemm_driver.h) and its vector vocabulary;
// included only by the per-ISA table files through conv_gemm.h.
//
// Every 2x2 block of outputs ("tile") reads a 4x4 window d of the padded
// input. With the transforms
//   V = B^T d B (input, 4x4 per tile and channel: additions only)
//   U = G g G^T (weights, 4x4 per output and input channel, once per call)
//   Y = A^T M A (output, 2x2 per tile and output channel: additions only)
// the convolution becomes 16 independent GEMMs, one per position xi of the
// 4x4 transformed tile:  M_xi (K x tiles) = U_xi (K x C) * V_xi (C x tiles).
// That is 16 multiplications per tile and channel pair where the direct
// method needs 36: 2.25x fewer, in the same register-tile micro-kernel.
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016.)
//
// Tiles are taken a tile row at a time, each row rounded up to the vector
// width L, so the transforms run on L horizontally adjacent tiles at once:
// the even and odd input columns of a row are two deinterleaved loads. The
// transformed input is written straight into the GEMM's packed-panel layout
// and the weights into its packed-A layout, so the GEMM copies nothing.
// Blocks of tile rows keep V and M of a block in L2; threads take whole
// blocks, and every output is computed by the same operations whatever the
// split, so results do not depend on the thread count.
//
// Rounding: the transforms add up to 4 inputs (0.5-weighted for G), so the
// error is a small multiple of the direct method's; the kernel tests hold it
// to the same relative tolerance.
#pragma once
#include <cstring>
#include <type_traits>

#include "kernels/gemm_driver.h"
#include "kernels/threads.h"

namespace cnn::kernels {

// A 3x3 stride-1 convolution: x (n, c, h, w) * w (k, c, 3, 3) -> y (n, k, oh, ow).
struct WinogradShape {
  int n, c, h, w, k, pad_y, pad_x;
  int oh() const { return h + 2 * pad_y - 2; }
  int ow() const { return w + 2 * pad_x - 2; }
};

// The algorithm, with transforms on vectors of type Vec (L lanes: L tiles).
template <class Micro, class Vec>
struct WinogradTiles {
  using G = Gemm<Micro>;
  using V = typename Vec::V;
  using Shape = WinogradShape;
  static constexpr int L = Vec::lanes, MR = Micro::mr, NR = Micro::nr;
  static_assert(NR % L == 0, "tile rows are stored L columns at a time into NR-wide panels");

  static int min(int a, int b) { return a < b ? a : b; }
  static int max(int a, int b) { return a > b ? a : b; }
  static size_t round16(size_t v) { return (v + 15) / 16 * 16; }
  static int round_up(int v, int to) { return (v + to - 1) / to * to; }

  // How the work is cut.
  struct Plan {
    int th, tw, twl;  // tiles per image: rows, columns, columns rounded up to L
    int hp, wp;       // padded input plane: every tile's 4x4 window, zeros around
    int units;        // tile rows in the batch (n * th)
    int rows;         // tile rows per block
    int nb, nbp;      // GEMM columns of a block (rows * twl), rounded up to NR
    int kr;           // output channels rounded up to MR (packed weight panels)
  };
  static Plan plan(const Shape& s) {
    Plan p;
    p.th = (s.oh() + 1) / 2;
    p.tw = (s.ow() + 1) / 2;
    p.twl = round_up(p.tw, L);
    p.hp = 2 * p.th + 2;
    p.wp = 2 * p.twl + 2;
    p.units = s.n * p.th;
    // V and M of a block: 16 * (c + k) floats per column. About 512 KB keeps
    // them in L2; at least 4 register-tile widths so the GEMMs have columns
    // to run along (wide layers then exceed L2 but stream well).
    const int columns = max(4 * NR, (1 << 17) / (16 * (s.c + s.k)));
    p.rows = max(1, min(p.units, columns / p.twl));
    p.nb = p.rows * p.twl;
    p.nbp = round_up(p.nb, NR);
    p.kr = round_up(s.k, MR);
    return p;
  }

  // Where this algorithm pays (measured with `cnn bench conv-fwd` and the
  // VGG19 style workload): enough channels that the GEMMs dominate the
  // transforms, and planes with more than a few tiles.
  static bool applies(const Shape& s, int kh, int kw, int stride) {
    return stride == 1 && kh == 3 && kw == 3 && s.c >= 16 && s.k >= 16 && s.oh() >= 4 &&
           s.ow() >= 4;
  }

  static size_t shared_floats(const Shape& s) { return round16(size_t(16) * s.c * plan(s).kr); }
  static size_t part_floats(const Shape& s) {
    const Plan p = plan(s);
    return round16(size_t(16) * s.c * p.nbp) + round16(size_t(16) * s.k * p.nbp) +
           round16(size_t(s.c) * p.hp * p.wp + 2 * L);
  }
  static size_t floats(const Shape& s, int parts) {
    return shared_floats(s) + size_t(parts) * part_floats(s);
  }
  static int blocks_of(const Plan& p) { return (p.units + p.rows - 1) / p.rows; }
  // Threads take whole blocks of tile rows. With fewer blocks than threads (one
  // small image: VGG's 16x16 conv5_1 is a single block), each block's output
  // channels are split too, and every part of a block transforms its input.
  static int parts(const Shape& s) {
    const double flops = 2.0 * s.n * s.k * s.c * 9 * s.oh() * s.ow();
    if (flops < 2e6) return 1;
    const Plan p = plan(s);
    const int blocks = blocks_of(p);
    if (blocks >= threads()) return threads();
    const int split = min((threads() + blocks - 1) / blocks, p.kr / MR);
    return split > 1 ? blocks * split : blocks;
  }

  // U = G g G^T for every (k, c), written into the packed-A layout of the 16
  // GEMMs (gemm_driver.h: depth block (p0, kc) of weight matrix xi at
  // xi*c*kr + p0*kr, row panels of MR within it); rows past k are zero. MR
  // output channels at a time, so each of the 16 matrices gets MR contiguous
  // floats per input channel (one store, not 16 scattered ones per weight).
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
          float g[9][MR], gg[4][3][MR], u[16][MR];
          for (int i = 0; i < MR; ++i) {
            const int k = k0 + i;
            const float* src = k >= s.k     ? nullptr
                               : transposed ? w + (size_t(c) * s.k + k) * 9
                                            : w + (size_t(k) * s.c + c) * 9;
            for (int t = 0; t < 9; ++t) g[t][i] = src ? src[transposed ? 8 - t : t] : 0.f;
          }
          for (int j = 0; j < 3; ++j)  // G g
            for (int i = 0; i < MR; ++i) {
              gg[0][j][i] = g[j][i];
              gg[1][j][i] = 0.5f * (g[j][i] + g[3 + j][i] + g[6 + j][i]);
              gg[2][j][i] = 0.5f * (g[j][i] - g[3 + j][i] + g[6 + j][i]);
              gg[3][j][i] = g[6 + j][i];
            }
          for (int r = 0; r < 4; ++r)  // (G g) G^T
            for (int i = 0; i < MR; ++i) {
              u[r * 4 + 0][i] = gg[r][0][i];
              u[r * 4 + 1][i] = 0.5f * (gg[r][0][i] + gg[r][1][i] + gg[r][2][i]);
              u[r * 4 + 2][i] = 0.5f * (gg[r][0][i] - gg[r][1][i] + gg[r][2][i]);
              u[r * 4 + 3][i] = gg[r][2][i];
            }
          float* dst = packed + size_t(p0) * p.kr + size_t(k0) * kc + size_t(c - p0) * MR;
          for (int xi = 0; xi < 16; ++xi)
            std::memcpy(dst + xi * xi_stride, u[xi], sizeof(float) * MR);
        }
      }
    }
  }

  // x_n (C, H, W) -> (C, hp, wp) with the convolution's padding at the top
  // and left and zeros to the end of the last tile (and L floats of slack).
  static void pad_sample(const Shape& s, const Plan& p, const float* x_n, float* xp) {
    const size_t plane = size_t(p.hp) * p.wp;
    std::memset(xp, 0, sizeof(float) * (s.c * plane + 2 * L));
    for (int c = 0; c < s.c; ++c)
      for (int iy = 0; iy < s.h; ++iy)
        std::memcpy(xp + c * plane + size_t(s.pad_y + iy) * p.wp + s.pad_x,
                    x_n + (size_t(c) * s.h + iy) * s.w, sizeof(float) * s.w);
  }

  // V = B^T d B for L adjacent tiles of channel plane `in` (at the tile
  // row's first input row and the first tile's column), stored at v (xi
  // planes `stride` apart).
  static void transform_input(const float* in, int wp, float* v, size_t stride) {
    V t[4][4];
    for (int r = 0; r < 4; ++r) {
      const float* row = in + size_t(r) * wp;
      V d0, d1, d2, d3;
      Vec::deinterleave(Vec::load(row), Vec::load(row + L), d0, d1);
      Vec::deinterleave(Vec::load(row + 2), Vec::load(row + 2 + L), d2, d3);
      t[r][0] = Vec::sub(d0, d2);  // d B: combine the columns of each row
      t[r][1] = Vec::add(d1, d2);
      t[r][2] = Vec::sub(d2, d1);
      t[r][3] = Vec::sub(d1, d3);
    }
    for (int j = 0; j < 4; ++j) {  // B^T (d B): combine the rows
      Vec::store(v + (0 + j) * stride, Vec::sub(t[0][j], t[2][j]));
      Vec::store(v + (4 + j) * stride, Vec::add(t[1][j], t[2][j]));
      Vec::store(v + (8 + j) * stride, Vec::sub(t[2][j], t[1][j]));
      Vec::store(v + (12 + j) * stride, Vec::sub(t[1][j], t[3][j]));
    }
  }

  // Y = A^T M A (+ bias) for L adjacent tiles of one output channel: m holds
  // the 16 GEMM results (planes `stride` apart); the 2x2 outputs go to rows
  // y0 and y1 (y1 null past the last output row), `cols` columns of them.
  static void transform_output(const float* m, size_t stride, float bias, float* y0, float* y1,
                               int cols) {
    V s[2][4];
    for (int j = 0; j < 4; ++j) {  // A^T M: combine the rows
      const V m0 = Vec::load(m + (0 + j) * stride), m1 = Vec::load(m + (4 + j) * stride);
      const V m2 = Vec::load(m + (8 + j) * stride), m3 = Vec::load(m + (12 + j) * stride);
      s[0][j] = Vec::add(Vec::add(m0, m1), m2);
      s[1][j] = Vec::sub(Vec::sub(m1, m2), m3);
    }
    const V b = Vec::splat(bias);
    for (int i = 0; i < 2; ++i) {
      float* out = i == 0 ? y0 : y1;
      if (!out) break;
      const V even = Vec::add(Vec::add(Vec::add(s[i][0], s[i][1]), s[i][2]), b);
      const V odd = Vec::add(Vec::sub(Vec::sub(s[i][1], s[i][2]), s[i][3]), b);
      V lo, hi;
      Vec::interleave(even, odd, lo, hi);
      if (cols >= 2 * L) {
        Vec::store(out, lo);
        Vec::store(out + L, hi);
      } else {
        Vec::store_first(out, lo, min(L, cols));
        if (cols > L) Vec::store_first(out + L, hi, cols - L);
      }
    }
  }

  // x (N,C,H,W) * w (K,C,3,3) + bias (K) -> y (N,K,OH,OW); scratch holds
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
    const size_t u_stride = size_t(s.c) * p.kr;  // between the 16 weight matrices
    const size_t v_stride = size_t(s.c) * p.nbp, m_stride = size_t(s.k) * p.nbp;
    const int blocks = G::depth_blocks(s.c);
    float* bufs = scratch + shared_floats(s);
    const int all_blocks = blocks_of(p);
    const int split = parts > all_blocks ? parts / all_blocks : 1;

    parallel_for(parts, [&](int part) {
      float* vbuf = bufs + part * part_floats(s);
      float* mbuf = vbuf + round16(16 * v_stride);
      float* xp = mbuf + round16(16 * m_stride);
      const size_t plane = size_t(p.hp) * p.wp;
      // Whole blocks per part, the same blocks at any thread count; output
      // channels [k0, k1) of them (all but for one small image, see parts()).
      const int panels = p.kr / MR, kpart = part % split, bparts = parts / split;
      const int bpart = part / split;
      const int k0 = panels * kpart / split * MR;
      const int k1 = min(s.k, panels * (kpart + 1) / split * MR);
      int padded_n = -1;
      for (int blk = all_blocks * bpart / bparts; blk < all_blocks * (bpart + 1) / bparts; ++blk) {
        const int u0 = blk * p.rows, u1 = min(p.units, u0 + p.rows);
        const int nb = (u1 - u0) * p.twl;
        // Input transform into packed panels: column j = (unit - u0) * twl + tx.
        for (int u = u0; u < u1; ++u) {
          const int n = u / p.th, ty = u % p.th;
          if (n != padded_n) {
            pad_sample(s, p, x + size_t(n) * s.c * s.h * s.w, xp);
            padded_n = n;
          }
          for (int b = 0; b < blocks; ++b) {
            const int p0 = G::depth_begin(s.c, b, blocks);
            const int kc = G::depth_begin(s.c, b + 1, blocks) - p0;
            for (int c = p0; c < p0 + kc; ++c) {
              const float* in = xp + c * plane + size_t(2 * ty) * p.wp;
              for (int tx = 0; tx < p.twl; tx += L) {
                const int j = (u - u0) * p.twl + tx;
                float* v = vbuf + size_t(p0) * p.nbp + size_t(j / NR) * NR * kc +
                           size_t(c - p0) * NR + j % NR;
                transform_input(in + 2 * tx, p.wp, v, v_stride);
              }
            }
          }
        }
        // The 16 GEMMs of the block.
        for (int xi = 0; xi < 16; ++xi) {
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
          const int n = u / p.th, ty = u % p.th, oy = 2 * ty;
          for (int k = k0; k < k1; ++k) {
            float* y_k = y + (size_t(n) * s.k + k) * oh * ow;
            float* y0 = y_k + size_t(oy) * ow;
            float* y1 = oy + 1 < oh ? y0 + ow : nullptr;
            const float* m_k = mbuf + size_t(k) * p.nbp + size_t(u - u0) * p.twl;
            for (int tx = 0; tx < p.tw; tx += L)
              transform_output(m_k + tx, m_stride, bias ? bias[k] : 0.f, y0 + 2 * tx,
                               y1 ? y1 + 2 * tx : nullptr, min(2 * L, ow - 2 * tx));
          }
        }
      }
    });
  }
};


// A table's narrower transform vectors: Micro::TransformVec where it names
// one (the avx512 table's 8 lanes), else Micro::Vec.
template <class Micro, class = void>
struct TransformVecOf {
  using type = typename Micro::Vec;
};
template <class Micro>
struct TransformVecOf<Micro, std::void_t<typename Micro::TransformVec>> {
  using type = typename Micro::TransformVec;
};

// What conv_gemm.h calls: the table's full-width transforms, or its narrower
// ones where full width would round a tile row up further (VGG's 16x16 planes
// have 8 tiles a row: 16 lanes would compute as many again past them, while
// on wider rows 16 lanes measure ~8% faster; `cnn bench conv-fwd`).
template <class Micro>
struct ConvWinograd {
  using Shape = WinogradShape;
  using Wide = WinogradTiles<Micro, typename Micro::Vec>;
  using Narrow = WinogradTiles<Micro, typename TransformVecOf<Micro>::type>;
  static bool narrow(const Shape& s) { return Narrow::plan(s).twl < Wide::plan(s).twl; }

  static bool applies(const Shape& s, int kh, int kw, int stride) {
    return Wide::applies(s, kh, kw, stride);
  }
  static int parts(const Shape& s) { return narrow(s) ? Narrow::parts(s) : Wide::parts(s); }
  static size_t floats(const Shape& s, int parts) {
    return narrow(s) ? Narrow::floats(s, parts) : Wide::floats(s, parts);
  }
  static void forward(const Shape& s, const float* x, const float* w, bool transposed,
                      const float* bias, float* y, float* scratch, int parts) {
    if (narrow(s)) return Narrow::forward(s, x, w, transposed, bias, y, scratch, parts);
    Wide::forward(s, x, w, transposed, bias, y, scratch, parts);
  }
};

}  // namespace cnn::kernels
