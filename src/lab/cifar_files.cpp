#include "lab/cifar_files.h"

#include <algorithm>

#include "core/error.h"
#include "data/cifar.h"
#include "data/gzip.h"

namespace cnn::lab {

namespace {

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\:");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// An archive by its contents: gzip magic, or a tar header's "ustar" magic.
bool looks_like_archive(const std::vector<uint8_t>& bytes) {
  if (is_gzip(bytes)) return true;
  static const char ustar[] = "ustar";
  return bytes.size() >= 512 && std::equal(ustar, ustar + 5, bytes.begin() + 257);
}

}  // namespace

std::string unexpected_file_message(const std::string& name, const std::vector<uint8_t>& bytes) {
  const bool idx = bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08;
  if (idx || base_name(name).find("-idx") != std::string::npos)
    return name +
           ": an IDX file (the MNIST format), not CIFAR-10: choose MNIST or Fashion-MNIST in the "
           "Data set list instead";
  return name +
         ": not a CIFAR-10 file: expected cifar-10-binary.tar.gz, data_batch_1..5.bin or "
         "test_batch.bin";
}

std::vector<std::string> Cifar10Files::add(std::vector<platform::DroppedFile> files,
                                           bool& accepted) {
  std::vector<std::string> problems;
  accepted = false;
  for (platform::DroppedFile& f : files) {
    if (!looks_like_archive(f.bytes)) {
      accepted |= take(std::move(f.name), std::move(f.bytes), problems);
      continue;
    }
    try {
      for (NamedBytes& b : cifar10_archive_batches(std::move(f.bytes), f.name))
        accepted |= take(std::move(b.name), std::move(b.bytes), problems);
    } catch (const Error& e) {
      problems.push_back(e.what());
    }
  }
  return problems;
}

bool Cifar10Files::take(std::string name, std::vector<uint8_t> bytes,
                        std::vector<std::string>& problems) {
  const std::string base = base_name(name);
  const int number = cifar10_training_batch_number(base);
  if (number == 0 && base != "test_batch.bin") {
    problems.push_back(unexpected_file_message(name, bytes));
    return false;
  }
  Batch b;
  try {
    b.info.images = check_cifar10_batch(bytes, name);
  } catch (const Error& e) {
    problems.push_back(e.what());
    return false;
  }
  b.info.name = std::move(name);
  b.info.base = base;
  b.number = number;
  b.bytes = std::move(bytes);
  auto same = std::find_if(batches_.begin(), batches_.end(),
                           [&](const Batch& other) { return other.info.base == base; });
  if (same != batches_.end())
    *same = std::move(b);
  else
    batches_.push_back(std::move(b));
  return true;
}

bool Cifar10Files::complete() const {
  auto has = [&](bool train) {
    return std::any_of(batches_.begin(), batches_.end(),
                       [&](const Batch& b) { return (b.number > 0) == train; });
  };
  return has(true) && has(false);
}

std::string Cifar10Files::missing() const {
  const bool train =
      std::any_of(batches_.begin(), batches_.end(), [](const Batch& b) { return b.number > 0; });
  const bool test =
      std::any_of(batches_.begin(), batches_.end(), [](const Batch& b) { return b.number == 0; });
  if (train && test) return "";
  if (!train && !test)
    return "add cifar-10-binary.tar.gz, or data_batch_1..5.bin and test_batch.bin";
  if (!train) return "add at least one training batch (data_batch_1..5.bin)";
  return "add the test batch (test_batch.bin)";
}

void Cifar10Files::build(const std::string& name, Dataset& train, Dataset& test) {
  if (!complete()) throw Error("CIFAR-10: " + missing());
  // Training batches by k, the test batch last.
  auto key = [](const Batch& b) { return b.number == 0 ? 1 << 30 : b.number; };
  std::stable_sort(batches_.begin(), batches_.end(),
                   [&](const Batch& a, const Batch& b) { return key(a) < key(b); });
  // The bytes are lent to the parser and given back: the batches stay, so
  // files added later join them (and no copy of 180 MB is made).
  std::vector<NamedBytes> train_files, test_files;
  for (Batch& b : batches_)
    (b.number > 0 ? train_files : test_files).push_back({b.info.name, std::move(b.bytes)});
  auto give_back = [&] {
    size_t i = 0, j = 0;
    for (Batch& b : batches_)
      b.bytes = std::move(b.number > 0 ? train_files[i++].bytes : test_files[j++].bytes);
  };
  try {
    train = parse_cifar10_batches(train_files, name + "/train");
    test = parse_cifar10_batches(test_files, name + "/test");
  } catch (...) {
    give_back();
    throw;
  }
  give_back();
}

std::vector<Cifar10Files::File> Cifar10Files::files() const {
  std::vector<File> out;
  for (const Batch& b : batches_) out.push_back(b.info);
  return out;
}

}  // namespace cnn::lab
