// GEMM micro-kernel, 6 x 16 register tile, AVX2 + FMA: 12 accumulators, two
// B vectors and one broadcast A value live in the 16 ymm registers.
#include <immintrin.h>

#include "kernels/x86/x86.h"

namespace cnn::kernels {

void f32_gemm_ukernel_6x16__avx2(int kc, const float* a, const float* b, float* c, int ldc,
                                 TileInit init, const float* bias) {
  constexpr int MR = 6;
  __m256 acc[MR][2];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    if (init == TileInit::kLoad) {
      acc[i][0] = _mm256_loadu_ps(c + i * ldc);
      acc[i][1] = _mm256_loadu_ps(c + i * ldc + 8);
    } else {
      acc[i][0] = acc[i][1] =
          init == TileInit::kBias ? _mm256_set1_ps(bias[i]) : _mm256_setzero_ps();
    }
  }
  // Main loop: one rank-1 update of the tile per depth step.
  for (int p = 0; p < kc; ++p, a += MR, b += 16) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    _mm256_storeu_ps(c + i * ldc, acc[i][0]);
    _mm256_storeu_ps(c + i * ldc + 8, acc[i][1]);
  }
}

}  // namespace cnn::kernels
