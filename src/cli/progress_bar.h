// Keras-style progress lines for the terminal:
//   Epoch 1/2
//    512/938 [================>.............] 6.1s 5340 img/s ETA 5s - loss 0.2134 - accuracy
//    0.9361
// Redrawn in place (carriage return) at most ten times a second; when the
// output is not a terminal (CI logs) only the finished line of each epoch is
// printed.
#pragma once
#include <chrono>
#include <cstdio>

#include "model/fit_types.h"

namespace cnn::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out);
  void on_batch(const TrainProgress& p);
  void on_epoch(const TrainProgress& p);

 private:
  void draw(const TrainProgress& p, bool final);
  std::FILE* out_;
  bool interactive_;
  int shown_epoch_ = -1;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace cnn::cli
