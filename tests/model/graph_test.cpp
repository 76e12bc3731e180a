// Graphs with merge nodes: the Add and ZeroPad2D bricks, gradients through a
// residual block (shortcut add, fan-out, a node read twice) checked against
// central differences over the whole model, and model files of graphs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bricks/activations.h"
#include "bricks/add.h"
#include "bricks/conv2d.h"
#include "bricks/dense.h"
#include "bricks/zero_pad.h"
#include "model/model.h"
#include "model/model_file.h"
#include "support/gradcheck.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

using test::uniform_tensor;

// dE/dx and dE/dparam of E = sum r * output, by backward() and by central
// differences of the whole model (double-checks the graph plumbing).
::testing::AssertionResult model_gradients_match(Model& m, const Tensor& x_in) {
  Tensor x = x_in;
  Rng rng(5);
  const Tensor r = uniform_tensor(m.forward(x)[0]->shape(), rng, -1.f, 1.f);
  auto energy = [&]() {
    const Tensor& y = *m.forward(x)[0];
    double e = 0;
    for (size_t i = 0; i < y.size(); ++i) e += double(r[i]) * y[i];
    return e;
  };
  m.forward(x);
  m.zero_grads();
  m.backward({&r}, true);
  const Tensor dx = m.input_grad();
  std::vector<Tensor> grads;
  for (Param* p : m.params()) grads.push_back(p->grad);
  test::GradCheckOptions o;
  test::detail::Comparison cmp(o);
  for (size_t i = 0; i < x.size(); ++i)
    cmp.add("dx", i, dx[i], test::detail::numeric_derivative(x[i], o.h, energy));
  size_t k = 0;
  for (Param* p : m.params()) {
    for (size_t i = 0; i < p->value.size(); ++i)
      cmp.add(p->name, i, grads[k][i], test::detail::numeric_derivative(p->value[i], o.h, energy));
    ++k;
  }
  return cmp.result();
}

// input -> conv -> tanh -> conv -> add(., input) -> tanh -> dense: a ResNet
// block (with ReLU there) made smooth for the gradient check.
Model residual_model() {
  Model m({1, 2, 5, 5});
  m.add<Conv2D>({.filters = 3, .kernel = 3, .pad = 1});
  m.add<Tanh>();  // smooth: central differences never straddle a kink
  const int c2 = m.add<Conv2D>({.filters = 2, .kernel = 3, .pad = 1});
  m.add(std::make_unique<Add>(), {c2, Model::kInput});
  m.add<Tanh>();
  m.add<Dense>({.units = 3});
  m.build(3);
  return m;
}

TEST(Add, SumsInputsAndCopiesTheGradientToEach) {
  Add add;
  Tensor a({1, 2, 1, 2}), b({1, 2, 1, 2}), c({1, 2, 1, 2});
  for (size_t i = 0; i < 4; ++i) a[i] = float(i), b[i] = 10.f * float(i), c[i] = 100.f;
  Tensor y;
  Context ctx;
  add.forward({&a, &b, &c}, y, ctx);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(y[i], 11.f * float(i) + 100.f);
  Tensor dy({1, 2, 1, 2}, 0.5f), da(a.shape(), NAN), db(a.shape(), NAN), dc(a.shape(), NAN);
  add.backward({&a, &b, &c}, y, dy, {&da, &db, &dc});
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(da[i] + db[i] + dc[i], 1.5f);
  EXPECT_EQ(make_brick({{"type", "add"}})->type(), std::string("add"));
}

TEST(Add, MismatchedShapesAreRefusedNamingTheBrick) {
  Model m({1, 2, 4, 4});
  const int conv = m.add<Conv2D>({.filters = 3, .kernel = 3, .pad = 1});
  auto add = std::make_unique<Add>();
  add->name = "shortcut";
  EXPECT_ERROR_CONTAINS(m.add(std::move(add), {conv, Model::kInput}), "shortcut", "add: input 2",
                        "2x4x4", "3x4x4");
  EXPECT_ERROR_CONTAINS(m.add(std::make_unique<ReLU>(), {conv, conv}), "relu",
                        "reads one input, got 2");
  EXPECT_ERROR_CONTAINS(m.add(std::make_unique<Add>(), {conv, 7}), "input node 7 does not exist");
}

TEST(ZeroPad2D, AsymmetricPaddingAndGradient) {
  ZeroPad2D pad({.top = 0, .bottom = 1, .left = 2, .right = 1});
  Tensor x({1, 1, 2, 2});
  for (size_t i = 0; i < 4; ++i) x[i] = float(i + 1);
  Tensor y;
  Context ctx;
  pad.forward(x, y, ctx);
  ASSERT_EQ(y.shape(), (Shape{1, 1, 3, 5}));
  const float want[15] = {0, 0, 1, 2, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < 15; ++i) EXPECT_EQ(y[i], want[i]) << i;
  Rng rng(1);
  EXPECT_TRUE(test::brick_gradients_match(pad, uniform_tensor({2, 3, 3, 4}, rng, -1, 1)));
  EXPECT_ERROR_CONTAINS(ZeroPad2D({.top = -1}), "zero_pad2d", "must be >= 0");
  auto b = make_brick({{"type", "zero_pad2d"}, {"top", 3}, {"left", 0}});
  EXPECT_EQ(b->output_shape({1, 1, 2, 2}), (Shape{1, 1, 6, 3}));
}

TEST(Graph, ResidualBlockGradientsMatchNumerics) {
  Model m = residual_model();
  Rng rng(2);
  EXPECT_TRUE(model_gradients_match(m, uniform_tensor({2, 2, 5, 5}, rng, -1, 1)));
}

TEST(Graph, FanOutAndANodeReadTwice) {
  // y = dense(tanh(conv(x)) + tanh(conv(x)) + x'): the Add reads one node twice.
  Model m({1, 1, 4, 4});
  m.add<Conv2D>({.filters = 1, .kernel = 3, .pad = 1});
  const int t = m.add<Tanh>();
  const int s = m.add<Sigmoid>(Model::kInput);
  m.add(std::make_unique<Add>(), {t, s, t});
  m.add<Dense>({.units = 2});
  m.build(4);
  Rng rng(3);
  EXPECT_TRUE(model_gradients_match(m, uniform_tensor({1, 1, 4, 4}, rng, -1, 1)));
}

TEST(Graph, ModelFilesKeepTheInputsOfEveryNode) {
  Model m = residual_model();
  const nlohmann::json a = m.architecture();
  EXPECT_EQ(a["nodes"][3]["inputs"], nlohmann::json({2, -1}));
  EXPECT_EQ(a["nodes"][1]["input"], 0);  // single inputs keep the old form
  const std::string path = cnn::testing::temp_dir() + "/residual.safetensors";
  save_model(path, m, false);
  Model back = load_model(path);
  EXPECT_EQ(back.node_inputs(3), (std::vector<int>{2, Model::kInput}));
  Rng rng(4);
  const Tensor x = uniform_tensor({2, 2, 5, 5}, rng, -1, 1);
  const Tensor y = *m.forward(x)[0];
  const Tensor& y2 = *back.forward(x)[0];
  for (size_t i = 0; i < y.size(); ++i) EXPECT_EQ(y[i], y2[i]);
  EXPECT_NE(m.summary().find("conv2d_2+input"), std::string::npos) << m.summary();
}

TEST(Graph, OldArchitecturesWithOneInputPerNodeStillLoad) {
  const nlohmann::json a = nlohmann::json::parse(R"({"input": [1, 4, 4], "nodes": [
      {"name": "c", "input": -1, "brick": {"type": "conv2d", "filters": 2, "kernel": 3}},
      {"name": "r", "input": 0, "brick": {"type": "relu"}}], "outputs": [1]})");
  Model m = Model::from_architecture(a);
  EXPECT_EQ(m.num_nodes(), 2);
  EXPECT_EQ(m.node_input(1), 0);
  EXPECT_EQ(m.output_shape(1), (Shape{1, 2, 2, 2}));
}

}  // namespace
}  // namespace cnn
