// The avx512 table (AVX-512F): blocked GEMM and convolution-as-GEMM around the
// 8x32 micro-kernel. Pooling stays scalar: it is memory-bound and small.
#include "kernels/conv_gemm.h"
#include "kernels/scalar/scalar.h"
#include "kernels/x86/x86.h"

namespace cnn::kernels {
namespace {

struct Micro {
  static constexpr int mr = 8, nr = 32;               // register tile
  static constexpr int kc = 256, mc = 128, nc = 512;  // cache blocks
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, TileInit init,
                   const float* bias) {
    f32_gemm_ukernel_8x32__avx512(kc, a, b, c, ldc, init, bias);
  }
};

}  // namespace

const KernelTable& avx512_kernels() {
  static const KernelTable table = {
      "avx512",
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
