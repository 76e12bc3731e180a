#include "lab/image_classes.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "style/image.h"

namespace cnn::lab {

void ImageClasses::add_class(const std::string& name) {
  if (name.empty()) throw Error("give the class a name");
  for (const Class& c : classes_)
    if (c.name == name) throw Error("there is already a class \"" + name + "\"");
  classes_.push_back({name, {}});
}

void ImageClasses::remove_class(int index) {
  if (index >= 0 && index < int(classes_.size())) classes_.erase(classes_.begin() + index);
}

void ImageClasses::add_image(int class_index, const std::vector<uint8_t>& bytes,
                             const std::string& file_name) {
  if (class_index < 0 || class_index >= int(classes_.size()))
    throw Error("add a class first, then its images");
  // Large photos are scaled down while decoding (long side 4x the target).
  const Tensor img = decode_image(bytes, file_name, {.long_side = 4 * size_});
  if (img.shape().c != 3) throw FileError(file_name, "is not an RGB image");
  Tensor small;
  resize_bilinear(img, size_, size_, small);
  classes_[size_t(class_index)].images.push_back(std::move(small));
}

int ImageClasses::total_images() const {
  int n = 0;
  for (const Class& c : classes_) n += int(c.images.size());
  return n;
}

void ImageClasses::split(double test_fraction, Dataset& train, Dataset& test) const {
  if (classes_.size() < 2)
    throw Error("add at least two classes (each with a few images) to compare");
  std::vector<int> n_test;
  int train_n = 0, test_n = 0;
  for (const Class& c : classes_) {
    const int n = int(c.images.size());
    if (n < 2)
      throw Error("class \"" + c.name + "\" has " + std::to_string(n) +
                  (n == 1 ? " image" : " images") +
                  ": it needs at least two (one to learn from, one to test on)");
    const int t = std::clamp(int(std::lround(n * test_fraction)), 1, n - 1);
    n_test.push_back(t);
    test_n += t;
    train_n += n - t;
  }
  const size_t plane = size_t(3) * size_ * size_;
  for (Dataset* d : {&train, &test}) {
    const int n = d == &train ? train_n : test_n;
    *d = Dataset{};
    d->name = d == &train ? "images/train" : "images/test";
    d->x = Tensor({n, 3, size_, size_});
    d->y = Tensor({n, 1, 1, 1});
    d->num_classes = int(classes_.size());
    for (const Class& c : classes_) d->class_names.push_back(c.name);
  }
  int next[2] = {0, 0};
  for (size_t k = 0; k < classes_.size(); ++k) {
    const std::vector<Tensor>& images = classes_[k].images;
    for (size_t i = 0; i < images.size(); ++i) {
      const int which = int(i) >= int(images.size()) - n_test[k] ? 1 : 0;
      Dataset& d = which ? test : train;
      std::copy(images[i].data(), images[i].data() + plane, d.x.sample(next[which]));
      d.y[size_t(next[which]++)] = float(k);
    }
  }
}

}  // namespace cnn::lab
