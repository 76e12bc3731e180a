// The blocked GEMM every SIMD table shares (the Goto/BLIS scheme), generic over
// a register-tile micro-kernel. Only the per-ISA table files include it, so it
// is compiled with that ISA's flags; everything is a template on the
// micro-kernel type, so the ISAs' copies never merge at link time.
//
//   for each column block j0 (nc columns of op(B))
//     for each depth block p0 (kc rows of op(B))
//       pack op(B)[p0:+kc, j0:+nc] into nr-wide panels   (stays in L2)
//       for each row block i0 (mc rows of op(A))
//         pack op(A)[i0:+mc, p0:+kc] into mr-tall panels (stays in L2)
//         for each nr panel (stays in L1), each mr panel: micro-kernel -> mr x nr of C
//
// The sources of A and B are callables, so convolution can pack straight from
// the image (im2col fused into packing) and a caller can hand out panels it
// packed once. Each element of C is always computed by the same operations
// in the same order, whatever block or thread it falls in: results do not
// depend on how the work is split.
#pragma once
#include <cstddef>
#include <cstring>

namespace cnn::kernels {

// How a micro-kernel starts its accumulators: zero, the current C, or a
// per-row bias (bias[0..mr)).
enum class TileInit { kZero, kLoad, kBias };

// A 64-byte aligned, growing buffer of the calling thread (threads.cpp).
float* thread_scratch(size_t floats);

// Micro must provide: static constexpr int mr, nr (register tile), kc, mc, nc
// (cache blocking), and
//   static void tile(int kc, const float* a, const float* b, float* c, int ldc,
//                    TileInit init, const float* bias);
// computing C (mr x nr) = init + sum_p a[p*mr + i] * b[p*nr + j].
template <class Micro>
struct Gemm {
  static constexpr int MR = Micro::mr, NR = Micro::nr;
  static constexpr int KC = Micro::kc, MC = Micro::mc, NC = Micro::nc;
  static_assert(MC % MR == 0 && NC % NR == 0);

  static int min(int a, int b) { return a < b ? a : b; }
  static int round_up(int v, int to) { return (v + to - 1) / to * to; }

  // Depth is cut into equal blocks of at most KC (576 -> 288 + 288, not 256+256+64).
  static int depth_blocks(int k) { return k <= KC ? 1 : (k + KC - 1) / KC; }
  static int depth_begin(int k, int block, int blocks) {
    return int((long long)k * block / blocks);
  }

  // Scratch for one thread: a packed A block and a packed B block.
  static constexpr size_t kABufferFloats = size_t(MC) * KC;
  static constexpr size_t kBBufferFloats = size_t(KC) * NC;

  // op(A)[i0:+mc, p0:+kc] -> panels of MR rows; panel q holds (i, p) at
  // q*MR*kc + p*MR + i. Rows past mc are zero.
  static void pack_a(bool trans, const float* a, int lda, int i0, int mc, int p0, int kc,
                     float* dst) {
    for (int q = 0; q < mc; q += MR, dst += MR * kc) {
      const int rows = min(MR, mc - q);
      if (trans) {  // op(A)(i, p) = a[p * lda + i]: MR contiguous floats per p
        const float* src = a + size_t(p0) * lda + i0 + q;
        if (rows == MR) {
          for (int p = 0; p < kc; ++p, src += lda)
            std::memcpy(dst + p * MR, src, sizeof(float) * MR);
        } else {
          for (int p = 0; p < kc; ++p, src += lda) {
            for (int i = 0; i < rows; ++i) dst[p * MR + i] = src[i];
            for (int i = rows; i < MR; ++i) dst[p * MR + i] = 0.f;
          }
        }
      } else {  // op(A)(i, p) = a[i * lda + p]: interleave MR rows
        for (int i = 0; i < MR; ++i) {
          if (i < rows) {
            const float* src = a + size_t(i0 + q + i) * lda + p0;
            for (int p = 0; p < kc; ++p) dst[p * MR + i] = src[p];
          } else {
            for (int p = 0; p < kc; ++p) dst[p * MR + i] = 0.f;
          }
        }
      }
    }
  }

  // One row of op(B) (row p, columns j0:+nc, given contiguous in `line`) into
  // the panels; columns past nc are zero.
  // (Fixed-size memcpy: the compiler cannot prove line and dst apart, and
  // would otherwise copy float by float.)
  static void pack_b_row(const float* line, int p, int kc, int nc, float* dst) {
    int q = 0;
    for (; q + NR <= nc; q += NR)
      std::memcpy(dst + size_t(q) * kc + size_t(p) * NR, line + q, sizeof(float) * NR);
    if (q < nc) {
      float* d = dst + size_t(q) * kc + size_t(p) * NR;
      std::memcpy(d, line + q, sizeof(float) * (nc - q));
      for (int j = nc - q; j < NR; ++j) d[j] = 0.f;
    }
  }

  // op(B)[p0:+kc, j0:+nc] -> panels of NR columns; panel q holds (p, j) at
  // q*kc*NR... i.e. the panel starting at column q (a multiple of NR) begins
  // at q*kc, element (p, j) at p*NR + j. Columns past nc are zero.
  static void pack_b(bool trans, const float* b, int ldb, int p0, int kc, int j0, int nc,
                     float* dst) {
    if (!trans) {
      for (int p = 0; p < kc; ++p) pack_b_row(b + size_t(p0 + p) * ldb + j0, p, kc, nc, dst);
      return;
    }
    // op(B)(p, j) = b[j * ldb + p]: read each row of b once, scatter by NR.
    for (int j = 0; j < round_up(nc, NR); ++j) {
      float* d = dst + size_t(j / NR * NR) * kc + j % NR;
      if (j < nc) {
        const float* src = b + size_t(j0 + j) * ldb + p0;
        for (int p = 0; p < kc; ++p) d[p * NR] = src[p];
      } else {
        for (int p = 0; p < kc; ++p) d[p * NR] = 0.f;
      }
    }
  }

  // One register tile, with rows x cols of it inside C. Edge tiles run the
  // same micro-kernel on a local tile, so they compute exactly what a full
  // tile would.
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, int rows, int cols,
                   TileInit init, const float* bias) {
    if (rows == MR && cols == NR) {
      Micro::tile(kc, a, b, c, ldc, init, bias);
      return;
    }
    alignas(64) float t[MR * NR];
    float padded_bias[MR] = {};
    if (init == TileInit::kLoad)
      for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) t[i * NR + j] = c[size_t(i) * ldc + j];
    if (init == TileInit::kBias)
      for (int i = 0; i < rows; ++i) padded_bias[i] = bias[i];
    Micro::tile(kc, a, b, t, NR, init, padded_bias);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) c[size_t(i) * ldc + j] = t[i * NR + j];
  }

  // C (m x n) = op(A) * op(B) [+ C when accumulate] [+ bias per row, when
  // !accumulate]. pack_a(i0, mc, p0, kc, buf) and pack_b(p0, kc, j0, nc, buf)
  // return the packed block: usually buf, or panels packed beforehand.
  template <class PackA, class PackB>
  static void run(int m, int n, int k, const PackA& pack_a, const PackB& pack_b, float* c, int ldc,
                  const float* bias, bool accumulate, float* a_buf, float* b_buf) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
      if (!accumulate)
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < n; ++j) c[size_t(i) * ldc + j] = bias ? bias[i] : 0.f;
      return;
    }
    const int blocks = depth_blocks(k);
    for (int j0 = 0; j0 < n; j0 += NC) {
      const int nc = min(NC, n - j0);
      for (int block = 0; block < blocks; ++block) {
        const int p0 = depth_begin(k, block, blocks), kc = depth_begin(k, block + 1, blocks) - p0;
        const float* pb = pack_b(p0, kc, j0, nc, b_buf);
        const TileInit init = block > 0 || accumulate ? TileInit::kLoad
                              : bias                  ? TileInit::kBias
                                                      : TileInit::kZero;
        for (int i0 = 0; i0 < m; i0 += MC) {
          const int mc = min(MC, m - i0);
          const float* pa = pack_a(i0, mc, p0, kc, a_buf);
          for (int jr = 0; jr < nc; jr += NR)
            for (int ir = 0; ir < mc; ir += MR)
              tile(kc, pa + size_t(ir) * kc, pb + size_t(jr) * kc,
                   c + size_t(i0 + ir) * ldc + j0 + jr, ldc, min(MR, mc - ir), min(NR, nc - jr),
                   init, bias ? bias + i0 + ir : nullptr);
        }
      }
    }
  }

  // Packs all of op(A) (m x k) the way run() asks for it, so callers reusing
  // A across many calls pack it once: block (i0, p0) sits at
  // p0 * round_up(m, MR) + i0 * kc.
  static size_t packed_a_floats(int m, int k) { return size_t(round_up(m, MR)) * k; }
  static void pack_a_all(bool trans, const float* a, int lda, int m, int k, float* dst) {
    const int blocks = depth_blocks(k);
    for (int block = 0; block < blocks; ++block) {
      const int p0 = depth_begin(k, block, blocks), kc = depth_begin(k, block + 1, blocks) - p0;
      for (int i0 = 0; i0 < m; i0 += MC)
        pack_a(trans, a, lda, i0, min(MC, m - i0), p0, kc, prepacked(dst, m, i0, p0, kc));
    }
  }
  static const float* prepacked(const float* all, int m, int i0, int p0, int kc) {
    return all + size_t(p0) * round_up(m, MR) + size_t(i0) * kc;
  }
  static float* prepacked(float* all, int m, int i0, int p0, int kc) {
    return all + size_t(p0) * round_up(m, MR) + size_t(i0) * kc;
  }

  // The public gemm: plain matrices, scratch from the calling thread, split
  // over column (or, when C is narrow, row) ranges across the threads.
  static void gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
                   const float* b, int ldb, float* c, int ldc, bool accumulate);
};

}  // namespace cnn::kernels
