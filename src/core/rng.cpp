#include "core/rng.h"

#include <cmath>

#include "core/fmath.h"

namespace cnn {

void Rng::reseed(uint64_t seed) {
  state_ = 0;
  inc_ = (seed << 1u) | 1u;
  next_u32();
  state_ += seed ^ 0x853c49e6748fea9bULL;
  next_u32();
  has_spare_ = false;
}

uint32_t Rng::next_u32() {
  uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  uint32_t xorshifted = uint32_t(((old >> 18u) ^ old) >> 27u);
  uint32_t rot = uint32_t(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

uint32_t Rng::below(uint32_t n) {
  // Rejection sampling removes the modulo bias.
  uint32_t threshold = (0u - n) % n;
  for (;;) {
    uint32_t r = next_u32();
    if (r >= threshold) return r % n;
  }
}

float Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Polar method in double: needs only log (our own, core/fmath, so the same
  // bits on every platform) and sqrt (exact by IEEE).
  double u, v, s;
  do {
    u = 2.0 * (next_u32() * (1.0 / 4294967296.0)) - 1.0;
    v = 2.0 * (next_u32() * (1.0 / 4294967296.0)) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double m = std::sqrt(-2.0 * fm::log(s) / s);
  spare_ = float(v * m);
  has_spare_ = true;
  return float(u * m);
}

void Rng::shuffle(std::vector<int>& order) {
  for (size_t i = order.size(); i > 1; --i) {
    size_t j = below(uint32_t(i));
    std::swap(order[i - 1], order[j]);
  }
}

}  // namespace cnn
