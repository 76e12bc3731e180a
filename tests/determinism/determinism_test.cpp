// Deterministic mode (kernels::set_deterministic): the scalar kernels must not
// be compiled into FMAs, training must repeat bit for bit at any thread count,
// and the hashes printed here must be equal in the native and the WebAssembly
// build (tests/determinism/compare_builds.sh compares them).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "bricks/brick.h"
#include "core/fmath.h"
#include "core/rng.h"
#include "kernels/kernels.h"
#include "model/model.h"

namespace cnn {
namespace {

// Turns deterministic mode on for one test and restores the threads after.
struct DeterministicScope {
  DeterministicScope() { kernels::set_deterministic(true); }
  ~DeterministicScope() {
    kernels::set_deterministic(false);
    kernels::set_threads(1);
  }
};

uint64_t fnv1a(uint64_t h, const void* data, size_t bytes) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}
constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ull;

// a = 1 + 2^-12: a*a = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11 (a tie, to even).
// So a*a + (-a)*a is 0 when each product is rounded, as the source says, but
// -2^-24 when the compiler fuses the second product into an FMA.
constexpr float kA = 1.f + 0x1p-12f;

TEST(Determinism, ScalarKernelsRoundEveryProduct) {
  DeterministicScope on;
  ASSERT_STREQ(kernels::active().name, "scalar");
  const float a[2] = {kA, -kA}, b[2] = {kA, kA};
  float c = 1.f;
  kernels::gemm(false, false, 1, 1, 2, a, 2, b, 1, &c, 1, false);
  EXPECT_EQ(c, 0.f) << "gemm fused a multiply-add (an FMA): built without -ffp-contract=off?";

  // The convolutions: a 1x1 kernel over 2 channels is the same dot product.
  kernels::Workspace ws;
  kernels::ConvShape s{.n = 1, .c = 2, .h = 1, .w = 1, .k = 1, .kh = 1, .kw = 1};
  float y = 1.f;
  kernels::conv2d_forward(s, a, b, nullptr, &y, ws);
  EXPECT_EQ(y, 0.f) << "conv2d_forward fused a multiply-add";
  // Backward to the weights sums over the batch: x (2,1,1,1), dy (2,1,1,1).
  kernels::ConvShape sb{.n = 2, .c = 1, .h = 1, .w = 1, .k = 1, .kh = 1, .kw = 1};
  float dw = 0.f;
  kernels::conv2d_backward_weights(sb, a, b, &dw, nullptr, ws);
  EXPECT_EQ(dw, 0.f) << "conv2d_backward_weights fused a multiply-add";
  // Backward to the input sums over the output channels: dy (1,2,1,1), w (2,1,1,1).
  kernels::ConvShape si{.n = 1, .c = 1, .h = 1, .w = 1, .k = 2, .kh = 1, .kw = 1};
  float dx = 1.f;
  kernels::conv2d_backward_input(si, a, b, &dx, ws);
  EXPECT_EQ(dx, 0.f) << "conv2d_backward_input fused a multiply-add";
}

TEST(Determinism, SelectingAnotherTableIsRefusedWhileOn) {
  const std::string before = kernels::active().name;
  {
    DeterministicScope on;
    EXPECT_TRUE(kernels::deterministic());
    EXPECT_TRUE(kernels::select_kernels("scalar"));
    for (const kernels::KernelTable* t : kernels::available_kernels()) {
      if (std::strcmp(t->name, "scalar") == 0) continue;
      EXPECT_FALSE(kernels::select_kernels(t->name)) << t->name;
    }
    EXPECT_STREQ(kernels::active().name, "scalar");
  }
  EXPECT_FALSE(kernels::deterministic());
  EXPECT_EQ(kernels::active().name, before);
}

// Every brick with a transcendental function or randomness: he_normal init
// (log), batch norm (sqrt), tanh, dropout, sigmoid (exp), softmax (exp) and
// categorical cross-entropy (log), trained with Adam (powi, sqrt).
Model small_model(uint64_t seed) {
  Model m({1, 1, 8, 8});
  m.add(make_brick({{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"pad", 1}}));
  m.add(make_brick({{"type", "batchnorm"}}));
  m.add(make_brick({{"type", "tanh"}}));
  m.add(make_brick({{"type", "maxpool2d"}, {"size", 2}}));
  m.add(make_brick({{"type", "conv2d"}, {"filters", 6}, {"kernel", 3}}));
  m.add(make_brick({{"type", "relu"}}));
  m.add(make_brick({{"type", "dropout"}, {"rate", 0.25}}));
  m.add(make_brick({{"type", "dense"}, {"units", 16}}));
  m.add(make_brick({{"type", "sigmoid"}}));
  m.add(make_brick({{"type", "dense"}, {"units", 3}}));
  m.add(make_brick({{"type", "softmax"}}));
  m.build(seed);
  m.compile({.loss = {"categorical_crossentropy"}, .optimizer = {{"type", "adam"}, {"lr", 0.01}}});
  return m;
}

// Trains the small model for two epochs of 4 batches; returns the hash of
// its weights, buffers and Adam state.
uint64_t train_and_hash(int threads, uint64_t seed = 5) {
  kernels::set_threads(threads);
  Tensor x({64, 1, 8, 8}), y({64, 1, 1, 1});
  Rng rng(3);
  for (size_t i = 0; i < x.size(); ++i) x[i] = rng.normal();
  for (int i = 0; i < 64; ++i) y[i] = float(i % 3);
  for (int i = 0; i < 64; ++i) x.sample(i)[int(y[i]) * 9] += 2.f;  // something to learn
  Model m = small_model(seed);
  m.fit(x, y, {.epochs = 2, .batch_size = 16});
  uint64_t h = kFnvBasis;
  m.for_each_state_tensor(true, [&](const std::string&, const Tensor& t) {
    h = fnv1a(h, t.data(), t.size() * sizeof(float));
  });
  return h;
}

TEST(Determinism, TrainingRepeatsBitForBitAtAnyThreadCount) {
  DeterministicScope on;
  const uint64_t one = train_and_hash(1);
  EXPECT_EQ(train_and_hash(2), one);
  EXPECT_EQ(train_and_hash(1), one);
  EXPECT_NE(train_and_hash(1, 6), one) << "the hash does not see the weights";
}

// The values compare_builds.sh compares between the native and the
// WebAssembly build: core/fmath over wide ranges, and a short training run.
TEST(Determinism, PrintHashesForTheCrossBuildComparison) {
  uint64_t h = kFnvBasis;
  Rng rng(17);
  for (int i = 0; i < 200000; ++i) {
    const float u = rng.uniform();
    const float e = fm::exp(200.f * u - 110.f), t = fm::tanh(24.f * u - 12.f);
    const float l = fm::log(std::ldexp(u + 1e-7f, int(rng.below(250)) - 125));
    const double ed = fm::exp(1500.0 * u - 750.0), ld = fm::log(double(u) * 1e300 * u);
    const double lp = fm::log1p(double(u) * 4.0 - 0.999999), pw = fm::powi(0.999, long(i));
    for (const float v : {e, t, l}) h = fnv1a(h, &v, sizeof v);
    for (const double v : {ed, ld, lp, pw}) h = fnv1a(h, &v, sizeof v);
  }
  std::printf("determinism hash fmath: %016llx\n", (unsigned long long)h);
  DeterministicScope on;
  std::printf("determinism hash training: %016llx\n", (unsigned long long)train_and_hash(1));
}

}  // namespace
}  // namespace cnn
