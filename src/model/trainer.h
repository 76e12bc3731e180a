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
  // Trains the next part of a batch (FitOptions::max_part samples): forward
  // and backward, gradients accumulated; the part that completes the batch
  // also takes the optimiser step and does what step() does after it.
  // Returns true when it completed a batch. step() is step_part() until true.
  bool step_part();
  // A batch is partly done (step_part() returned false last).
  bool in_batch() const { return in_batch_; }
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
  bool in_batch_ = false;
  int batch_count_ = 0, part_begin_ = 0;  // the batch in progress: size, samples done
  Tensor part_x_;
  std::vector<Tensor> part_y_;
  std::vector<const Tensor*> part_y_views_;
  LogsMean batch_mean_;  // the parts' logs, weighted by their sizes
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
