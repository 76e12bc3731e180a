// Max pooling over 2x2 windows with stride 2 (the common case), generic over
// a table's vector vocabulary Vec; included only by the per-ISA table files.
// Other windows go to the scalar reference.
//
// The scalar loop's `if (v > best)` mispredicts on about half of the windows
// of real activations; here L windows at a time are four compares feeding
// selects: two input rows of 2L floats are split into even and odd columns,
// and backward interleaves them back. Indices are carried as floats (exact
// below 2^24 per plane) and converted when stored. Ties keep the first
// element in row-major window order, as in the reference.
#pragma once
#include <cstdint>
#include <cstring>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#include "kernels/threads.h"

namespace cnn::kernels {

template <class Vec>
struct MaxPool2x2 {
  static constexpr int L = Vec::lanes;
  using V = typename Vec::V;
  static bool applies(const PoolShape& s) {
    return s.size == 2 && s.stride == 2 && size_t(s.h) * s.w < (1u << 24);
  }

  // f(plane) for every (sample, channel) plane, spread over the threads when
  // the input is large (planes are independent: same bits at any split).
  template <class F>
  static void planes(const PoolShape& s, const F& f) {
    const int count = s.n * s.c;
    const int parts = size_t(count) * s.h * s.w < (size_t(1) << 16) ? 1 : threads();
    parallel_for(parts, [&](int part) {
      for (int p = count * part / parts; p < count * (part + 1) / parts; ++p) f(p);
    });
  }

  // L windows: rows r0, r1 (2L floats each, starting at the windows' left
  // column) -> best values and their plane indices; `first` is the index of
  // r0[0] in the plane, w the plane width.
  static void windows(const float* r0, const float* r1, float first, float w, float* y,
                      int32_t* argmax) {
    V a, b, c, d;
    Vec::deinterleave(Vec::load(r0), Vec::load(r0 + L), a, b);
    Vec::deinterleave(Vec::load(r1), Vec::load(r1 + L), c, d);
    V best = a, at = Vec::zero();  // offset within the window: 0, 1, w, w + 1
    auto take = [&](V v, float offset) {
      const auto m = Vec::gt(v, best);
      at = Vec::select(m, Vec::splat(offset), at);
      best = Vec::select(m, v, best);
    };
    take(b, 1.f);
    take(c, w);
    take(d, w + 1.f);
    Vec::store(y, best);
    const V left = Vec::add(Vec::splat(first), Vec::add(Vec::iota(), Vec::iota()));
    Vec::store_int(argmax, Vec::add(at, left));
  }

  // x (N,C,H,W) -> y (N,C,OH,OW), argmax (N,C,OH,OW) = index within the plane
  static void forward(const PoolShape& s, const float* x, float* y, int32_t* argmax) {
    if (!applies(s)) return f32_maxpool2d_forward__scalar(s, x, y, argmax);
    const int oh = s.oh(), ow = s.ow();
    planes(s, [&](int p) {
      const float* plane = x + size_t(p) * s.h * s.w;
      for (int oy = 0; oy < oh; ++oy) {
        const float* r0 = plane + size_t(2 * oy) * s.w;
        const float* r1 = r0 + s.w;
        float* yo = y + (size_t(p) * oh + oy) * ow;
        int32_t* ao = argmax + (size_t(p) * oh + oy) * ow;
        const int i0 = 2 * oy * s.w;
        int ox = 0;
        for (; ox + L <= ow; ox += L)
          windows(r0 + 2 * ox, r1 + 2 * ox, float(i0 + 2 * ox), float(s.w), yo + ox, ao + ox);
        if (ox == ow) continue;
        if (ow >= L) {  // tail: the last L windows again, overlapping (same values)
          windows(r0 + 2 * (ow - L), r1 + 2 * (ow - L), float(i0 + 2 * (ow - L)), float(s.w),
                  yo + ow - L, ao + ow - L);
          continue;
        }
        // Rows narrower than L windows (e.g. 14 outputs under 16 lanes): the
        // same vector code on copies padded to L windows.
        const int rest = ow - ox;
        alignas(64) float t0[2 * L] = {}, t1[2 * L] = {}, ty[L];
        alignas(64) int32_t ta[L];
        Elementwise<Vec>::copy(t0, r0 + 2 * ox, 2 * rest);
        Elementwise<Vec>::copy(t1, r1 + 2 * ox, 2 * rest);
        windows(t0, t1, float(i0 + 2 * ox), float(s.w), ty, ta);
        Elementwise<Vec>::copy(yo + ox, ty, rest);
        std::memcpy(ao + ox, ta, sizeof(int32_t) * rest);
      }
    });
  }

  // The gradients of L windows: dy values g and their argmax -> 2L floats of
  // each row (dy where the argmax points, else 0).
  static void spread(const float* g, const int32_t* argmax, float first, float w, float* r0,
                     float* r1) {
    const V gv = Vec::load(g), zero = Vec::zero();
    const V left = Vec::add(Vec::splat(first), Vec::add(Vec::iota(), Vec::iota()));
    const V at = Vec::sub(Vec::load_int(argmax), left);  // 0, 1, w or w + 1
    auto pick = [&](float offset) {
      return Vec::select(Vec::eq(at, Vec::splat(offset)), gv, zero);
    };
    V lo, hi;
    Vec::interleave(pick(0.f), pick(1.f), lo, hi);
    Vec::store(r0, lo);
    Vec::store(r0 + L, hi);
    Vec::interleave(pick(w), pick(w + 1.f), lo, hi);
    Vec::store(r1, lo);
    Vec::store(r1 + L, hi);
  }

  // dy (N,C,OH,OW), argmax -> dx (N,C,H,W) (written). Windows do not overlap,
  // so every input gets dy or 0 from its one window; a last odd row or column
  // belongs to no window and is zeroed.
  static void backward(const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) {
    if (!applies(s)) return f32_maxpool2d_backward__scalar(s, dy, argmax, dx);
    const int oh = s.oh(), ow = s.ow();
    planes(s, [&](int p) {
      float* plane = dx + size_t(p) * s.h * s.w;
      for (int oy = 0; oy < oh; ++oy) {
        float* r0 = plane + size_t(2 * oy) * s.w;
        float* r1 = r0 + s.w;
        const float* g = dy + (size_t(p) * oh + oy) * ow;
        const int32_t* ai = argmax + (size_t(p) * oh + oy) * ow;
        const int i0 = 2 * oy * s.w;
        int ox = 0;
        for (; ox + L <= ow; ox += L)
          spread(g + ox, ai + ox, float(i0 + 2 * ox), float(s.w), r0 + 2 * ox, r1 + 2 * ox);
        if (ox < ow && ow >= L) {  // the last L windows again, as in forward
          spread(g + ow - L, ai + ow - L, float(i0 + 2 * (ow - L)), float(s.w), r0 + 2 * (ow - L),
                 r1 + 2 * (ow - L));
        } else if (ox < ow) {  // narrow rows through padded copies, as in forward
          const int rest = ow - ox;
          alignas(64) float tg[L] = {}, t0[2 * L], t1[2 * L];
          alignas(64) int32_t ta[L];
          for (int i = 0; i < L; ++i) ta[i] = -1;  // matches no window
          Elementwise<Vec>::copy(tg, g + ox, rest);
          std::memcpy(ta, ai + ox, sizeof(int32_t) * rest);
          spread(tg, ta, float(i0 + 2 * ox), float(s.w), t0, t1);
          Elementwise<Vec>::copy(r0 + 2 * ox, t0, 2 * rest);
          Elementwise<Vec>::copy(r1 + 2 * ox, t1, 2 * rest);
        }
        if (s.w % 2) r0[s.w - 1] = r1[s.w - 1] = 0.f;
      }
      if (s.h % 2) std::memset(plane + size_t(s.h - 1) * s.w, 0, sizeof(float) * s.w);
    });
  }
};

}  // namespace cnn::kernels
