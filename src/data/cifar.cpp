#include "data/cifar.h"

#include <algorithm>
#include <cstdint>

#include "core/error.h"
#include "data/file.h"
#include "data/gzip.h"
#include "data/tar.h"

namespace cnn {

namespace {

constexpr int kSide = 32, kChannels = 3, kClasses = 10;
constexpr size_t kPixels = size_t(kChannels) * kSide * kSide;  // 3072
constexpr size_t kRecord = 1 + kPixels;                        // 3073

// Bytes of one batch file, wherever they live (a file, or inside an archive).
struct Batch {
  std::string name;  // for messages
  const uint8_t* bytes;
  size_t size;
};

size_t count_records(const Batch& b) {
  if (b.size == 0 || b.size % kRecord != 0)
    throw FileError(b.name, "not a CIFAR-10 batch file: " + std::to_string(b.size) +
                                " bytes is not a whole number of 3073-byte records "
                                "(1 label + 32x32x3 pixels)");
  return b.size / kRecord;
}

Dataset decode(const std::vector<Batch>& batches, const std::string& name) {
  size_t n = 0;
  for (const Batch& b : batches) n += count_records(b);
  Dataset d;
  d.name = name;
  d.num_classes = kClasses;
  d.class_names = cifar10_class_names();
  d.x = Tensor({int(n), kChannels, kSide, kSide});
  d.y = Tensor({int(n), 1, 1, 1});
  size_t i = 0;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.size / kRecord; ++r, ++i) {
      const uint8_t* rec = b.bytes + r * kRecord;
      if (rec[0] >= kClasses)
        throw FileError(b.name, "label " + std::to_string(rec[0]) + " of record " +
                                    std::to_string(r) + " is outside 0..9");
      d.y[i] = float(rec[0]);
      // The planes are already in NCHW order: R, G, B, each row-major.
      std::copy(rec + 1, rec + kRecord, d.x.sample(int(i)));
    }
  }
  return d;
}

}  // namespace

Dataset load_cifar10_batches(const std::vector<std::string>& files, const std::string& name) {
  if (files.empty()) throw Error("no CIFAR-10 batch files given");
  std::vector<std::vector<uint8_t>> contents;
  std::vector<Batch> batches;
  for (const std::string& f : files) contents.push_back(load_file_bytes(f));
  for (size_t k = 0; k < files.size(); ++k)
    batches.push_back({files[k], contents[k].data(), contents[k].size()});
  return decode(batches, name);
}

Dataset load_cifar10_archive(const std::string& path, bool train) {
  std::vector<uint8_t> archive = load_file_bytes(path);
  if (is_gzip(archive)) archive = gunzip(archive, path);
  std::vector<TarEntry> entries = list_tar(archive, path);

  std::vector<std::string> wanted;
  if (train)
    for (int k = 1; k <= 5; ++k) wanted.push_back("data_batch_" + std::to_string(k) + ".bin");
  else
    wanted.push_back("test_batch.bin");
  auto base_name = [](const std::string& p) { return p.substr(p.find_last_of('/') + 1); };
  auto is_batch = [&](const std::string& base) {
    return base == "test_batch.bin" || (base.rfind("data_batch_", 0) == 0 && base.size() > 4 &&
                                        base.compare(base.size() - 4, 4, ".bin") == 0);
  };
  if (std::none_of(entries.begin(), entries.end(),
                   [&](const TarEntry& e) { return is_batch(base_name(e.name)); }))
    throw FileError(path,
                    "no CIFAR-10 batch files in archive (expected "
                    "cifar-10-batches-bin/data_batch_1..5.bin and test_batch.bin)");

  std::vector<Batch> batches;
  for (const std::string& w : wanted) {
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const TarEntry& e) { return base_name(e.name) == w; });
    if (it == entries.end()) throw FileError(path, "the archive lacks cifar-10-batches-bin/" + w);
    batches.push_back({path + ":" + it->name, archive.data() + it->offset, it->size});
  }
  return decode(batches, train ? "cifar10/train" : "cifar10/test");
}

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names = {
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
  return names;
}

}  // namespace cnn
