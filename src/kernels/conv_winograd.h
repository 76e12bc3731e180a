// Winograd convolution as conv_gemm.h calls it: which F(MxM, RxR) and which
// transform width suits a shape (winograd_tiles.h has the algorithm).
// Included only by the per-ISA table files through conv_gemm.h.
#pragma once
#include <type_traits>

#include "kernels/winograd_tiles.h"

namespace cnn::kernels {

// A table's narrower transform vectors: Micro::TransformVec where it names
// one (the avx512 table's 8 lanes), else Micro::Vec.
template <class Micro, class = void>
struct TransformVecOf {
  using type = typename Micro::Vec;
};
template <class Micro>
struct TransformVecOf<Micro, std::void_t<typename Micro::TransformVec>> {
  using type = typename Micro::TransformVec;
};

// What conv_gemm.h calls: one of the algorithm's variants per shape.
//  - F(4x4, 3x3): 36 multiplications per 16 outputs against 64 for F(2x2,
//    3x3), but pricier transforms and 36 transformed weight matrices against
//    16, and tile rows of M * L outputs round a small plane up further. It
//    runs where its GEMMs have under 3/4 of F(2x2)'s columns x products:
//    that picks it for 56x56 and 32x32 planes, where it is faster, and not
//    for 16x16 ones, where it is slower (`cnn bench conv-fwd` compares).
//  - The table's narrower transform vectors where full width would round a
//    tile row up further (VGG's 16x16 planes have 8 tiles a row at F(2x2):
//    16 lanes would compute as many again past them), while on wider rows
//    16 lanes are faster.
template <class Micro>
struct ConvWinograd {
  using Shape = WinogradShape;
  using Narrow = typename TransformVecOf<Micro>::type;
  template <int M, int R = 3>
  using Wide = WinogradTiles<Micro, typename Micro::Vec, M, R>;
  template <int M, int R = 3>
  using Thin = WinogradTiles<Micro, Narrow, M, R>;

  // GEMM columns (tiles, rows rounded up to the vector) times products per tile.
  template <class W>
  static double gemm_cost(const Shape& s) {
    const auto p = W::plan(s);
    return double(W::T) * p.units * p.twl;
  }
  // 0..3: F(2x2, 3x3) wide, narrow, F(4x4, 3x3) wide, narrow; 4, 5: F(2x2, 5x5).
  static int variant(const Shape& s) {
    if (s.r == 5) return gemm_cost<Thin<2, 5>>(s) < gemm_cost<Wide<2, 5>>(s) ? 5 : 4;
    const double wide2 = gemm_cost<Wide<2>>(s), thin2 = gemm_cost<Thin<2>>(s);
    const double wide4 = gemm_cost<Wide<4>>(s), thin4 = gemm_cost<Thin<4>>(s);
    const double f2 = wide2 < thin2 ? wide2 : thin2, f4 = wide4 < thin4 ? wide4 : thin4;
    if (f4 < 0.75 * f2) return thin4 < wide4 ? 3 : 2;
    return thin2 < wide2 ? 1 : 0;
  }
  template <class F>
  static auto with_variant(const Shape& s, F f) {
    switch (variant(s)) {
      case 0: return f(Wide<2>{});
      case 1: return f(Thin<2>{});
      case 2: return f(Wide<4>{});
      case 3: return f(Thin<4>{});
      case 4: return f(Wide<2, 5>{});
      default: return f(Thin<2, 5>{});
    }
  }

  static bool applies(const Shape& s, int kh, int kw, int stride) {
    return s.r == 5 ? Wide<2, 5>::applies(s, kh, kw, stride) : Wide<2>::applies(s, kh, kw, stride);
  }
  static int parts(const Shape& s) {
    return with_variant(s, [&](auto w) { return decltype(w)::parts(s); });
  }
  static size_t floats(const Shape& s, int parts) {
    return with_variant(s, [&](auto w) { return decltype(w)::floats(s, parts); });
  }
  static void forward(const Shape& s, const float* x, const float* w, bool transposed,
                      const float* bias, float* y, float* scratch, int parts) {
    with_variant(s, [&](auto v) {
      decltype(v)::forward(s, x, w, transposed, bias, y, scratch, parts);
      return 0;
    });
  }
};

}  // namespace cnn::kernels
