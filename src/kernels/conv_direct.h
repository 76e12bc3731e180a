// Register tile of a stride-1 convolution that reads the input planes in
// place, generic over a table's vector vocabulary (Vec, see elementwise.h);
// included only by the per-ISA table files.
//
// On wide rows (conv_gemm.h) tap (c, ky, kx) of output column j is
// xp[c][ky*Wp + kx + j]: NR consecutive columns are NR consecutive floats of
// the padded plane. So when the packed B panel would be used by one or two
// row panels only (few output channels) or a tap panel fits L1 anyway,
// loading B straight from the planes beats copying it into panels first.
#pragma once
#include "kernels/gemm_driver.h"

namespace cnn::kernels {

// Where the taps of one output column sit in a padded sample.
struct DirectTaps {
  int c, kh, kw;
  size_t plane;  // Hp * Wp
  int wp;
};

// ROWS output channels (ROWS <= the A panel's height AS, the rest unused)
// by NV vectors of output columns.
template <class Vec, int ROWS, int NV, int AS>
struct ConvDirect {
  static constexpr int L = Vec::lanes, NR = NV * L;
  using V = typename Vec::V;

  // c (ROWS x NR) = init + sum over taps p of a[p*AS + i] * x(p)[j], where
  // x(p) is the plane of tap p shifted to it: a is a packed AS-row panel of
  // the weights (taps in (c, ky, kx) order), x the padded sample at column j0.
  static void tile(const DirectTaps& t, const float* a, const float* x, float* c, int ldc,
                   TileInit init, const float* bias) {
    V acc[ROWS][NV];
    for (int i = 0; i < ROWS; ++i)
      for (int v = 0; v < NV; ++v)
        acc[i][v] = init == TileInit::kBias ? Vec::splat(bias[i]) : Vec::zero();
    for (int ch = 0; ch < t.c; ++ch, x += t.plane)
      for (int ky = 0; ky < t.kh; ++ky) {
        const float* row = x + size_t(ky) * t.wp;
        for (int kx = 0; kx < t.kw; ++kx, a += AS) {
          V b[NV];
          for (int v = 0; v < NV; ++v) b[v] = Vec::load(row + kx + v * L);
          for (int i = 0; i < ROWS; ++i) {
            const V ai = Vec::splat(a[i]);
            for (int v = 0; v < NV; ++v) acc[i][v] = Vec::madd(ai, b[v], acc[i][v]);
          }
        }
      }
    for (int i = 0; i < ROWS; ++i)
      for (int v = 0; v < NV; ++v) Vec::store(c + size_t(i) * ldc + v * L, acc[i][v]);
  }
};

}  // namespace cnn::kernels
