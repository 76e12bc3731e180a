// Model files: save/load round trips, resuming training, and every broken
// file the loader must refuse with a message naming file and problem.
#include "model/model_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "data/safetensors.h"
#include "model/trainer.h"
#include "model/zoo.h"
#include "support/temp_dir.h"

namespace cnn {
namespace {

struct Toy {
  Tensor x{{32, 1, 12, 12}}, y{{32, 1, 1, 1}};
  Toy() {
    Rng rng(9);
    for (size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform();
    for (int i = 0; i < 32; ++i) y[i] = float(i % 3);
  }
};

Model toy_model() {
  Model m({1, 1, 12, 12});
  m.add(make_brick({{"type", "conv2d"}, {"filters", 3}, {"kernel", 3}}));
  m.add(make_brick({{"type", "batchnorm"}}));
  m.add(make_brick({{"type", "relu"}}));
  m.add(make_brick({{"type", "maxpool2d"}, {"size", 2}}));
  m.add(make_brick({{"type", "dense"}, {"units", 3}}));
  m.build(11);
  m.compile({.optimizer = {{"type", "adam"}, {"lr", 0.01}}});
  return m;
}

TEST(ModelFile, RoundTripKeepsPredictionsStateAndMetadata) {
  Toy d;
  Model m = toy_model();
  m.fit(d.x, d.y, {.epochs = 1, .batch_size = 8});
  m.metadata["dataset"] = "toy";
  const std::string path = testing::temp_dir() + "/m.safetensors";
  save_model(path, m);
  Model back = load_model(path);
  EXPECT_EQ(back.architecture(), m.architecture());
  EXPECT_EQ(back.metadata["dataset"], "toy");
  EXPECT_EQ(back.optimizer()->steps(), m.optimizer()->steps());
  EXPECT_EQ(back.optimizer()->config(), m.optimizer()->config());
  const Tensor a = m.predict(d.x)[0], b = back.predict(d.x)[0];
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << i;  // BN running stats included
}

TEST(ModelFile, ResumingEqualsTrainingStraightThrough) {
  // Without shuffling nothing random remains, so 1 + save/load + 1 epochs
  // must equal 2 epochs exactly: weights, Adam moments and step count all saved.
  Toy d;
  Model straight = toy_model();
  straight.fit(d.x, d.y, {.epochs = 2, .batch_size = 8, .shuffle = false});
  Model first = toy_model();
  first.fit(d.x, d.y, {.epochs = 1, .batch_size = 8, .shuffle = false});
  const std::string path = testing::temp_dir() + "/half.safetensors";
  save_model(path, first);
  Model resumed = load_model(path);
  resumed.fit(d.x, d.y, {.epochs = 2, .batch_size = 8, .shuffle = false, .initial_epoch = 1});
  auto p = straight.params(), q = resumed.params();
  ASSERT_EQ(p.size(), q.size());
  for (size_t k = 0; k < p.size(); ++k)
    for (size_t i = 0; i < p[k]->value.size(); ++i) ASSERT_EQ(p[k]->value[i], q[k]->value[i]);
}

// Saves the toy model, lets `edit` break the file's contents, writes it back.
std::string broken_file(const std::function<void(SafetensorsFile&)>& edit) {
  Model m = toy_model();
  const std::string path = testing::temp_dir() + "/broken.safetensors";
  save_model(path, m);
  SafetensorsFile f = read_safetensors(path);
  edit(f);
  write_safetensors(path, f);
  return path;
}

TEST(ModelFile, RefusesBrokenFilesWithClearMessages) {
  using nlohmann::json;
  EXPECT_ERROR_CONTAINS(load_model("/nonexistent/m.safetensors"), "/nonexistent/m.safetensors");

  std::string p = broken_file([](SafetensorsFile& f) { f.metadata.erase("format"); });
  EXPECT_ERROR_CONTAINS(load_model(p), p.c_str(), "not a CNN Playground model file");

  p = broken_file([](SafetensorsFile& f) {
    for (auto& t : f.tensors)
      if (t.name == "dense_1.weight") t.shape = {3, 2, 2}, t.values.resize(12);
  });
  EXPECT_ERROR_CONTAINS(load_model(p), p.c_str(), "dense_1.weight", "[3,2,2]", "[3,75]");

  p = broken_file([](SafetensorsFile& f) {
    std::erase_if(f.tensors, [](const NamedTensor& t) { return t.name == "conv2d_1.bias"; });
  });
  EXPECT_ERROR_CONTAINS(load_model(p), p.c_str(), "conv2d_1.bias", "missing");

  p = broken_file([](SafetensorsFile& f) {
    f.tensors.push_back({"stray.weight", {2}, {1.f, 2.f}});
  });
  EXPECT_ERROR_CONTAINS(load_model(p), "stray.weight", "does not belong");

  p = broken_file([](SafetensorsFile& f) {
    json a = json::parse(f.metadata["architecture"]);
    a["nodes"][2]["brick"]["type"] = "quantum";
    f.metadata["architecture"] = a.dump();
  });
  EXPECT_ERROR_CONTAINS(load_model(p), p.c_str(), "quantum");

  p = broken_file([](SafetensorsFile& f) { f.metadata["architecture"] = "{not json"; });
  EXPECT_ERROR_CONTAINS(load_model(p), p.c_str(), "architecture", "not valid JSON");

  // A truncated file: the container reader's message, with the path.
  p = broken_file([](SafetensorsFile&) {});
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  in.close();
  std::ofstream(p, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), std::streamsize(bytes.size() / 2));
  EXPECT_ERROR_CONTAINS(load_model(p), p.c_str());
}

}  // namespace
}  // namespace cnn
