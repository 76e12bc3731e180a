// The wasm_simd128 table: blocked GEMM and convolution-as-GEMM around the 4x8
// micro-kernel, filled by make_simd_table (simd_table.h).
#include "kernels/wasm_simd128/wasm_simd128.h"

#include <wasm_simd128.h>

#include "kernels/simd_table.h"

namespace cnn::kernels {
namespace simd128 {

// The vector vocabulary of the generic kernels (conv_dot.h, elementwise.h).
struct Vec {
  static constexpr int lanes = 4;
  using V = v128_t;
  static V splat(float f) { return wasm_f32x4_splat(f); }
  static V zero() { return wasm_f32x4_const_splat(0.f); }
  static V load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, V v) { wasm_v128_store(p, v); }
  // The first n lanes (0 <= n <= lanes); no masked memory access in SIMD128.
  static V load_first(const float* p, int n) {
    alignas(16) float t[4] = {};
    for (int i = 0; i < n; ++i) t[i] = p[i];
    return wasm_v128_load(t);
  }
  static void store_first(float* p, V v, int n) {
    alignas(16) float t[4];
    wasm_v128_store(t, v);
    for (int i = 0; i < n; ++i) p[i] = t[i];
  }
  static V madd(V a, V b, V c) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }  // no FMA
  static float sum(V v) {  // (0 + 2) + (1 + 3): a fixed order
    const V h = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
    return wasm_f32x4_extract_lane(h, 0) + wasm_f32x4_extract_lane(h, 1);
  }
  static V relu(V x) {  // select, not max: NaN -> 0 as in the scalar loop
    return wasm_v128_and(wasm_f32x4_gt(x, zero()), x);
  }
  static V pass_if_positive(V x, V g) { return wasm_v128_and(wasm_f32x4_gt(x, zero()), g); }
  // For 2x2 max pooling (pool2x2.h).
  static V add(V a, V b) { return wasm_f32x4_add(a, b); }
  static V sub(V a, V b) { return wasm_f32x4_sub(a, b); }
  using M = v128_t;
  static M gt(V a, V b) { return wasm_f32x4_gt(a, b); }
  static M eq(V a, V b) { return wasm_f32x4_eq(a, b); }
  static V select(M m, V a, V b) { return wasm_v128_bitselect(a, b, m); }  // m ? a : b
  static V iota() { return wasm_f32x4_make(0, 1, 2, 3); }
  static void deinterleave(V lo, V hi, V& even, V& odd) {
    even = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
    odd = wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7);
  }
  static void interleave(V even, V odd, V& lo, V& hi) {
    lo = wasm_i32x4_shuffle(even, odd, 0, 4, 1, 5);
    hi = wasm_i32x4_shuffle(even, odd, 2, 6, 3, 7);
  }
  static void store_int(int32_t* p, V v) { wasm_v128_store(p, wasm_i32x4_trunc_sat_f32x4(v)); }
  static V load_int(const int32_t* p) { return wasm_f32x4_convert_i32x4(wasm_v128_load(p)); }
};

}  // namespace simd128
namespace {

struct Micro {
  static constexpr int mr = 4, nr = 8;               // register tile
  static constexpr int kc = 192, mc = 64, nc = 256;  // cache blocks
  using Vec = simd128::Vec;
  static constexpr int direct_floats = 4096;        // see ConvGemm::forward_direct
  static constexpr int winograd5_channels = 8;  // see ConvWinograd::applies
  // 8 accumulators: with 3 x 3 (9 + 3 + 1 live vectors) V8 spills registers
  // in the inner loop, which makes weight gradients of layers with few input
  // channels (CIFAR's 3 -> 16, 5x5) markedly slower.
  static constexpr int dot_rows = 4, dot_taps = 2;
  static void tile(int kc, const float* a, const float* b, float* c, int ldc, TileInit init,
                   const float* bias) {
    f32_gemm_ukernel_4x8__wasm_simd128(kc, a, b, c, ldc, init, bias);
  }
};

}  // namespace

const KernelTable& wasm_simd128_kernels() {
  static constexpr KernelTable table = make_simd_table<Micro>("wasm_simd128");
  return table;
}

}  // namespace cnn::kernels
