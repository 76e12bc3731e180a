// The user's own labelled images for the transfer panel's demo (b): classes
// added by name, images added to a class (uploads, dropped or picked files,
// a folder on the desktop), each decoded at once and kept small, then split
// per class into training and test images.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"

namespace cnn::lab {

class ImageClasses {
 public:
  struct Class {
    std::string name;
    std::vector<Tensor> images;  // (1,3,size,size), RGB in [0, 1]
  };
  explicit ImageClasses(int size = 64) : size_(size) {}

  // Throws cnn::Error for an empty name or one already taken.
  void add_class(const std::string& name);
  void remove_class(int index);
  // Decodes a PNG/JPEG/... file's bytes, resized to size x size. Throws
  // cnn::FileError naming `file_name` when the bytes are no image.
  void add_image(int class_index, const std::vector<uint8_t>& bytes, const std::string& file_name);
  const std::vector<Class>& classes() const { return classes_; }
  int size() const { return size_; }
  int total_images() const;

  // Every class gives its last round(n * test_fraction) images (at least 1)
  // to `test`, the rest to `train`. Throws cnn::Error naming the problem:
  // fewer than two classes, or a class with fewer than two images.
  void split(double test_fraction, Dataset& train, Dataset& test) const;

 private:
  int size_;
  std::vector<Class> classes_;
};

}  // namespace cnn::lab
