// The option and result types of Model::fit(), shared by the trainer, the
// command line and the UI.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "core/tensor.h"
#include "model/logs.h"

namespace cnn {

// Where training stands; handed to callbacks after every batch and epoch.
struct TrainProgress {
  int epoch = 0, epochs = 0;     // epoch is 0-based; the one running (or just ended)
  int batch = 0, batches = 0;    // batches done in this epoch, of batches
  double epoch_seconds = 0;      // time spent in this epoch so far
  double images_per_second = 0;  // training throughput in this epoch
  double eta_seconds = 0;        // estimate for the rest of this epoch
  float learning_rate = 0;
  Logs logs;        // running means over the epoch: loss, accuracy, ...
  Logs validation;  // at epoch end: val_loss, val_accuracy, ... (empty otherwise)
  bool epoch_end = false;
};

using ProgressCallback = std::function<void(const TrainProgress&)>;

struct FitOptions {
  int epochs = 1;
  int batch_size = 32;
  bool shuffle = true;  // a new order each epoch, from the model's Rng
  // Validation data (optional): evaluated at the end of every epoch.
  const Tensor* validation_x = nullptr;
  std::vector<const Tensor*> validation_y{};
  // Changes a training batch in place before it is used (augmentation).
  std::function<void(Tensor& batch, Rng& rng)> augment{};
  ProgressCallback on_batch_end{};
  ProgressCallback on_epoch_end{};
  int initial_epoch = 0;  // resume: epochs already done
  // Trainer::step_part() feeds a batch in parts of at most this many samples
  // (0: whole batches), unless the model mixes samples (batch norm).
  int max_part = 0;
  // The caller has checked that the training data and targets hold no NaN or
  // infinity (first_non_finite): the Trainer skips its own pass over them. A
  // UI that trains the same data again and again checks it once.
  bool data_known_finite = false;
};

// Keras-like history: one value per epoch for every log name ("loss",
// "accuracy", "val_loss", "lr", ...).
struct History {
  std::map<std::string, std::vector<double>> values;
  const std::vector<double>& operator[](const std::string& name) const { return values.at(name); }
};

// Thrown when the loss becomes NaN or infinite. The model's weights and
// optimiser state have been restored to the start of the epoch in which it
// happened, so no finished work is lost.
class TrainingDiverged : public Error {
 public:
  using Error::Error;
};

}  // namespace cnn
