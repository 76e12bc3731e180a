#include "data/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file.h"

namespace cnn {

// Data is copied with memcpy: both targets (x86-64, wasm32) are little-endian.
static_assert(std::endian::native == std::endian::little);

namespace {

using Json = nlohmann::ordered_json;  // keeps tensors in data order when writing

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string quoted(const std::string& name) {
  return "tensor '" + name + "'";
}

float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  const int exponent = (h >> 10) & 0x1F;
  const uint32_t mantissa = h & 0x3FF;
  uint32_t bits;
  if (exponent == 0x1F) {  // inf / nan
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal: rebias 15 -> 127
    bits = sign | uint32_t(exponent + 112) << 23 | (mantissa << 13);
  } else if (mantissa == 0) {  // +-0
    bits = sign;
  } else {  // subnormal: mantissa * 2^-24, exact in float
    float v = float(mantissa) * (1.0f / 16777216.0f);
    std::memcpy(&bits, &v, 4);
    bits |= sign;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

struct DType {
  const char* name;
  size_t bytes;
};
constexpr DType kDTypes[] = {{"F32", 4}, {"F16", 2}, {"BF16", 2}, {"F64", 8}};

void convert(const std::string& dtype, const uint8_t* p, size_t count, float* out) {
  if (dtype == "F32") {
    std::memcpy(out, p, count * 4);
  } else if (dtype == "F64") {
    for (size_t i = 0; i < count; ++i) {
      double d;
      std::memcpy(&d, p + 8 * i, 8);
      out[i] = float(d);
    }
  } else {
    for (size_t i = 0; i < count; ++i) {
      uint16_t h = uint16_t(p[2 * i] | p[2 * i + 1] << 8);
      if (dtype == "F16") {
        out[i] = half_to_float(h);
      } else {  // BF16: the top half of a float
        uint32_t bits = uint32_t(h) << 16;
        std::memcpy(&out[i], &bits, 4);
      }
    }
  }
}

struct Entry {
  NamedTensor tensor;
  std::string dtype;
  size_t dtype_bytes = 0;
  uint64_t begin = 0, end = 0;
};

uint64_t to_u64(const Json& v) {
  return v.is_number_unsigned() ? v.get<uint64_t>() : uint64_t(v.get<int64_t>());
}

Entry parse_entry(const std::string& path, const std::string& name, const Json& info,
                  uint64_t data_size) {
  auto fail = [&](const std::string& problem) {
    return FileError(path, quoted(name) + ": " + problem);
  };
  if (!info.is_object()) throw fail("expected an object with dtype, shape and data_offsets");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!info.contains(key)) throw fail(std::string("missing \"") + key + "\"");
  Entry e;
  e.tensor.name = name;
  if (!info["dtype"].is_string()) throw fail("\"dtype\" is not a string");
  e.dtype = info["dtype"].get<std::string>();
  for (const DType& t : kDTypes)
    if (e.dtype == t.name) e.dtype_bytes = t.bytes;
  if (e.dtype_bytes == 0)
    throw fail("unsupported dtype " + e.dtype + " (F32, F16, BF16 and F64 can be read)");

  const Json& shape = info["shape"];
  if (!shape.is_array()) throw fail("\"shape\" is not an array");
  uint64_t count = 1;
  for (const Json& d : shape) {
    if (!d.is_number_integer()) throw fail("\"shape\" has a non-integer entry " + d.dump());
    int64_t v = d.get<int64_t>();
    e.tensor.shape.push_back(v);
    if (v < 0) throw fail("negative dimension " + std::to_string(v) + " in shape " + shape.dump());
    if (v > 0 && count > (uint64_t(1) << 40) / uint64_t(v))
      throw fail("shape " + shape.dump() + " is too large");
    count *= uint64_t(v);
  }

  const Json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_integer() ||
      !offsets[1].is_number_integer() || offsets[0].get<int64_t>() < 0 ||
      offsets[1].get<int64_t>() < 0)
    throw fail("\"data_offsets\" must be two non-negative integers, got " + offsets.dump());
  e.begin = to_u64(offsets[0]);
  e.end = to_u64(offsets[1]);
  if (e.begin > e.end || e.end > data_size)
    throw fail("data_offsets " + offsets.dump() + " are outside the data (" +
               std::to_string(data_size) + " bytes)");
  if (e.end - e.begin != count * e.dtype_bytes)
    throw fail("data_offsets " + offsets.dump() + " hold " + std::to_string(e.end - e.begin) +
               " bytes but shape " + shape_text(e.tensor.shape) + " of " + e.dtype + " needs " +
               std::to_string(count * e.dtype_bytes));
  e.tensor.values.resize(size_t(count));
  return e;
}

}  // namespace

const NamedTensor* SafetensorsFile::find(const std::string& name) const {
  for (const NamedTensor& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

void write_safetensors(const std::string& path, const SafetensorsFile& file) {
  Json header = Json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const NamedTensor& t : file.tensors) {
    if (t.name.empty() || t.name == "__metadata__")
      throw FileError(path, "cannot write a tensor named '" + t.name + "'");
    if (!names.insert(t.name).second)
      throw FileError(path, "two tensors are named '" + t.name + "'");
    uint64_t count = 1;
    for (int64_t d : t.shape) {
      if (d < 0)
        throw FileError(path,
                        quoted(t.name) + ": negative dimension in shape " + shape_text(t.shape));
      count *= uint64_t(d);
    }
    if (count != t.values.size())
      throw FileError(path, quoted(t.name) + ": shape " + shape_text(t.shape) + " needs " +
                                std::to_string(count) + " values but it has " +
                                std::to_string(t.values.size()));
    uint64_t bytes = count * 4;
    header[t.name] = {
        {"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  // Pad with spaces so the data starts 8-byte aligned (as the reference writer does).
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<uint8_t> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[size_t(i)] = uint8_t(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* data = out.data() + 8 + text.size();
  for (const NamedTensor& t : file.tensors) {
    std::memcpy(data, t.values.data(), t.values.size() * 4);
    data += t.values.size() * 4;
  }
  write_file_atomic(path, out);
}

SafetensorsFile read_safetensors(const std::string& path) {
  const std::vector<uint8_t> bytes = load_file_bytes(path);
  if (bytes.size() < 8)
    throw FileError(path, "not a safetensors file: " + std::to_string(bytes.size()) +
                              " bytes, shorter than the 8-byte header length");
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[size_t(i)]) << (8 * i);
  if (n > bytes.size() - 8)
    throw FileError(path, "not a safetensors file: the header length " + std::to_string(n) +
                              " is larger than the file (" + std::to_string(bytes.size()) +
                              " bytes)");
  const uint8_t* text = bytes.data() + 8;
  Json header;
  try {
    header = Json::parse(text, text + n);
  } catch (const Json::parse_error& e) {
    throw FileError(path, "the header is not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!header.is_object()) throw FileError(path, "the header is not a JSON object");

  const uint8_t* data = text + n;
  const uint64_t data_size = bytes.size() - 8 - n;
  SafetensorsFile file;
  std::vector<Entry> entries;
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) throw FileError(path, "\"__metadata__\" is not an object");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string())
          throw FileError(path, "\"__metadata__\" entry '" + k + "' is not a string: " + v.dump());
        file.metadata[k] = v.get<std::string>();
      }
      continue;
    }
    entries.push_back(parse_entry(path, key, value, data_size));
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  // Zero-size tensors take no bytes, so only tensors with data can overlap.
  const Entry* previous = nullptr;
  for (const Entry& e : entries) {
    if (e.begin == e.end) continue;
    if (previous && e.begin < previous->end)
      throw FileError(path, "tensors '" + previous->tensor.name + "' and '" + e.tensor.name +
                                "' overlap in the data");
    previous = &e;
  }
  for (Entry& e : entries) {
    convert(e.dtype, data + e.begin, e.tensor.values.size(), e.tensor.values.data());
    file.tensors.push_back(std::move(e.tensor));
  }
  return file;
}

}  // namespace cnn
