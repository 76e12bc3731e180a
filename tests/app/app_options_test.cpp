// Startup options (app/app_options.h) as the page's query string gives them:
// good ones are taken, a bad or unknown one keeps the default and says what
// was expected, and parsing never throws.
#include "app/app_options.h"

#include <gtest/gtest.h>

namespace cnn::app {
namespace {

const std::vector<std::string> kDatasets = {"mnist", "fashion-mnist", "cifar10"};

TEST(AppOptions, GoodOptionsAreTaken) {
  const AppOptions o = AppOptions::parse(
      {{"model", "mnist-small"}, {"epochs", "3"}, {"dataset", "fashion-mnist"}, {"lr", "0.01"},
       {"present", ""}, {"width", "1024"}, {"style", ""}},
      kDatasets);
  EXPECT_TRUE(o.messages.empty());
  EXPECT_EQ(o.model, "mnist-small");
  EXPECT_EQ(o.train.epochs, 3);
  EXPECT_EQ(o.dataset, "fashion-mnist");
  EXPECT_FLOAT_EQ(o.train.lr, 0.01f);
  EXPECT_TRUE(o.present);
  EXPECT_TRUE(o.style);
  EXPECT_EQ(o.width, 1024);
}

TEST(AppOptions, ABadValueKeepsTheDefaultAndSaysWhatWasExpected) {
  const AppOptions defaults = AppOptions::parse({}, kDatasets);
  const AppOptions o = AppOptions::parse({{"model", "lenet5"}, {"epochs", "two"}}, kDatasets);
  ASSERT_EQ(o.messages.size(), 2u);
  EXPECT_EQ(o.train.epochs, defaults.train.epochs);
  EXPECT_EQ(o.model, defaults.model);
  // std::map order: epochs, then model.
  EXPECT_NE(o.messages[0].find("epochs=\"two\""), std::string::npos) << o.messages[0];
  EXPECT_NE(o.messages[0].find("a whole number >= 1"), std::string::npos) << o.messages[0];
  EXPECT_NE(o.messages[1].find("model=\"lenet5\""), std::string::npos) << o.messages[1];
  EXPECT_NE(o.messages[1].find("lenet"), std::string::npos) << o.messages[1];  // the presets
}

TEST(AppOptions, EveryKindOfBadValue) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"dataset", "imagenet"},
                                                        {"lr", "-1"},
                                                        {"lr", "fast"},
                                                        {"optimizer", "rmsprop"},
                                                        {"batch", "0"},
                                                        {"slice", "0"},
                                                        {"preprocessing", "whiten"},
                                                        {"threads", "2.5"},
                                                        {"jitter", "x"}}) {
    const AppOptions o = AppOptions::parse({{key, value}}, kDatasets);
    ASSERT_EQ(o.messages.size(), 1u) << key << "=" << value;
    EXPECT_NE(o.messages[0].find(key), std::string::npos) << o.messages[0];
    EXPECT_NE(o.messages[0].find("using the default"), std::string::npos) << o.messages[0];
  }
  EXPECT_EQ(AppOptions::parse({{"dataset", "imagenet"}}, kDatasets).dataset, "mnist");
}

TEST(AppOptions, UnknownKeysAreNamed) {
  const AppOptions o = AppOptions::parse({{"epoch", "2"}, {"model", "lenet"}}, kDatasets);
  ASSERT_EQ(o.messages.size(), 1u);
  EXPECT_NE(o.messages[0].find("unknown option \"epoch\""), std::string::npos) << o.messages[0];
  EXPECT_NE(o.messages[0].find("epochs"), std::string::npos);  // the known ones are listed
}

}  // namespace
}  // namespace cnn::app
