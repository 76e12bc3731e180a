// make_loss(): every name and alias, config round trips, options, and the
// errors for targets that do not fit the output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "golden/golden.h"
#include "losses/all.h"
#include "support/error_of.h"

namespace cnn {
namespace {

using golden::values;
using nlohmann::json;
using ::testing::HasSubstr;

TEST(MakeLoss, EveryNameAndAlias) {
  const std::pair<const char*, const char*> names[] = {
      {"mse", "mse"},
      {"square", "mse"},
      {"mean_squared_error", "mse"},
      {"binary_crossentropy", "binary_crossentropy"},
      {"binary_crossentropy_logits", "binary_crossentropy_logits"},
      {"categorical_crossentropy", "categorical_crossentropy"},
      {"sparse_categorical_crossentropy", "categorical_crossentropy"},
      {"softmax_crossentropy", "softmax_crossentropy"},
      {"log_softmax", "softmax_crossentropy"},
      {"logistic", "logistic"},
      {"hinge", "hinge"},
      {"max_margin", "max_margin"},
      {"multiclass_hinge", "max_margin"},
  };
  for (auto [name, type] : names) {
    SCOPED_TRACE(name);
    std::unique_ptr<Loss> loss = make_loss(name);
    EXPECT_STREQ(loss->type(), type);
    EXPECT_EQ(make_loss(loss->config())->config(), loss->config());
    EXPECT_STREQ(make_loss(std::string(name))->type(), type);
    EXPECT_STREQ(make_loss(json(name))->type(), type);
  }
}

TEST(MakeLoss, OutputKinds) {
  EXPECT_STREQ(make_loss("categorical_crossentropy")->output_kind(), "probabilities");
  EXPECT_STREQ(make_loss("binary_crossentropy")->output_kind(), "probabilities");
  EXPECT_STREQ(make_loss("softmax_crossentropy")->output_kind(), "logits");
  EXPECT_STREQ(make_loss("binary_crossentropy_logits")->output_kind(), "logits");
  EXPECT_STREQ(make_loss("max_margin")->output_kind(), "logits");
  EXPECT_STREQ(make_loss("logistic")->output_kind(), "signed");
  EXPECT_STREQ(make_loss("hinge")->output_kind(), "signed");
}

TEST(MakeLoss, MarginOption) {
  auto hinge = make_loss(json::parse(R"({"type": "hinge", "margin": 0.5})"));
  EXPECT_FLOAT_EQ(hinge->config()["margin"].get<float>(), 0.5f);
  EXPECT_FLOAT_EQ(make_loss("hinge")->config()["margin"].get<float>(), 1.f);
  // margin 0.5: max(0, 0.5 - 0.2) = 0.3
  EXPECT_FLOAT_EQ(hinge->forward(values({1, 1, 1, 1}, {0.2f}), values({1, 1, 1, 1}, {1})), 0.3f);
  auto mm = make_loss(json::parse(R"({"type": "multiclass_hinge", "margin": 2})"));
  EXPECT_STREQ(mm->type(), "max_margin");
  EXPECT_FLOAT_EQ(mm->config()["margin"].get<float>(), 2.f);
}

TEST(MakeLoss, ReadableErrors) {
  EXPECT_THAT(test::error_of([] { make_loss("crossentropy"); }),
              HasSubstr("unknown loss 'crossentropy' (valid: mse, square, mean_squared_error, "
                        "binary_crossentropy"));
  EXPECT_THAT(test::error_of([] { make_loss(json::parse(R"({"type": "mse", "margin": 1})")); }),
              HasSubstr("mse: unknown option 'margin'"));
  EXPECT_THAT(test::error_of([] { make_loss(json::parse(R"({"type": "hinge", "margin": -1})")); }),
              HasSubstr("hinge: margin must be a positive number"));
  EXPECT_THAT(test::error_of([] { make_loss(json::parse(R"({"type": "hinge", "margin": "1"})")); }),
              HasSubstr("hinge: 'margin' must be a number"));
  EXPECT_THAT(test::error_of([] { make_loss(json::parse("42")); }), HasSubstr("loss config needs"));
}

TEST(LossTargets, ShapeMismatchNamesBothShapes) {
  const Tensor out({32, 1, 1, 1});
  EXPECT_THAT(test::error_of([&] {
                make_loss("mse")->forward(out, Tensor({32, 10, 1, 1}));
              }),
              HasSubstr("mse: target (32, 10) does not fit output (32, 1): expected (32, 1)"));
  EXPECT_THAT(test::error_of([&] {
                make_loss("hinge")->forward(out, Tensor({16, 1, 1, 1}));
              }),
              HasSubstr("hinge: target (16, 1) does not fit output (32, 1)"));
  Tensor d;
  EXPECT_THAT(test::error_of([&] {
                make_loss("binary_crossentropy")->backward(out, Tensor({32, 2, 1, 1}), d);
              }),
              HasSubstr("binary_crossentropy: target (32, 2) does not fit"));
  const Tensor scores({8, 10, 1, 1});
  EXPECT_THAT(test::error_of([&] {
                make_loss("softmax_crossentropy")->forward(scores, Tensor({8, 3, 1, 1}));
              }),
              HasSubstr("softmax_crossentropy: target (8, 3) does not fit output (8, 10): expected "
                        "(8, 10) (one row per sample) or (8, 1) (class indices)"));
  EXPECT_THAT(test::error_of([&] {
                make_loss("max_margin")->forward(Tensor({8, 10, 2, 2}), Tensor({8, 1, 1, 1}));
              }),
              HasSubstr("max_margin: output must be class scores (N, K), got (8, 10, 2, 2)"));
}

TEST(LossTargets, BadLabelsAndValues) {
  const Tensor scores({3, 4, 1, 1});
  for (const char* name : {"categorical_crossentropy", "softmax_crossentropy", "max_margin"}) {
    SCOPED_TRACE(name);
    auto loss = make_loss(name);
    Tensor d;
    EXPECT_THAT(test::error_of([&] {
                  loss->forward(scores, values({3, 1, 1, 1}, {0, 4, 1}));
                }),
                HasSubstr("label 4 of sample 1 is not a class index 0..3"));
    EXPECT_THAT(test::error_of([&] {
                  loss->backward(scores, values({3, 1, 1, 1}, {0, 1, -1}), d);
                }),
                HasSubstr("label -1 of sample 2"));
    EXPECT_THAT(test::error_of([&] {
                  loss->forward(scores, values({3, 1, 1, 1}, {0, 1.5f, 1}));
                }),
                HasSubstr("label 1.5 of sample 1"));
  }
  EXPECT_THAT(test::error_of([&] {
                make_loss("max_margin")
                    ->forward(scores,
                              values({3, 4, 1, 1}, {1, 0, 0, 0, 0, 1, 0, 0, 0.5f, 0.5f, 0, 0}));
              }),
              HasSubstr("max_margin: target row of sample 2 is not one-hot"));
  const Tensor two({1, 2, 1, 1});
  EXPECT_THAT(test::error_of([&] {
                make_loss("binary_crossentropy")->forward(two, values({1, 2, 1, 1}, {1, -1}));
              }),
              HasSubstr("target values must be in [0, 1], found -1 at index 1"));
  EXPECT_THAT(test::error_of([&] {
                make_loss("logistic")->forward(two, values({1, 2, 1, 1}, {1, 0.5f}));
              }),
              HasSubstr("logistic: target values must be -1 or +1 (0 counts as -1), found 0.5"));
}

}  // namespace
}  // namespace cnn
