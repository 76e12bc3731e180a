// The avx2 table (AVX2 + FMA): blocked GEMM and convolution-as-GEMM around the
// 6x16 micro-kernel. Average pooling stays scalar
// (memory-bound and rare); max pooling has a branch-free 2x2 path.
#include <immintrin.h>

#include "kernels/conv_gemm.h"
#include "kernels/elementwise.h"
#include "kernels/pool2x2.h"
#include "kernels/scalar/scalar.h"
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
  static const KernelTable table = {
      "avx2",
      Gemm<Micro>::gemm,
      ConvGemm<Micro>::forward,
      ConvGemm<Micro>::backward_input,
      ConvGemm<Micro>::backward_weights,
      MaxPool2x2<avx2::Vec>::forward,
      MaxPool2x2<avx2::Vec>::backward,
      f32_avgpool2d_forward__scalar,
      f32_avgpool2d_backward__scalar,
      Elementwise<avx2::Vec>::relu_forward,
      Elementwise<avx2::Vec>::relu_backward,
      Micro::mr,
      Micro::nr,
      Micro::kc,
      Micro::mc,
      Micro::nc,
  };
  return table;
}

}  // namespace cnn::kernels
