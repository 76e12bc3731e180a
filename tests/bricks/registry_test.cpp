// make_brick(): every brick survives make_brick(config()), options are read
// with their types checked, and bad configs say what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bricks/all.h"
#include "bricks/brick_test_util.h"

namespace cnn {
namespace {

using nlohmann::json;
using test::error_of;
using ::testing::HasSubstr;

std::vector<std::unique_ptr<Brick>> one_of_each() {
  std::vector<std::unique_ptr<Brick>> v;
  v.push_back(std::make_unique<Conv2D>(Conv2D::Options{.filters = 16,
                                                       .kernel = 5,
                                                       .stride = 2,
                                                       .pad = 2,
                                                       .bias = false,
                                                       .init = "glorot_normal",
                                                       .init_scale = 0.2f}));
  v.push_back(std::make_unique<Dense>(Dense::Options{.units = 10, .init = "uniform"}));
  v.push_back(std::make_unique<MaxPool2D>(PoolOptions{.size = 3, .stride = 2}));
  v.push_back(std::make_unique<AvgPool2D>(PoolOptions{.size = 2}));
  v.push_back(std::make_unique<GlobalAvgPool>());
  v.push_back(std::make_unique<Flatten>());
  v.push_back(std::make_unique<Sigmoid>());
  v.push_back(std::make_unique<Tanh>());
  v.push_back(std::make_unique<ReLU>());
  v.push_back(std::make_unique<LeakyReLU>(LeakyReLU::Options{.slope = 0.2f}));
  v.push_back(std::make_unique<Ramp>());
  v.push_back(std::make_unique<Softmax>());
  v.push_back(std::make_unique<Dropout>(Dropout::Options{.rate = 0.25f}));
  v.push_back(std::make_unique<BatchNorm>(BatchNorm::Options{.momentum = 0.99f, .eps = 1e-3f}));
  return v;
}

TEST(MakeBrick, RoundTripsEveryBrick) {
  const auto bricks = one_of_each();
  EXPECT_EQ(bricks.size(), 14u);
  for (const auto& b : bricks) {
    const json config = b->config();
    SCOPED_TRACE(config.dump());
    EXPECT_EQ(config.at("type"), b->type());
    std::unique_ptr<Brick> copy = make_brick(config);
    EXPECT_STREQ(copy->type(), b->type());
    EXPECT_EQ(copy->config(), config);
    // The JSON text round trip too (what model files do).
    EXPECT_EQ(make_brick(json::parse(config.dump()))->config(), config);
  }
}

TEST(MakeBrick, ConfigsCarryEveryHyperparameter) {
  const json conv = Conv2D({.filters = 8}).config();
  for (const char* key : {"filters", "kernel", "stride", "pad", "bias", "init", "init_scale"})
    EXPECT_TRUE(conv.contains(key)) << key;
  EXPECT_EQ(conv["init"], "he_normal");
  EXPECT_EQ(Dense({.units = 3}).config()["init"], "glorot_uniform");
  EXPECT_EQ(MaxPool2D().config(), json::parse(R"({"type":"maxpool2d","size":2,"stride":2})"));
  EXPECT_FLOAT_EQ(BatchNorm().config()["momentum"].get<float>(), 0.9f);
}

TEST(MakeBrick, DefaultsAndTypeChecks) {
  auto b = make_brick(json::parse(R"({"type": "conv2d", "filters": 4, "kernel": 3.0})"));
  EXPECT_EQ(b->config()["pad"], 0);
  EXPECT_EQ(b->config()["kernel"], 3);
  EXPECT_EQ(make_brick({{"type", "dropout"}})->config()["rate"].get<float>(), 0.5f);
  // Model-level keys are allowed next to the hyperparameters.
  EXPECT_NO_THROW(make_brick(json::parse(R"({"type":"relu","name":"relu_1","trainable":false})")));
}

TEST(MakeBrick, ReadableErrors) {
  auto err = [](const char* text) { return error_of([&] { make_brick(json::parse(text)); }); };
  EXPECT_THAT(err(R"({"type": "conv3d"})"),
              HasSubstr("unknown brick type 'conv3d' (valid: conv2d, dense, maxpool2d"));
  EXPECT_THAT(err(R"({"filters": 3})"), HasSubstr("brick config needs a \"type\" string"));
  EXPECT_THAT(err(R"({"type": "conv2d", "filters": "16"})"),
              HasSubstr("conv2d: 'filters' must be an integer, got \"16\""));
  EXPECT_THAT(err(R"({"type": "conv2d", "filters": 16.5})"), HasSubstr("must be an integer"));
  EXPECT_THAT(err(R"({"type": "conv2d", "kernel": 3})"), HasSubstr("conv2d: filters must be >= 1"));
  EXPECT_THAT(err(R"({"type": "dense", "unit": 10})"),
              HasSubstr("dense: unknown option 'unit' (valid: units, bias, init, init_scale)"));
  EXPECT_THAT(err(R"({"type": "dense", "units": 10, "bias": 1})"),
              HasSubstr("dense: 'bias' must be true or false"));
  EXPECT_THAT(err(R"({"type": "dropout", "rate": 1.5})"), HasSubstr("dropout: rate must be in"));
  EXPECT_THAT(err(R"({"type": "relu", "slope": 0.1})"), HasSubstr("relu: unknown option 'slope'"));
  EXPECT_THAT(err(R"({"type": "dense", "units": 4, "init": "xavier"})"),
              HasSubstr("valid: uniform, normal, glorot_uniform"));
  EXPECT_THAT(err(R"([1, 2])"), HasSubstr("brick config needs"));
}

}  // namespace
}  // namespace cnn
