// GEMM micro-kernel, 8 x 32 register tile, AVX-512F: 16 zmm accumulators
// (enough to hide the FMA latency on two ports), two B vectors per depth
// step, A values broadcast straight from memory.
#include <immintrin.h>

#include "kernels/x86/x86.h"

namespace cnn::kernels {

void f32_gemm_ukernel_8x32__avx512(int kc, const float* a, const float* b, float* c, int ldc,
                                   TileInit init, const float* bias) {
  constexpr int MR = 8;
  __m512 acc[MR][2];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    if (init == TileInit::kLoad) {
      acc[i][0] = _mm512_loadu_ps(c + i * ldc);
      acc[i][1] = _mm512_loadu_ps(c + i * ldc + 16);
    } else {
      acc[i][0] = acc[i][1] =
          init == TileInit::kBias ? _mm512_set1_ps(bias[i]) : _mm512_setzero_ps();
    }
  }
  // Main loop: one rank-1 update of the tile per depth step.
  for (int p = 0; p < kc; ++p, a += MR, b += 32) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    _mm512_storeu_ps(c + i * ldc, acc[i][0]);
    _mm512_storeu_ps(c + i * ldc + 16, acc[i][1]);
  }
}

}  // namespace cnn::kernels
