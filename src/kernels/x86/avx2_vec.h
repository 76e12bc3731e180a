// The AVX2 vector vocabulary of the generic kernels (conv_dot.h,
// elementwise.h, pool2x2.h, conv_winograd.h): the avx2 table's, and the
// avx512 table's 8-lane one for the Winograd transforms.
//
// Internal linkage on purpose: each table file is compiled with its own ISA
// flags, and an inline function with external linkage would be merged at link
// time, so an AVX2-only CPU could end up running the avx512 file's copy.
#pragma once
#include <immintrin.h>

#include <cstdint>

namespace cnn::kernels::avx2 {
namespace {

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


}  // namespace
}  // namespace cnn::kernels::avx2
