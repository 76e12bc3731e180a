// The avx512 table (AVX-512F): blocked GEMM and convolution-as-GEMM around the
// 8x32 micro-kernel, filled by make_simd_table (simd_table.h).
#include <immintrin.h>

#include "kernels/simd_table.h"
#include "kernels/x86/avx2_vec.h"
#include "kernels/x86/x86.h"

namespace cnn::kernels {
namespace avx512 {

// The vector vocabulary of the generic kernels (conv_dot.h, elementwise.h).
struct Vec {
  static constexpr int lanes = 16;
  using V = __m512;
  static V splat(float f) { return _mm512_set1_ps(f); }
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  // The first n lanes (0 <= n <= lanes); masked, so nothing past them is touched.
  static V load_first(const float* p, int n) {
    return _mm512_maskz_loadu_ps(__mmask16((1u << n) - 1), p);
  }
  static void store_first(float* p, V v, int n) {
    _mm512_mask_storeu_ps(p, __mmask16((1u << n) - 1), v);
  }
  static V madd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static float sum(V v) {  // halves added pairwise: a fixed order
    // (Through memory: GCC 12 warns about its own _mm512 extract intrinsics.)
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    for (int half = 8; half > 0; half /= 2)
      for (int i = 0; i < half; ++i) t[i] += t[i + half];
    return t[0];
  }
  static V relu(V x) { return pass_if_positive(x, x); }  // NaN -> 0
  static V pass_if_positive(V x, V g) {
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), g);
  }
  // For 2x2 max pooling (pool2x2.h).
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  using M = __mmask16;
  static M gt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static M eq(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static V select(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }  // m ? a : b
  static V iota() { return _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }
  static void deinterleave(V lo, V hi, V& even, V& odd) {
    const __m512i e = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    even = _mm512_permutex2var_ps(lo, e, hi);
    odd = _mm512_permutex2var_ps(lo, _mm512_add_epi32(e, _mm512_set1_epi32(1)), hi);
  }
  static void interleave(V even, V odd, V& lo, V& hi) {
    const __m512i l = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    lo = _mm512_permutex2var_ps(even, l, odd);
    hi = _mm512_permutex2var_ps(even, _mm512_add_epi32(l, _mm512_set1_epi32(8)), odd);
  }
  // (maskz forms: GCC 12 warns about the plain ones)
  static void store_int(int32_t* p, V v) {
    _mm512_storeu_si512(p, _mm512_maskz_cvttps_epi32(0xffff, v));
  }
  static V load_int(const int32_t* p) {
    return _mm512_maskz_cvtepi32_ps(0xffff, _mm512_loadu_si512(p));
  }
};

}  // namespace avx512
namespace {

struct Micro {
  static constexpr int mr = 8, nr = 32;               // register tile
  static constexpr int kc = 256, mc = 128, nc = 512;  // cache blocks
  using Vec = avx512::Vec;
  using TransformVec = avx2::Vec;  // Winograd on rows of <= 8 tiles (conv_winograd.h)
  static constexpr int direct_floats = 8192;        // see ConvGemm::forward_direct
  static constexpr int winograd5_channels = 16;  // see ConvWinograd::applies
  static constexpr int dot_rows = 4, dot_taps = 6;  // 24 accumulators of 32 zmm
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, TileInit init,
                   const float* bias) {
    f32_gemm_ukernel_8x32__avx512(kc, a, b, c, ldc, init, bias);
  }
};

// 2x2 max pooling of rows narrower than 16 windows (MNIST's 14) runs 8
// windows at a time with the AVX2 table's code (an AVX-512 CPU has AVX2);
// 16-wide vectors would take them through padded copies. Rows under 8
// windows (MNIST's 7) still go through the AVX2 table's padded copies.
struct MaxPool {
  static bool narrow(const PoolShape& s) { return s.ow() < 16; }
  static void forward(const PoolShape& s, const float* x, float* y, int32_t* argmax) {
    if (narrow(s)) return avx2_kernels().maxpool2d_forward(s, x, y, argmax);
    MaxPool2x2<avx512::Vec>::forward(s, x, y, argmax);
  }
  static void backward(const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) {
    if (narrow(s)) return avx2_kernels().maxpool2d_backward(s, dy, argmax, dx);
    MaxPool2x2<avx512::Vec>::backward(s, dy, argmax, dx);
  }
};

}  // namespace

const KernelTable& avx512_kernels() {
  static constexpr KernelTable table = make_simd_table<Micro, MaxPool>("avx512");
  return table;
}

}  // namespace cnn::kernels
