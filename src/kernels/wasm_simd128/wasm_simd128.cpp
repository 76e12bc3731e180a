// The wasm_simd128 table: blocked GEMM and convolution-as-GEMM around the 4x8
// micro-kernel. Pooling stays scalar: it is memory-bound and small.
#include "kernels/wasm_simd128/wasm_simd128.h"

#include "kernels/conv_gemm.h"
#include "kernels/scalar/scalar.h"

namespace cnn::kernels {
namespace {

struct Micro {
  static constexpr int mr = 4, nr = 8;               // register tile
  static constexpr int kc = 192, mc = 64, nc = 256;  // cache blocks
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, TileInit init,
                   const float* bias) {
    f32_gemm_ukernel_4x8__wasm_simd128(kc, a, b, c, ldc, init, bias);
  }
};

}  // namespace

const KernelTable& wasm_simd128_kernels() {
  static const KernelTable table = {
      "wasm_simd128",
      Gemm<Micro>::gemm,
      ConvGemm<Micro>::forward,
      ConvGemm<Micro>::backward_input,
      ConvGemm<Micro>::backward_weights,
      f32_maxpool2d_forward__scalar,
      f32_maxpool2d_backward__scalar,
      f32_avgpool2d_forward__scalar,
      f32_avgpool2d_backward__scalar,
      Micro::mr,
      Micro::nr,
      Micro::kc,
      Micro::mc,
      Micro::nc,
  };
  return table;
}

}  // namespace cnn::kernels
