// The avx2 table (AVX2 + FMA): blocked GEMM and convolution-as-GEMM around the
// 6x16 micro-kernel. Pooling stays scalar: it is memory-bound and small.
#include "kernels/conv_gemm.h"
#include "kernels/scalar/scalar.h"
#include "kernels/x86/x86.h"

namespace cnn::kernels {
namespace {

struct Micro {
  static constexpr int mr = 6, nr = 16;               // register tile
  static constexpr int kc = 256, mc = 72, nc = 1024;  // cache blocks
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, TileInit init,
                   const float* bias) {
    f32_gemm_ukernel_6x16__avx2(kc, a, b, c, ldc, init, bias);
  }
};

}  // namespace

const KernelTable& avx2_kernels() {
  static const KernelTable table = {
      "avx2",
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
