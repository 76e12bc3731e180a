// The training loop behind Model::fit(), exposed so the UI can run it one
// batch at a time (time slices per frame, Pause, Step) while the command line
// runs it to the end. Both see the same TrainProgress.
#pragma once
#include <chrono>
#include <vector>

#include "model/fit_types.h"
#include "model/model.h"

namespace cnn {

class Trainer {
 public:
  // x, y and the validation tensors must outlive the trainer.
  Trainer(Model& model, const Tensor& x, std::vector<const Tensor*> y, FitOptions options);

  bool done() const { return epoch_ >= options_.epochs; }
  // Trains one batch; at the end of an epoch also validates, applies the
  // schedule and records history. Throws TrainingDiverged.
  void step();
  // Runs to the end.
  void run() {
    while (!done()) step();
  }
  const TrainProgress& progress() const { return progress_; }
  const History& history() const { return history_; }

 private:
  void begin_epoch();
  void end_epoch();
  void snapshot();
  void restore();

  Model& model_;
  const Tensor& x_;
  std::vector<const Tensor*> y_;
  FitOptions options_;
  int n_ = 0, epoch_ = 0, batch_ = 0, batches_ = 0;
  bool in_epoch_ = false;
  std::vector<int> order_;
  Tensor batch_x_;
  std::vector<Tensor> batch_y_;
  std::vector<const Tensor*> batch_y_views_;
  Logs batch_logs_;
  LogsMean epoch_logs_;
  TrainProgress progress_;
  History history_;
  std::vector<Tensor> saved_;  // parameters, buffers and optimiser state at epoch start
  std::chrono::steady_clock::time_point epoch_start_;
};

// Copies samples order[begin .. begin+count) of src into dst (resized).
void gather_samples(const Tensor& src, const std::vector<int>& order, int begin, int count,
                    Tensor& dst);

}  // namespace cnn
