// The KernelTable of a SIMD instruction set, filled from its Micro (register
// tile, cache blocks, vector vocabulary, GEMM micro-kernel): every slot is
// listed once here, so the variants differ only in what they plug in.
// Included only by the per-ISA files, which are compiled with their ISA flags.
// Average pooling stays scalar everywhere (memory-bound and rare).
#pragma once
#include "kernels/conv_gemm.h"
#include "kernels/conv_gemm_backward.h"
#include "kernels/elementwise.h"
#include "kernels/kernels.h"
#include "kernels/pool2x2.h"
#include "kernels/scalar/scalar.h"

namespace cnn::kernels {

// MaxPool: the 2x2 max pooling of Micro's vectors unless the variant brings
// its own (forward/backward with the KernelTable's signatures).
template <class Micro, class MaxPool = MaxPool2x2<typename Micro::Vec>>
constexpr KernelTable make_simd_table(const char* name) {
  using Vec = typename Micro::Vec;
  return {
      name,
      Gemm<Micro>::gemm,
      ConvGemm<Micro>::forward,
      ConvGemm<Micro>::backward_input,
      ConvGemm<Micro>::backward_weights,
      MaxPool::forward,
      MaxPool::backward,
      f32_avgpool2d_forward__scalar,
      f32_avgpool2d_backward__scalar,
      Elementwise<Vec>::relu_forward,
      Elementwise<Vec>::relu_backward,
      Micro::mr,
      Micro::nr,
      Micro::kc,
      Micro::mc,
      Micro::nc,
  };
}

}  // namespace cnn::kernels
