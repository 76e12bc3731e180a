// The model graph: building, multi-output losses with weights, gradients
// through shared trunks, and Keras-style logs.
#include "model/model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bricks/all.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

// A trunk feeding two heads: a 3-class softmax head and a 1-value regression head.
Model two_headed_model() {
  Model m({1, 4, 1, 1});
  int trunk = m.add<Dense>({.units = 5});
  m.add<Tanh>();
  int act = trunk + 1;
  int a = m.add<Dense>({.units = 3}, act);
  int b = m.add<Dense>({.units = 1}, act);
  m.set_outputs({a, b});
  m.build(7);
  return m;
}

TEST(Model, AddChecksShapesAndNamesTheBrick) {
  Model m({1, 1, 4, 4});
  m.add<Conv2D>({.filters = 2, .kernel = 3});  // -> 2x2x2
  EXPECT_ERROR_CONTAINS(m.add<Conv2D>({.filters = 2, .kernel = 5}), "conv2d_2", "2x2x2");
  EXPECT_ERROR_CONTAINS(m.add<Dense>({.units = 3}, 7), "does not exist");
  EXPECT_EQ(m.num_nodes(), 1);
  EXPECT_EQ(m.find("conv2d_1"), 0);
}

// A brick that only records the workspace its model hands it.
struct WorkspaceProbe : Brick {
  kernels::Workspace* ws = nullptr;
  const char* type() const override { return "probe"; }
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor& x, Tensor& y, Context&) override { y = x; }
  void backward(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx) override { dx = dy; }
  nlohmann::json config() const override { return {{"type", "probe"}}; }
  void share_workspace(kernels::Workspace* w) override { ws = w; }
};

// The bricks of a model share one scratch buffer (they run one at a time),
// another model has its own, and moving a model keeps the bricks' buffer.
TEST(Model, BricksShareTheModelsWorkspace) {
  auto probe = [](Model& m) {
    auto b = std::make_unique<WorkspaceProbe>();
    WorkspaceProbe* p = b.get();
    m.add(std::move(b));
    return p;
  };
  Model a({1, 2, 2, 2}), b({1, 2, 2, 2});
  WorkspaceProbe* a1 = probe(a);
  a.add<ReLU>();
  WorkspaceProbe* a2 = probe(a);
  WorkspaceProbe* b1 = probe(b);
  ASSERT_NE(a1->ws, nullptr);
  EXPECT_EQ(a1->ws, a2->ws);
  EXPECT_NE(a1->ws, b1->ws);
  Model moved = std::move(a);
  EXPECT_EQ(probe(moved)->ws, a1->ws);
}

TEST(Model, MultiOutputLogsAreNamedPerOutput) {
  Model m = two_headed_model();
  m.compile({.loss = {"softmax_crossentropy", "mse"}, .loss_weights = {1.f, 0.5f}});
  std::vector<std::string> want = {"loss", "dense_2_loss", "dense_2_accuracy", "dense_3_loss",
                                   "dense_3_accuracy"};
  EXPECT_EQ(m.log_names(), want);
  EXPECT_ERROR_CONTAINS(m.compile({.loss = {"mse", "mse", "mse"}}), "3 losses for 2 outputs");
  EXPECT_ERROR_CONTAINS(m.compile({.loss = {"mse"}, .loss_weights = {1.f}}), "1 loss weights");
  EXPECT_ERROR_CONTAINS(m.compile({.metrics = {"f1"}}), "unknown metric", "f1");
}

// evaluate() can hand back its predictions (cnn eval's confusion matrix):
// the same numbers as predict(), and the same logs as without them.
TEST(Model, EvaluateReturnsWhatPredictGives) {
  Model m = two_headed_model();
  m.compile({.loss = {"softmax_crossentropy", "mse"}, .loss_weights = {1.f, 0.5f}});
  Rng rng(4);
  Tensor x({7, 4, 1, 1}), labels({7, 1, 1, 1}), values({7, 1, 1, 1});
  for (size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-1, 1);
  for (int i = 0; i < 7; ++i) labels[i] = float(i % 3), values[i] = rng.uniform(-1, 1);
  std::vector<Tensor> predictions;
  const Logs with = m.evaluate(x, {&labels, &values}, 3, &predictions);  // batches 3, 3, 1
  const Logs without = m.evaluate(x, {&labels, &values}, 3);
  EXPECT_EQ(with.values, without.values);
  const std::vector<Tensor> predicted = m.predict(x, 3);
  ASSERT_EQ(predictions.size(), 2u);
  for (int o = 0; o < 2; ++o) {
    ASSERT_EQ(predictions[o].shape(), predicted[o].shape());
    EXPECT_EQ(std::vector<float>(predictions[o].data(), predictions[o].data() + predictions[o].size()),
              std::vector<float>(predicted[o].data(), predicted[o].data() + predicted[o].size()));
  }
}

// Central differences of the weighted total loss against the gradients the
// model accumulates: checks the fan-out sum in the trunk and the loss weights.
TEST(Model, WeightedMultiOutputGradientsMatchFiniteDifferences) {
  Model m = two_headed_model();
  // lr = 0: train_batch computes gradients but leaves the weights alone.
  m.compile({.loss = {"softmax_crossentropy", "mse"},
             .loss_weights = {1.0f, 0.5f},
             .optimizer = {{"type", "sgd"}, {"lr", 0.0}}});
  Rng rng(3);
  Tensor x({6, 4, 1, 1}), labels({6, 1, 1, 1}), values({6, 1, 1, 1});
  for (size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-1, 1);
  for (int i = 0; i < 6; ++i) labels[i] = float(i % 3), values[i] = rng.uniform(-1, 1);
  std::vector<const Tensor*> y = {&labels, &values};
  const double total = m.train_batch(x, y);

  auto loss_at = [&]() {
    const auto& out = m.forward(x, Mode::kTraining);
    return double(m.loss(0).forward(*out[0], labels)) +
           0.5 * double(m.loss(1).forward(*out[1], values));
  };
  EXPECT_NEAR(loss_at(), total, 1e-6);
  // Float forward passes: a step of 1e-3 keeps truncation error ~1e-6 and
  // rounding error ~1e-7/1e-3 = 1e-4 relative; 2e-3 absolute + 1% covers both.
  const double h = 1e-3;
  int checked = 0;
  for (Param* p : m.params()) {
    for (size_t i = 0; i < p->value.size(); ++i) {
      const float saved = p->value[i];
      p->value[i] = saved + float(h);
      double up = loss_at();
      p->value[i] = saved - float(h);
      double down = loss_at();
      p->value[i] = saved;
      double numeric = (up - down) / (2 * h);
      EXPECT_NEAR(p->grad[i], numeric, 2e-3 + 0.01 * std::fabs(numeric))
          << p->name << "[" << i << "]";
      ++checked;
    }
  }
  EXPECT_EQ(checked, int(m.param_count()));
}

TEST(Model, InputGradientFlowsToTheImage) {
  // What saliency maps and style transfer need: dE/dx for the input.
  Model m({1, 1, 3, 3});
  m.add<Conv2D>({.filters = 2, .kernel = 2});
  m.add<Dense>({.units = 1});
  m.build(1);
  Tensor x({1, 1, 3, 3});
  for (size_t i = 0; i < 9; ++i) x[i] = 0.1f * float(i);
  m.forward(x);
  Tensor one({1, 1, 1, 1}, 1.f);
  m.zero_grads();
  m.backward({&one}, /*want_input_grad=*/true);
  const Tensor g = m.input_grad();
  const double h = 1e-3;
  for (size_t i = 0; i < 9; ++i) {
    Tensor xp = x, xm = x;
    xp[i] += float(h);
    xm[i] -= float(h);
    double up = (*m.forward(xp)[0])[0];
    double down = (*m.forward(xm)[0])[0];
    EXPECT_NEAR(g[i], (up - down) / (2 * h), 1e-3) << i;
  }
}

TEST(Model, ArchitectureRoundTripsThroughJson) {
  Model m = two_headed_model();
  m.brick(0).trainable = false;
  Model copy = Model::from_architecture(m.architecture());
  EXPECT_EQ(copy.architecture(), m.architecture());
  EXPECT_FALSE(copy.brick(0).trainable);
  EXPECT_ERROR_CONTAINS(Model::from_architecture({{"input", {1, 2}}}), "input");
}

TEST(Model, FrozenBricksKeepTheirWeights) {
  Model m = two_headed_model();
  m.brick(0).trainable = false;  // fine-tuning: the trunk stays
  m.compile({.loss = {"softmax_crossentropy", "mse"}, .optimizer = {{"type", "sgd"}, {"lr", 0.5}}});
  const Tensor before0 = m.brick(0).params()[0]->value;
  const Tensor before2 = m.brick(2).params()[0]->value;
  Tensor x({4, 4, 1, 1}, 0.5f), labels({4, 1, 1, 1}, 1.f), values({4, 1, 1, 1}, 0.3f);
  m.train_batch(x, {&labels, &values});
  EXPECT_EQ(m.brick(0).params()[0]->value[0], before0[0]);
  EXPECT_NE(m.brick(2).params()[0]->value[0], before2[0]);
}

}  // namespace
}  // namespace cnn
