// The x86 tables and their GEMM micro-kernels. Each .cpp here is compiled with
// its own ISA flags (sources.cmake); dispatch.cpp only calls a table after
// checking the CPU supports it.
#pragma once
#include "kernels/gemm_driver.h"
#include "kernels/kernels.h"

namespace cnn::kernels {

// C (6 x 16) = init + sum_p a[6p..6p+5] (x) b[16p..16p+15]; AVX2 + FMA.
void f32_gemm_ukernel_6x16__avx2(int kc, const float* a, const float* b, float* c, int ldc,
                                 TileInit init, const float* bias);
// C (8 x 32) = init + sum_p a[8p..8p+7] (x) b[32p..32p+31]; AVX-512F.
void f32_gemm_ukernel_8x32__avx512(int kc, const float* a, const float* b, float* c, int ldc,
                                   TileInit init, const float* bias);

const KernelTable& avx2_kernels();
const KernelTable& avx512_kernels();

}  // namespace cnn::kernels
