// The one random number generator of a run. Everything random (initialisation,
// shuffling, dropout masks, augmentation) draws from an Rng seeded by the user,
// so a run repeats exactly, natively and in WebAssembly: the generator is
// integer-only (PCG32) and its float conversions avoid the platform's libm.
#pragma once
#include <cstdint>
#include <vector>

namespace cnn {

class Rng {
 public:
  explicit Rng(uint64_t seed = 42) { reseed(seed); }
  void reseed(uint64_t seed);

  uint32_t next_u32();
  // Uniform in [0, 1), 24 random bits.
  float uniform() { return float(next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n).
  uint32_t below(uint32_t n);
  // Standard normal (Marsaglia polar method; uses only sqrt, which IEEE makes exact).
  float normal();
  // A random permutation of 0..n-1 written into order (Fisher-Yates).
  void shuffle(std::vector<int>& order);
  // An independent generator derived from this one (e.g. one per worker).
  Rng split() { return Rng((uint64_t(next_u32()) << 32) | next_u32()); }

 private:
  uint64_t state_ = 0, inc_ = 0;
  bool has_spare_ = false;
  float spare_ = 0.f;
};

}  // namespace cnn
