#include "pretrained/tfjs_layers.h"

#include <bit>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/file.h"

namespace cnn {

// Shard data is copied with memcpy: both targets are little-endian, as the format.
static_assert(std::endian::native == std::endian::little);

namespace {

using Json = nlohmann::json;

std::string tensor_label(const std::string& name) {
  return "tensor '" + name + "'";
}

std::string folder_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// ---- topology ---------------------------------------------------------------

// Keras 3 stores calls as {"args": [...], "kwargs": {...}} with input tensors
// as {"class_name": "__keras_tensor__", "config": {"keras_history": [name, node, index]}}.
void collect_history(const Json& j, std::vector<std::string>& names) {
  if (j.is_object()) {
    auto h = j.find("keras_history");
    if (h != j.end() && h->is_array() && !h->empty() && (*h)[0].is_string()) {
      names.push_back((*h)[0].get<std::string>());
      return;
    }
    for (const auto& item : j.items()) collect_history(item.value(), names);
  } else if (j.is_array()) {
    for (const Json& e : j) collect_history(e, names);
  }
}

// The layers feeding the first call of a layer. Keras 2 writes
// [[["input_1", 0, 0, {}], ...]] (a list of calls, each a list of inputs).
std::vector<std::string> inbound_of(const Json& layer) {
  std::vector<std::string> names;
  auto nodes = layer.find("inbound_nodes");
  if (nodes == layer.end() || !nodes->is_array() || nodes->empty()) return names;
  const Json& call = (*nodes)[0];
  if (call.is_array()) {
    for (const Json& input : call)
      if (input.is_array() && !input.empty() && input[0].is_string())
        names.push_back(input[0].get<std::string>());
  } else {
    collect_history(call, names);
  }
  return names;
}

// "input_layers": [["input_1", 0, 0]] or, from Keras 3 with one input, ["input_1", 0, 0].
std::vector<std::string> endpoint_names(const Json& list) {
  std::vector<std::string> names;
  if (!list.is_array() || list.empty()) return names;
  if (list[0].is_string()) return {list[0].get<std::string>()};
  for (const Json& e : list)
    if (e.is_array() && !e.empty() && e[0].is_string()) names.push_back(e[0].get<std::string>());
  return names;
}

void read_topology(const std::string& path, const Json& root, TfjsModel& m) {
  auto fail = [&](const std::string& problem) {
    return FileError(path, "modelTopology: " + problem);
  };
  auto t = root.find("modelTopology");
  if (t == root.end() || !t->is_object())
    throw FileError(path, "not a TF.js layers model: no \"modelTopology\" object" +
                              (m.format.empty() ? std::string() : " (format " + m.format + ")"));
  const Json* model = &*t;
  if (model->contains("model_config")) model = &(*model)["model_config"];
  if (!model->is_object() || !model->contains("class_name") || !(*model)["class_name"].is_string())
    throw fail("no \"class_name\" of the model");
  m.model_class = (*model)["class_name"].get<std::string>();
  const Json& config = model->value("config", Json());
  // Old Sequential models store the layer list as the config itself.
  const Json& layers = config.is_array() ? config : config.value("layers", Json());
  if (!layers.is_array()) throw fail("no \"layers\" list");

  std::set<std::string> seen;
  for (const Json& l : layers) {
    if (!l.is_object() || !l.contains("class_name") || !l["class_name"].is_string())
      throw fail("a layer without \"class_name\": " + l.dump().substr(0, 200));
    TfjsLayer layer;
    layer.class_name = l["class_name"].get<std::string>();
    layer.config = l.value("config", Json::object());
    if (l.contains("name") && l["name"].is_string())
      layer.name = l["name"].get<std::string>();
    else if (layer.config.contains("name") && layer.config["name"].is_string())
      layer.name = layer.config["name"].get<std::string>();
    else
      throw fail("a " + layer.class_name + " layer without a name");
    if (!seen.insert(layer.name).second) throw fail("two layers are named '" + layer.name + "'");
    if (m.model_class == "Sequential") {
      if (!m.layers.empty()) layer.inbound = {m.layers.back().name};
    } else {
      layer.inbound = inbound_of(l);
      for (const std::string& in : layer.inbound)
        if (!seen.count(in))
          throw fail("layer '" + layer.name + "' reads '" + in +
                     "', which is not defined before it");
    }
    m.layers.push_back(std::move(layer));
  }
  if (m.model_class == "Sequential") {
    if (!m.layers.empty()) m.inputs = {m.layers.front().name}, m.outputs = {m.layers.back().name};
  } else if (config.is_object()) {
    m.inputs = endpoint_names(config.value("input_layers", Json()));
    m.outputs = endpoint_names(config.value("output_layers", Json()));
  }
}

// ---- weights ----------------------------------------------------------------

struct Entry {
  std::string name;
  std::vector<int64_t> shape;
  uint64_t count = 0;
};

Entry parse_entry(const std::string& path, size_t group, const Json& w) {
  const std::string where = "weightsManifest group " + std::to_string(group + 1) + ": ";
  if (!w.is_object() || !w.contains("name") || !w["name"].is_string())
    throw FileError(path, where + "a weight without a name: " + w.dump().substr(0, 200));
  Entry e;
  e.name = w["name"].get<std::string>();
  auto fail = [&](const std::string& problem) {
    return FileError(path, where + tensor_label(e.name) + ": " + problem);
  };
  if (w.contains("quantization"))
    throw fail("quantized weights (" + w["quantization"].value("dtype", std::string("?")) +
               ") are not supported; convert the model without quantization");
  if (!w.contains("dtype") || !w["dtype"].is_string()) throw fail("no \"dtype\"");
  const std::string dtype = w["dtype"].get<std::string>();
  if (dtype != "float32") throw fail("dtype " + dtype + " is not supported (only float32)");
  if (!w.contains("shape") || !w["shape"].is_array()) throw fail("no \"shape\" list");
  e.count = 1;
  for (const Json& d : w["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0)
      throw fail("bad dimension " + d.dump() + " in shape " + w["shape"].dump());
    const int64_t v = d.get<int64_t>();
    if (v > 0 && e.count > (uint64_t(1) << 36) / uint64_t(v))
      throw fail("shape " + w["shape"].dump() + " is too large");
    e.shape.push_back(v);
    e.count *= uint64_t(v);
  }
  return e;
}

// The bytes of one group, read shard by shard as the tensors need them.
class ShardStream {
 public:
  ShardStream(const std::string& model_path, const Json& paths, size_t group)
      : model_path_(model_path), folder_(folder_of(model_path)), paths_(paths), group_(group) {}

  // Copies the next `bytes` bytes to out (or skips them if out is null);
  // they are `tensor`, at `begin` in the group's data.
  void read(uint8_t* out, uint64_t bytes, const std::string& tensor, uint64_t begin) {
    const uint64_t end = begin + bytes;
    while (bytes > 0) {
      if (pos_ == buf_.size()) {
        if (next_ == paths_.size())
          throw FileError(current_.empty() ? model_path_ : current_,
                          "truncated: " + tensor_label(tensor) + " needs bytes " +
                              std::to_string(begin) + ".." + std::to_string(end) + " of group " +
                              std::to_string(group_ + 1) + " in " + model_path_ +
                              ", but its shards end at byte " + std::to_string(consumed_));
        open_next(tensor);
        continue;
      }
      const uint64_t n = std::min<uint64_t>(bytes, buf_.size() - pos_);
      if (out) {
        std::memcpy(out, buf_.data() + pos_, n);
        out += n;
      }
      pos_ += n;
      consumed_ += n;
      bytes -= n;
    }
  }

  // After the last tensor: nothing may be left over.
  void finish(const std::string& last_tensor) {
    const std::string after =
        last_tensor.empty() ? "no weights" : "the last tensor, '" + last_tensor + "'";
    if (pos_ < buf_.size())
      throw FileError(current_, "longer than " + model_path_ + " says: " +
                                    std::to_string(buf_.size() - pos_) + " bytes after " + after);
    if (next_ < paths_.size())
      throw FileError(shard_path(next_), "listed in " + model_path_ + " but not needed: group " +
                                             std::to_string(group_ + 1) + " ends with " + after);
  }

 private:
  std::string shard_path(size_t i) const {
    if (!paths_[i].is_string())
      throw FileError(model_path_, "weightsManifest group " + std::to_string(group_ + 1) +
                                       ": shard path " + paths_[i].dump() + " is not a string");
    return folder_ + paths_[i].get<std::string>();
  }

  void open_next(const std::string& tensor) {
    current_ = shard_path(next_++);
    if (!file_exists(current_))
      throw FileError(current_, "missing shard (listed in " + model_path_ + ", holds " +
                                    tensor_label(tensor) + ")");
    buf_ = load_file_bytes(current_);
    pos_ = 0;
  }

  const std::string& model_path_;
  std::string folder_;
  const Json& paths_;
  size_t group_;
  size_t next_ = 0;
  std::string current_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;  // bytes of the group read so far
};

void read_weights(const std::string& path, const Json& root, const TfjsReadOptions& options,
                  TfjsModel& m) {
  auto manifest = root.find("weightsManifest");
  if (manifest == root.end() || !manifest->is_array())
    throw FileError(path, "no \"weightsManifest\" list");
  std::set<std::string> names;
  for (size_t g = 0; g < manifest->size(); ++g) {
    const Json& group = (*manifest)[g];
    const std::string where = "weightsManifest group " + std::to_string(g + 1);
    if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() ||
        !group.contains("weights") || !group["weights"].is_array())
      throw FileError(path, where + ": needs \"paths\" and \"weights\" lists");
    // Parse the whole group first, so a bad entry is reported before any shard is read.
    std::vector<Entry> entries;
    for (const Json& w : group["weights"]) {
      entries.push_back(parse_entry(path, g, w));
      if (!names.insert(entries.back().name).second)
        throw FileError(path, where + ": two weights are named '" + entries.back().name + "'");
    }
    ShardStream stream(path, group["paths"], g);
    uint64_t offset = 0;
    for (const Entry& e : entries) {
      const uint64_t bytes = e.count * 4;
      if (!options.keep || options.keep(e.name)) {
        NamedTensor t{e.name, e.shape, std::vector<float>(size_t(e.count))};
        stream.read(reinterpret_cast<uint8_t*>(t.values.data()), bytes, e.name, offset);
        m.weights.push_back(std::move(t));
      } else {
        stream.read(nullptr, bytes, e.name, offset);
      }
      offset += bytes;
    }
    stream.finish(entries.empty() ? "" : entries.back().name);
  }
}

}  // namespace

const NamedTensor* TfjsModel::weight(const std::string& name) const {
  for (const NamedTensor& t : weights)
    if (t.name == name) return &t;
  return nullptr;
}

const TfjsLayer* TfjsModel::layer(const std::string& name) const {
  for (const TfjsLayer& l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

TfjsModel read_tfjs_layers(const std::string& path, const TfjsReadOptions& options) {
  const std::vector<uint8_t> bytes = load_file_bytes(path);
  Json root;
  try {
    root = Json::parse(bytes.begin(), bytes.end());
  } catch (const Json::parse_error& e) {
    throw FileError(path, "not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!root.is_object()) throw FileError(path, "not a TF.js model: the JSON is not an object");
  TfjsModel m;
  try {
    m.format = root.value("format", std::string());
    m.generated_by = root.value("generatedBy", std::string());
    m.converted_by = root.value("convertedBy", std::string());
  } catch (const Json::exception&) {
    throw FileError(path, "\"format\", \"generatedBy\" and \"convertedBy\" must be strings");
  }
  if (!m.format.empty() && m.format != "layers-model")
    throw FileError(path, "format \"" + m.format + "\" is not supported (only layers-model)");
  try {
    read_topology(path, root, m);
    if (!options.topology_only) read_weights(path, root, options, m);
  } catch (const Json::exception& e) {  // a value of an unexpected JSON type
    throw FileError(path, std::string("unexpected structure (") + e.what() + ")");
  }
  return m;
}

Tensor keras_conv_kernel(const NamedTensor& k) {
  if (k.shape.size() != 4)
    throw Error("keras_conv_kernel: " + tensor_label(k.name) + " is not 4-D [kh, kw, in, out]");
  const int kh = int(k.shape[0]), kw = int(k.shape[1]), in = int(k.shape[2]), out = int(k.shape[3]);
  Tensor t({out, in, kh, kw});
  // Writes in order, reads strided (25M weights of ResNet50: this loop matters).
  float* dst = t.data();
  const float* src = k.values.data();
  for (int o = 0; o < out; ++o)
    for (int i = 0; i < in; ++i)
      for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x) *dst++ = src[((size_t(y) * kw + x) * in + i) * out + o];
  return t;
}

Tensor keras_dense_kernel(const NamedTensor& k) {
  if (k.shape.size() != 2)
    throw Error("keras_dense_kernel: " + tensor_label(k.name) + " is not 2-D [in, out]");
  const int in = int(k.shape[0]), out = int(k.shape[1]);
  Tensor t({out, in, 1, 1});
  for (int i = 0; i < in; ++i)
    for (int o = 0; o < out; ++o) t[size_t(o) * in + i] = k.values[size_t(i) * out + o];
  return t;
}

Tensor keras_vector(const NamedTensor& v) {
  if (v.shape.size() != 1) throw Error("keras_vector: " + tensor_label(v.name) + " is not 1-D");
  Tensor t({1, int(v.shape[0]), 1, 1});
  std::copy(v.values.begin(), v.values.end(), t.data());
  return t;
}

}  // namespace cnn
