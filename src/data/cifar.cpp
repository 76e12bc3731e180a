#include "data/cifar.h"

#include <algorithm>
#include <cstdint>

#include "core/error.h"
#include "core/file.h"
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

void check_labels(const Batch& b) {
  for (size_t r = 0; r < b.size / kRecord; ++r)
    if (b.bytes[r * kRecord] >= kClasses)
      throw FileError(b.name, "label " + std::to_string(b.bytes[r * kRecord]) + " of record " +
                                  std::to_string(r) + " is outside 0..9");
}

Dataset decode(const std::vector<Batch>& batches, const std::string& name) {
  size_t n = 0;
  for (const Batch& b : batches) {
    n += count_records(b);
    check_labels(b);
  }
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
      d.y[i] = float(rec[0]);
      // The planes are already in NCHW order: R, G, B, each row-major.
      std::copy(rec + 1, rec + kRecord, d.x.sample(int(i)));
    }
  }
  return d;
}

std::string base_name(const std::string& p) {
  return p.substr(p.find_last_of('/') + 1);
}

// The tar inside (gunzipped when compressed) and its files; throws unless
// some CIFAR-10 batch is among them.
struct Archive {
  std::vector<uint8_t> tar;
  std::vector<TarEntry> entries;
  const TarEntry* find(const std::string& base) const {
    for (const TarEntry& e : entries)
      if (base_name(e.name) == base) return &e;
    return nullptr;
  }
  Batch batch(const TarEntry& e, const std::string& path) const {
    return {path + ":" + e.name, tar.data() + e.offset, e.size};
  }
};

Archive unpack(std::vector<uint8_t> bytes, const std::string& path) {
  Archive a;
  a.tar = is_gzip(bytes) ? gunzip(bytes, path) : std::move(bytes);
  a.entries = list_tar(a.tar, path);
  if (std::none_of(a.entries.begin(), a.entries.end(), [](const TarEntry& e) {
        const std::string base = base_name(e.name);
        return base == "test_batch.bin" || cifar10_training_batch_number(base) > 0;
      }))
    throw FileError(path,
                    "no CIFAR-10 batch files in archive (expected "
                    "cifar-10-batches-bin/data_batch_1..5.bin and test_batch.bin)");
  return a;
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

Dataset parse_cifar10_batches(const std::vector<NamedBytes>& files, const std::string& name) {
  if (files.empty()) throw Error("no CIFAR-10 batch files given");
  std::vector<Batch> batches;
  for (const NamedBytes& f : files) batches.push_back({f.name, f.bytes.data(), f.bytes.size()});
  return decode(batches, name);
}

size_t check_cifar10_batch(const std::vector<uint8_t>& bytes, const std::string& name) {
  const Batch b{name, bytes.data(), bytes.size()};
  const size_t n = count_records(b);
  check_labels(b);
  return n;
}

Dataset load_cifar10_archive(const std::string& path, bool train) {
  const Archive a = unpack(load_file_bytes(path), path);
  std::vector<std::string> wanted;
  if (train)
    for (int k = 1; k <= 5; ++k) wanted.push_back("data_batch_" + std::to_string(k) + ".bin");
  else
    wanted.push_back("test_batch.bin");
  std::vector<Batch> batches;
  for (const std::string& w : wanted) {
    const TarEntry* e = a.find(w);
    if (!e) throw FileError(path, "the archive lacks cifar-10-batches-bin/" + w);
    batches.push_back(a.batch(*e, path));
  }
  return decode(batches, train ? "cifar10/train" : "cifar10/test");
}

std::vector<NamedBytes> cifar10_archive_batches(std::vector<uint8_t> bytes,
                                                const std::string& path) {
  const Archive a = unpack(std::move(bytes), path);
  std::vector<std::pair<int, const TarEntry*>> numbered;
  for (const TarEntry& e : a.entries) {
    const std::string base = base_name(e.name);
    if (int k = cifar10_training_batch_number(base); k > 0) numbered.push_back({k, &e});
  }
  std::stable_sort(numbered.begin(), numbered.end(),
                   [](const auto& p, const auto& q) { return p.first < q.first; });
  if (const TarEntry* test = a.find("test_batch.bin")) numbered.push_back({0, test});
  std::vector<NamedBytes> out;
  for (const auto& [k, e] : numbered) {
    const uint8_t* begin = a.tar.data() + e->offset;
    out.push_back({path + ":" + e->name, std::vector<uint8_t>(begin, begin + e->size)});
  }
  return out;
}

Cifar10Sets parse_cifar10_archive(std::vector<uint8_t> bytes, const std::string& path) {
  std::vector<NamedBytes> batches = cifar10_archive_batches(std::move(bytes), path);
  std::vector<NamedBytes> train;
  const NamedBytes* test = nullptr;
  for (const NamedBytes& b : batches) {
    if (base_name(b.name) == "test_batch.bin")
      test = &b;
    else
      train.push_back(b);
  }
  if (train.empty())
    throw FileError(
        path, "the archive has no training batches (cifar-10-batches-bin/data_batch_1..5.bin)");
  if (!test) throw FileError(path, "the archive lacks cifar-10-batches-bin/test_batch.bin");
  Cifar10Sets sets;
  sets.train = parse_cifar10_batches(train, "cifar10/train");
  sets.test = parse_cifar10_batches({*test}, "cifar10/test");
  return sets;
}

int cifar10_training_batch_number(const std::string& base) {
  const std::string prefix = "data_batch_", suffix = ".bin";
  if (base.size() <= prefix.size() + suffix.size() || base.rfind(prefix, 0) != 0 ||
      base.compare(base.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  const std::string digits =
      base.substr(prefix.size(), base.size() - prefix.size() - suffix.size());
  if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(digits);
}

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names = {
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
  return names;
}

}  // namespace cnn
