#include "data/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <limits>

#include <nlohmann/json.hpp>

#include "data_test_util.h"

namespace cnn {
namespace {

using test::Bytes;

// A safetensors file from a header text and raw data, written by hand.
Bytes raw_file(const std::string& header, const Bytes& data) {
  Bytes out;
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(n >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes f32_bytes(const std::vector<float>& v) {
  Bytes b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Writes raw bytes to <dir>/<name> and returns the error message of reading it.
std::string read_error(const std::string& dir, const std::string& name, const Bytes& bytes) {
  std::string path = dir + "/" + name;
  test::write_bytes(path, bytes);
  return test::error_of([&] { read_safetensors(path); });
}

TEST(Safetensors, RoundTripKeepsNamesShapesValuesOrderAndMetadata) {
  std::string dir = test::temp_dir("st_roundtrip");
  SafetensorsFile f;
  f.metadata = {{"format", "cnn"}, {"model", "{\"layers\": 3}"}};
  f.tensors.push_back({"conv1.weight", {2, 1, 3, 3}, {}});
  for (int i = 0; i < 18; ++i) f.tensors.back().values.push_back(0.5f * float(i) - 3.f);
  f.tensors.push_back({"a.bias", {2}, {-0.f, std::numeric_limits<float>::infinity()}});
  f.tensors.push_back({"empty", {0, 4}, {}});
  f.tensors.push_back({"scalar", {}, {7.25f}});
  write_safetensors(dir + "/m.safetensors", f);
  SafetensorsFile g = read_safetensors(dir + "/m.safetensors");
  EXPECT_EQ(g.metadata, f.metadata);
  ASSERT_EQ(g.tensors.size(), 4u);
  // Tensors come back in data order, which is the order written.
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g.tensors[i].name, f.tensors[i].name);
    EXPECT_EQ(g.tensors[i].shape, f.tensors[i].shape);
    EXPECT_EQ(g.tensors[i].values, f.tensors[i].values);
  }
  ASSERT_NE(g.find("a.bias"), nullptr);
  EXPECT_TRUE(std::signbit(g.find("a.bias")->values[0]));
  EXPECT_EQ(g.find("nope"), nullptr);
}

TEST(Safetensors, WrittenBytesFollowTheFormat) {
  std::string dir = test::temp_dir("st_layout");
  SafetensorsFile f;
  f.metadata = {{"k", "v"}};
  f.tensors.push_back({"b", {3}, {1.f, 2.f, 3.f}});
  f.tensors.push_back({"a", {1, 2}, {4.f, 5.f}});
  write_safetensors(dir + "/x.safetensors", f);
  Bytes bytes = test::read_bytes(dir + "/x.safetensors");
  ASSERT_GE(bytes.size(), 8u);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[size_t(i)]) << (8 * i);
  EXPECT_EQ((8 + n) % 8, 0u) << "data should start 8-byte aligned";
  ASSERT_EQ(bytes.size(), 8 + n + 20);
  nlohmann::json h =
      nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + std::ptrdiff_t(n));
  EXPECT_EQ(h["__metadata__"]["k"], "v");
  EXPECT_EQ(h["b"]["dtype"], "F32");
  EXPECT_EQ(h["b"]["shape"], nlohmann::json({3}));
  EXPECT_EQ(h["b"]["data_offsets"], nlohmann::json({0, 12}));
  EXPECT_EQ(h["a"]["data_offsets"], nlohmann::json({12, 20}));
  float v;
  std::memcpy(&v, &bytes[8 + n + 12], 4);
  EXPECT_EQ(v, 4.f);
}

TEST(Safetensors, ConvertsF16BF16AndF64) {
  std::string dir = test::temp_dir("st_dtypes");
  // F16: 1.0 = 0x3C00, -2.5 = 0xC100, smallest subnormal 2^-24 = 0x0001, inf = 0x7C00.
  Bytes f16 = {0x00, 0x3C, 0x00, 0xC1, 0x01, 0x00, 0x00, 0x7C};
  // BF16: 1.0 = 0x3F80, -0.15625 = 0xBE20.
  Bytes bf16 = {0x80, 0x3F, 0x20, 0xBE};
  Bytes f64(16);
  double d[2] = {0.1, -1e10};
  std::memcpy(f64.data(), d, 16);
  Bytes data = f16;
  data.insert(data.end(), bf16.begin(), bf16.end());
  data.insert(data.end(), f64.begin(), f64.end());
  std::string header = R"({"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},)"
                       R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},)"
                       R"("d":{"dtype":"F64","shape":[2],"data_offsets":[12,28]}})";
  test::write_bytes(dir + "/t.safetensors", raw_file(header, data));
  SafetensorsFile f = read_safetensors(dir + "/t.safetensors");
  EXPECT_EQ(f.find("h")->values, (std::vector<float>{1.f, -2.5f, std::ldexp(1.f, -24),
                                                     std::numeric_limits<float>::infinity()}));
  EXPECT_EQ(f.find("h")->shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(f.find("b")->values, (std::vector<float>{1.f, -0.15625f}));
  EXPECT_EQ(f.find("d")->values, (std::vector<float>{0.1f, -1e10f}));
}

TEST(Safetensors, BrokenFilesNameTheFileTensorAndProblem) {
  std::string dir = test::temp_dir("st_broken");
  const Bytes data = f32_bytes({1, 2, 3, 4});
  auto one = [](const std::string& entry) { return "{\"w\":" + entry + "}"; };

  EXPECT_EQ(read_error(dir, "short", {1, 2, 3}),
            dir + "/short: not a safetensors file: 3 bytes, shorter than the 8-byte header length");
  Bytes huge = raw_file("{}", {});
  huge[5] = 1;  // header length 2^40 + 2
  EXPECT_CONTAINS(read_error(dir, "huge", huge),
                  "/huge: not a safetensors file: the header length 1099511627778 is larger than "
                  "the file (10 bytes)");
  EXPECT_CONTAINS(read_error(dir, "nojson", raw_file("{\"w\": [1,", data)),
                  "/nojson: the header is not valid JSON");
  EXPECT_EQ(read_error(dir, "array", raw_file("[1,2]", data)),
            dir + "/array: the header is not a JSON object");
  EXPECT_EQ(
      read_error(dir, "nodtype", raw_file(one(R"({"shape":[4],"data_offsets":[0,16]})"), data)),
      dir + "/nodtype: tensor 'w': missing \"dtype\"");
  EXPECT_EQ(
      read_error(dir, "noshape", raw_file(one(R"({"dtype":"F32","data_offsets":[0,16]})"), data)),
      dir + "/noshape: tensor 'w': missing \"shape\"");
  EXPECT_EQ(read_error(dir, "nooffsets", raw_file(one(R"({"dtype":"F32","shape":[4]})"), data)),
            dir + "/nooffsets: tensor 'w': missing \"data_offsets\"");
  EXPECT_CONTAINS(
      read_error(dir, "i64",
                 raw_file(one(R"({"dtype":"I64","shape":[2],"data_offsets":[0,16]})"), data)),
      "/i64: tensor 'w': unsupported dtype I64");
  EXPECT_EQ(read_error(dir, "range",
                       raw_file(one(R"({"dtype":"F32","shape":[8],"data_offsets":[0,32]})"), data)),
            dir + "/range: tensor 'w': data_offsets [0,32] are outside the data (16 bytes)");
  EXPECT_EQ(
      read_error(dir, "mismatch",
                 raw_file(one(R"({"dtype":"F32","shape":[3],"data_offsets":[0,16]})"), data)),
      dir +
          "/mismatch: tensor 'w': data_offsets [0,16] hold 16 bytes but shape [3] of F32 needs 12");
  EXPECT_EQ(
      read_error(dir, "negative",
                 raw_file(one(R"({"dtype":"F32","shape":[-2,2],"data_offsets":[0,16]})"), data)),
      dir + "/negative: tensor 'w': negative dimension -2 in shape [-2,2]");
  EXPECT_CONTAINS(
      read_error(dir, "backwards",
                 raw_file(one(R"({"dtype":"F32","shape":[0],"data_offsets":[8,4]})"), data)),
      "/backwards: tensor 'w': data_offsets [8,4] are outside the data");
  EXPECT_EQ(read_error(dir, "overlap",
                       raw_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
                                R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                                data)),
            dir + "/overlap: tensors 'a' and 'b' overlap in the data");
  EXPECT_EQ(read_error(dir, "meta", raw_file(R"({"__metadata__":{"n":3}})", {})),
            dir + "/meta: \"__metadata__\" entry 'n' is not a string: 3");
  EXPECT_EQ(read_error(dir, "notobj", raw_file(one("5"), data)),
            dir + "/notobj: tensor 'w': expected an object with dtype, shape and data_offsets");
  EXPECT_EQ(test::error_of([&] { read_safetensors(dir + "/absent"); }),
            dir + "/absent: cannot open: No such file or directory");
}

TEST(Safetensors, WriterRejectsInconsistentTensors) {
  std::string dir = test::temp_dir("st_writer");
  SafetensorsFile f;
  f.tensors.push_back({"w", {2, 3}, {1, 2, 3}});
  EXPECT_EQ(test::error_of([&] { write_safetensors(dir + "/w", f); }),
            dir + "/w: tensor 'w': shape [2,3] needs 6 values but it has 3");
  f.tensors = {{"a", {1}, {1}}, {"a", {1}, {2}}};
  EXPECT_EQ(test::error_of([&] { write_safetensors(dir + "/w", f); }),
            dir + "/w: two tensors are named 'a'");
  EXPECT_FALSE(std::filesystem::exists(dir + "/w"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.tmp"));
}

TEST(Safetensors, FailedWriteLeavesTheExistingFileIntact) {
  std::string dir = test::temp_dir("st_atomic");
  SafetensorsFile old_file;
  old_file.tensors.push_back({"old", {1}, {1.f}});
  write_safetensors(dir + "/m.safetensors", old_file);
  EXPECT_FALSE(std::filesystem::exists(dir + "/m.safetensors.tmp"));
  // A directory in the way of the temporary file makes the write fail.
  std::filesystem::create_directory(dir + "/m.safetensors.tmp");
  SafetensorsFile new_file;
  new_file.tensors.push_back({"new", {1}, {2.f}});
  EXPECT_CONTAINS(test::error_of([&] { write_safetensors(dir + "/m.safetensors", new_file); }),
                  "/m.safetensors: cannot write");
  SafetensorsFile back = read_safetensors(dir + "/m.safetensors");
  ASSERT_EQ(back.tensors.size(), 1u);
  EXPECT_EQ(back.tensors[0].name, "old");
  // A folder that does not exist.
  EXPECT_CONTAINS(
      test::error_of([&] { write_safetensors(dir + "/no/such/dir/m.safetensors", new_file); }),
      "/no/such/dir/m.safetensors: cannot write: No such file or directory");
}

}  // namespace
}  // namespace cnn
