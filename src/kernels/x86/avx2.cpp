// The avx2 table (AVX2 + FMA): blocked GEMM and convolution-as-GEMM around the
// 6x16 micro-kernel, filled by make_simd_table (simd_table.h).
#include <immintrin.h>

#include "kernels/simd_table.h"
#include "kernels/x86/avx2_vec.h"
#include "kernels/x86/x86.h"

namespace cnn::kernels {
namespace {

struct Micro {
  static constexpr int mr = 6, nr = 16;               // register tile
  static constexpr int kc = 256, mc = 72, nc = 1024;  // cache blocks
  using Vec = avx2::Vec;
  static constexpr int direct_floats = 8192;        // see ConvGemm::forward_direct
  static constexpr int winograd5_channels = 16;  // see ConvWinograd::applies
  static constexpr int dot_rows = 3, dot_taps = 4;  // 12 accumulators of 16 ymm
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, TileInit init,
                   const float* bias) {
    f32_gemm_ukernel_6x16__avx2(kc, a, b, c, ldc, init, bias);
  }
};

}  // namespace

const KernelTable& avx2_kernels() {
  static constexpr KernelTable table = make_simd_table<Micro>("avx2");
  return table;
}

}  // namespace cnn::kernels
