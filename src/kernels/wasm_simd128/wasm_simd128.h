// The WebAssembly SIMD128 table and its GEMM micro-kernel. The files here are
// the only ones compiled with -msimd128 (sources.cmake).
#pragma once
#include "kernels/gemm_driver.h"
#include "kernels/kernels.h"

namespace cnn::kernels {

// C (6 x 8) = init + sum_p a[6p..6p+5] (x) b[8p..8p+7]; SIMD128 (no fused
// multiply-add: multiply, then add).
void f32_gemm_ukernel_4x8__wasm_simd128(int kc, const float* a, const float* b, float* c, int ldc,
                                        TileInit init, const float* bias);

const KernelTable& wasm_simd128_kernels();

}  // namespace cnn::kernels
