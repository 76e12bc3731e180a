// The WebAssembly SIMD128 table and its GEMM micro-kernel. The files here are
// the only ones compiled with -msimd128 (sources.cmake).
#pragma once
#include "kernels/gemm_driver.h"
#include "kernels/kernels.h"

namespace cnn::kernels {

// C (4 x 16) = init + sum_p a[4p..4p+3] (x) b[16p..16p+15]; SIMD128 (no FMA:
// multiply then add).
void f32_gemm_ukernel_4x16__wasm_simd128(int kc, const float* a, const float* b, float* c,
                                         int ldc, TileInit init, const float* bias);
// C (6 x 8), same contract.
void f32_gemm_ukernel_6x8__wasm_simd128(int kc, const float* a, const float* b, float* c, int ldc,
                                        TileInit init, const float* bias);

const KernelTable& wasm_simd128_kernels();

}  // namespace cnn::kernels
