// Learning-rate schedules, applied by the trainer at epoch boundaries.
#pragma once
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

namespace cnn {

class LrSchedule {
 public:
  virtual ~LrSchedule() = default;
  // The learning rate for epoch `epoch` (0-based), given the optimiser's
  // initial one.
  virtual float epoch_begin(int epoch, float base_lr, float current_lr) = 0;
  // After validation. `error` is the validation loss (or the training loss
  // when there is no validation data); lower is better. Returns the new rate.
  virtual float epoch_end(float current_lr, float error) {
    (void)error;
    return current_lr;
  }
  // Hyperparameters and state, so a resumed run continues the schedule.
  virtual nlohmann::json config() const = 0;
};

// "step": multiply the rate by `factor` every `every` epochs.
class StepDecay : public LrSchedule {
 public:
  StepDecay(int every, float factor) : every_(every), factor_(factor) {}
  float epoch_begin(int epoch, float base_lr, float current_lr) override;
  nlohmann::json config() const override;

 private:
  int every_;
  float factor_;
};

// "plateau": multiply the rate by `factor` (default: halve it) when the
// validation error has not improved for `patience` epochs.
class ReduceOnPlateau : public LrSchedule {
 public:
  ReduceOnPlateau(float factor, int patience, float min_lr)
      : factor_(factor), patience_(patience), min_lr_(min_lr) {}
  float epoch_begin(int epoch, float base_lr, float current_lr) override;
  float epoch_end(float current_lr, float error) override;
  nlohmann::json config() const override;
  void restore(float best, int wait) {
    best_ = best;
    wait_ = wait;
  }

 private:
  float factor_;
  int patience_;
  float min_lr_;
  float best_ = std::numeric_limits<float>::infinity();
  int wait_ = 0;
};

// null / "none" -> nullptr (constant rate); {"type":"step","every":2,"factor":0.5};
// {"type":"plateau","factor":0.5,"patience":1,"min_lr":1e-6}. Throws cnn::Error.
std::unique_ptr<LrSchedule> make_schedule(const nlohmann::json& config);

}  // namespace cnn
