// exp and log follow fdlibm (Sun Microsystems, 1993; the versions in FreeBSD
// and older musl): an argument reduction that is exact, then a short
// polynomial of fixed coefficients. Everything else is derived from them.
#include "core/fmath.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>

namespace cnn::fm {

namespace {

uint64_t bits(double x) {
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}
double from_bits(uint64_t u) {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}
// 2^k for a normal exponent (-1022 <= k <= 1023).
double pow2(int k) {
  return from_bits(uint64_t(k + 1023) << 52);
}

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11.
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76
constexpr double kInvLn2 = 1.44269504088896338700e+00;

}  // namespace

// exp(x) = 2^k exp(r), x = k ln2 + r, |r| <= ln2/2; exp(r) from a rational
// form with a degree-10 even minimax polynomial (error < 2^-59).
double exp(double x) {
  constexpr double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
                   P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
                   P5 = 4.13813679705723846039e-08;
  if (x != x) return x;
  if (x > 7.09782712893383973096e+02) return kInf;  // overflow (and +inf)
  if (x < -7.45133219101941108420e+02) return 0.0;  // underflow (and -inf)
  const double ax = x < 0 ? -x : x;
  if (ax < 0x1p-28) return 1.0 + x;  // exp(x) - 1 is below half an ulp of 1
  int k = 0;
  double hi = x, lo = 0.0;
  if (ax > 0.5 * 6.93147180559945286227e-01) {
    k = int(kInvLn2 * x + (x < 0 ? -0.5 : 0.5));  // round to nearest
    hi = x - k * kLn2Hi;                          // exact
    lo = k * kLn2Lo;
  }
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  if (k == 0) return y;
  if (k > 1023) return y * pow2(1023) * 2.0;  // y < 1 here: no overflow
  if (k >= -1022) return y * pow2(k);         // exact
  // Subnormal result: scale into the normals exactly, then round once.
  return y * pow2(k + 64) * 0x1p-64;
}

// log(x) = k ln2 + log(1 + f), 1 + f in [sqrt(2)/2, sqrt(2)); with
// s = f / (2 + f), log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)).
double log(double x) {
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                   Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                   Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  if (x != x) return x;
  if (x < 0) return kNaN;
  if (x == 0) return -kInf;
  if (x == kInf) return x;
  int k = 0;
  uint64_t u = bits(x);
  if (u < (uint64_t(1) << 52)) {  // subnormal: scale up exactly
    x *= 0x1p54;
    k -= 54;
    u = bits(x);
  }
  // Move the mantissa into [sqrt(2)/2, sqrt(2)): add the offset that makes
  // the exponent field carry exactly when the mantissa passes sqrt(2).
  uint32_t hx = uint32_t(u >> 32);
  hx += 0x3ff00000 - 0x3fe6a09e;
  k += int(hx >> 20) - 0x3ff;
  hx = (hx & 0x000fffff) + 0x3fe6a09e;
  x = from_bits((uint64_t(hx) << 32) | (u & 0xffffffff));
  const double f = x - 1.0;  // exact
  const double hfsq = 0.5 * f * f;
  const double s = f / (2.0 + f);
  const double z = s * s, w = z * z;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double r = t2 + t1;
  const double dk = k;
  return s * (hfsq + r) + dk * kLn2Lo - hfsq + f + dk * kLn2Hi;
}

// Goldberg's trick: u = 1 + x is rounded, but log(u) * x / (u - 1) corrects
// for the rounding to within a few ulp.
double log1p(double x) {
  if (x != x || x == kInf) return x;
  if (x < -1.0) return kNaN;
  if (x == -1.0) return -kInf;
  const double u = 1.0 + x;
  if (u == 1.0) return x;  // also keeps the sign of -0
  return log(u) * (x / (u - 1.0));
}

namespace {
// Double-double numbers (hi + lo, |lo| <= ulp(hi)/2) with Dekker's exact
// product, which needs no FMA: enough to square a number 20 times without
// the rounding errors piling up (plain doubles lose about n ulps in x^n).
struct DoubleDouble {
  double hi, lo;
};
// a = hi + lo with 26-bit halves (Veltkamp); huge values are left unsplit
// (the product then is merely rounded, and overflows soon anyway).
DoubleDouble split(double a) {
  if (!(a < 0x1p995 && a > -0x1p995)) return {a, 0.0};
  const double c = 134217729.0 * a;  // 2^27 + 1
  const double hi = c - (c - a);
  return {hi, a - hi};
}
DoubleDouble mul(DoubleDouble a, DoubleDouble b) {
  const double p = a.hi * b.hi;
  const DoubleDouble x = split(a.hi), y = split(b.hi);
  // a.hi * b.hi - p, exactly (when nothing over- or underflows)
  double e = ((x.hi * y.hi - p) + x.hi * y.lo + x.lo * y.hi) + x.lo * y.lo;
  e += a.hi * b.lo + a.lo * b.hi;
  const double s = p + e;
  return {s, e - (s - p)};
}
}  // namespace

double powi(double x, long n) {
  unsigned long m = n < 0 ? 0ul - (unsigned long)n : (unsigned long)n;
  DoubleDouble result{1.0, 0.0}, square{x, 0.0};
  while (m) {
    if (m & 1) result = mul(result, square);
    m >>= 1;
    if (m) square = mul(square, square);
  }
  const double r = result.hi + result.lo;
  return n < 0 ? 1.0 / r : r;
}

namespace {
// e^x for the arguments of the float functions (|x| < 2^11), in double with a
// relative error below 1e-14 (Taylor to degree 12 after the reduction; no
// division), so the float result is correctly rounded but in rare ties.
double exp_for_float(double x) {
  const int k = int(kInvLn2 * x + (x < 0 ? -0.5 : 0.5));
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= 0.35
  double p = 1.0 / 479001600;                      // 1/12!
  for (double inv : {1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040,
                     1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0})
    p = p * r + inv;
  return p * pow2(k);  // exact; the caller's conversion to float rounds once
}
}  // namespace

float exp(float x) {
  if (x != x) return x;
  if (x > 88.8f) return std::numeric_limits<float>::infinity();
  if (x < -104.f) return 0.f;  // below half the smallest subnormal float
  return float(exp_for_float(x));
}
float log(float x) {
  return float(log(double(x)));
}
float log1p(float x) {
  return float(log1p(double(x)));
}

// In double: the series for tiny |x| (where e^2x - 1 would cancel), else
// (e^2|x| - 1) / (e^2|x| + 1), whose error (a few 1e-16 absolute, 1e-12
// relative at |x| = 1e-4) vanishes in the rounding to float.
float tanh(float xf) {
  const double x = xf, ax = x < 0 ? -x : x;
  if (x != x) return xf;
  if (ax >= 10.0) return x < 0 ? -1.f : 1.f;  // 1 - tanh(10) < 1e-8, below half a float ulp
  if (ax < 1e-4) {
    const double z = x * x;
    return float(x * (1.0 + z * (-1.0 / 3.0 + z * (2.0 / 15.0))));  // keeps the sign of -0
  }
  const double t = exp_for_float(2.0 * ax);
  const double r = (t - 1.0) / (t + 1.0);
  return float(x < 0 ? -r : r);
}

}  // namespace cnn::fm
