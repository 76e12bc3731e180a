// GEMM micro-kernel, 4 x 8 register tile, WebAssembly SIMD128.
//
// Why 4 x 8: engines give wasm the 16 xmm registers of x86, and V8 loads all
// of a loop iteration's operands at its top. 4 x 8 needs 8 accumulators + 2 B
// vectors + 4 broadcast A values + 1 product = 15 registers; 6 x 8 or an
// unrolled depth loop spill and run slower (measured under node 20). There
// is no fused multiply-add in SIMD128, so each step is a multiply and an add.
#include <wasm_simd128.h>

#include "kernels/wasm_simd128/wasm_simd128.h"

namespace cnn::kernels {

void f32_gemm_ukernel_4x8__wasm_simd128(int kc, const float* a, const float* b, float* c, int ldc,
                                        TileInit init, const float* bias) {
  constexpr int MR = 4;
  v128_t acc[MR][2];
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; ++i) {
    if (init == TileInit::kLoad) {
      acc[i][0] = wasm_v128_load(c + i * ldc);
      acc[i][1] = wasm_v128_load(c + i * ldc + 4);
    } else {
      acc[i][0] = acc[i][1] =
          init == TileInit::kBias ? wasm_f32x4_splat(bias[i]) : wasm_f32x4_const_splat(0.f);
    }
  }
  // Main loop: one rank-1 update of the tile per depth step.
  for (const float* end = b + 8 * kc; b != end; a += MR, b += 8) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; ++i) {
      const v128_t ai = wasm_v128_load32_splat(a + i);
      acc[i][0] = wasm_f32x4_add(acc[i][0], wasm_f32x4_mul(ai, b0));
      acc[i][1] = wasm_f32x4_add(acc[i][1], wasm_f32x4_mul(ai, b1));
    }
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; ++i) {
    wasm_v128_store(c + i * ldc, acc[i][0]);
    wasm_v128_store(c + i * ldc + 4, acc[i][1]);
  }
}

}  // namespace cnn::kernels
