// The avx2 table (AVX2 + FMA): blocked GEMM and convolution-as-GEMM around the
// 6x16 micro-kernel. Average pooling stays scalar
// (memory-bound and rare); max pooling has a branch-free 2x2 path.
#include <immintrin.h>

#include "kernels/conv_gemm.h"
#include "kernels/elementwise.h"
#include "kernels/pool2x2.h"
#include "kernels/scalar/scalar.h"
#include "kernels/x86/x86.h"

namespace cnn::kernels {
namespace avx2 {

// The vector vocabulary of the generic kernels (conv_dot.h, elementwise.h).
struct Vec {
  static constexpr int lanes = 8;
  using V = __m256;
  static V splat(float f) { return _mm256_set1_ps(f); }
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  // The first n lanes (0 <= n <= lanes); masked, so nothing past them is touched.
  static __m256i first(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static V load_first(const float* p, int n) { return _mm256_maskload_ps(p, first(n)); }
  static void store_first(float* p, V v, int n) { _mm256_maskstore_ps(p, first(n), v); }
  static V madd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static float sum(V v) {  // halves added pairwise: a fixed order
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    return _mm_cvtss_f32(_mm_add_ss(q, _mm_movehdup_ps(q)));
  }
  static V relu(V x) { return _mm256_max_ps(x, _mm256_setzero_ps()); }  // NaN -> 0
  static V pass_if_positive(V x, V g) {
    return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), g);
  }
  // For 2x2 max pooling (pool2x2.h).
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  using M = __m256;
  static M gt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static M eq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static V select(M m, V a, V b) { return _mm256_blendv_ps(b, a, m); }  // m ? a : b
  static V iota() { return _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7); }
  static void deinterleave(V lo, V hi, V& even, V& odd) {
    // shuffle works within 128-bit halves; permute4x64 puts the halves in order
    const __m256 e = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
    const __m256 o = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1));
    even = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
    odd = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), _MM_SHUFFLE(3, 1, 2, 0)));
  }
  static void interleave(V even, V odd, V& lo, V& hi) {
    const __m256 l = _mm256_unpacklo_ps(even, odd), h = _mm256_unpackhi_ps(even, odd);
    lo = _mm256_permute2f128_ps(l, h, 0x20);
    hi = _mm256_permute2f128_ps(l, h, 0x31);
  }
  static void store_int(int32_t* p, V v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_cvttps_epi32(v));
  }
  static V load_int(const int32_t* p) {
    return _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
};

}  // namespace avx2
namespace {

struct Micro {
  static constexpr int mr = 6, nr = 16;               // register tile
  static constexpr int kc = 256, mc = 72, nc = 1024;  // cache blocks
  using Vec = avx2::Vec;
  static constexpr int direct_floats = 8192;        // see ConvGemm::forward_direct
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
