#include "data/dataset.h"

#include <algorithm>
#include <cstdint>

#include "core/error.h"

namespace cnn {

namespace {

Tensor copy_samples(const Tensor& t, int begin, int count) {
  Tensor out(t.shape().with_batch(count));
  const float* from = t.sample(begin);
  std::copy(from, from + out.size(), out.data());
  return out;
}

}  // namespace

Dataset Dataset::slice(int begin, int count) const {
  if (begin < 0 || count < 0 || begin > size() || count > size() - begin)
    throw Error(name + ": cannot take samples " + std::to_string(begin) + ".." +
                std::to_string(int64_t(begin) + count) + " of " + std::to_string(size()));
  Dataset d;
  d.name = name;
  d.x = copy_samples(x, begin, count);
  d.y = copy_samples(y, begin, count);
  d.num_classes = num_classes;
  d.class_names = class_names;
  return d;
}

}  // namespace cnn
