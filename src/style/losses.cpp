#include "style/losses.h"

#include <string>

#include "core/error.h"
#include "style/gram.h"

namespace cnn {

namespace {
void check_same(const Tensor& a, const Tensor& b, const char* what) {
  if (a.shape() != b.shape())
    throw Error(std::string(what) + ": shapes differ, " + a.shape().str() + " and " +
                b.shape().str());
  if (a.size() == 0) throw Error(std::string(what) + ": empty tensor");
}
}  // namespace

float content_loss(const Tensor& f, const Tensor& p) {
  check_same(f, p, "content_loss");
  double sum = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    const double d = double(f[i]) - p[i];
    sum += d * d;
  }
  return float(0.5 * sum / double(f.size()));
}

void content_loss_backward(const Tensor& f, const Tensor& p, Tensor& df) {
  check_same(f, p, "content_loss_backward");
  df.resize(f.shape());
  const float inv = 1.f / float(f.size());
  for (size_t i = 0; i < f.size(); ++i) df[i] = (f[i] - p[i]) * inv;
}

float style_loss(const Tensor& f, const Tensor& target, Tensor& gram) {
  gram_matrix(f, gram);
  check_same(gram, target, "style_loss (Gram matrix vs target)");
  double sum = 0;
  for (size_t i = 0; i < gram.size(); ++i) {
    const double d = double(gram[i]) - target[i];
    sum += d * d;
  }
  return float(sum);
}

void style_loss_backward(const Tensor& f, const Tensor& gram, const Tensor& target, Tensor& df) {
  check_same(gram, target, "style_loss_backward (Gram matrix vs target)");
  Tensor dg(gram.shape());
  for (size_t i = 0; i < gram.size(); ++i) dg[i] = 2.f * (gram[i] - target[i]);
  gram_matrix_backward(f, dg, df);
}

// Each neighbour pair (a, b) contributes (b - a)^2 to the sum: +2(b - a) to
// b's gradient and -2(b - a) to a's.
float tv_loss(const Tensor& x) {
  const Shape s = x.shape();
  if (s.size() == 0) throw Error("tv_loss: empty image");
  double sum = 0;
  for (size_t plane = 0; plane < size_t(s.n) * s.c; ++plane) {
    const float* p = x.data() + plane * s.plane();
    for (int i = 0; i < s.h; ++i)
      for (int j = 0; j < s.w; ++j) {
        const float v = p[i * s.w + j];
        if (j + 1 < s.w) sum += double(p[i * s.w + j + 1] - v) * (p[i * s.w + j + 1] - v);
        if (i + 1 < s.h) sum += double(p[(i + 1) * s.w + j] - v) * (p[(i + 1) * s.w + j] - v);
      }
  }
  return float(sum / double(s.size()));
}

void tv_loss_backward(const Tensor& x, Tensor& dx) {
  const Shape s = x.shape();
  if (s.size() == 0) throw Error("tv_loss_backward: empty image");
  dx.resize(s);
  dx.zero();
  const float k = 2.f / float(s.size());
  for (size_t plane = 0; plane < size_t(s.n) * s.c; ++plane) {
    const float* p = x.data() + plane * s.plane();
    float* d = dx.data() + plane * s.plane();
    for (int i = 0; i < s.h; ++i)
      for (int j = 0; j < s.w; ++j) {
        const int a = i * s.w + j;
        if (j + 1 < s.w) {
          const float g = k * (p[a + 1] - p[a]);
          d[a + 1] += g;
          d[a] -= g;
        }
        if (i + 1 < s.h) {
          const float g = k * (p[a + s.w] - p[a]);
          d[a + s.w] += g;
          d[a] -= g;
        }
      }
  }
}

}  // namespace cnn
