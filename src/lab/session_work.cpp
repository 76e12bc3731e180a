// Session's work (session.h): the units it gives the background
// (training parts and evaluation chunks, lab/background.h) and what they
// record: the curves, the evaluations, the progress figures and the
// throughput the panels read.
#include "lab/session.h"

#include <algorithm>

namespace cnn::lab {

void Session::copy_progress() {
  if (trainer_) progress_ = trainer_->progress();
  evaluating_ = evaluator_.running();
  evaluation_progress_ = evaluator_.fraction_done();
  learning_rate_ = model_ && model_->optimizer() ? model_->optimizer()->learning_rate : 0.f;
}

void Session::after_batch() {
  const TrainProgress& p = trainer_->progress();
  ++batches_done_;
  ++weights_version_;
  const long n = train_->size();
  const long seen = std::min<long>(long(p.batch) * settings.batch_size, n);
  images_done_ += seen - (p.batch == 1 ? 0 : last_seen_);
  // The trainer reports running means over the epoch; the difference of
  // running sums gives the mean over just the batches since the last point.
  if (p.batch == 1) last_mean_loss_ = last_mean_acc_ = 0, last_seen_ = 0;
  const double loss = p.logs.get("loss"), acc = p.logs.get("accuracy");
  window_loss_ += loss * seen - last_mean_loss_ * last_seen_;
  window_acc_ += acc * seen - last_mean_acc_ * last_seen_;
  window_samples_ += seen - last_seen_;
  last_mean_loss_ = loss;
  last_mean_acc_ = acc;
  last_seen_ = seen;

  if (p.epoch_end) epochs_done_ = p.epoch + 1;
  const bool curve_point = batches_done_ % kCurveEvery == 0;
  if (curve_point && window_samples_ > 0) {
    curves_.train_loss.push_back(float(window_loss_ / window_samples_));
    curves_.train_acc.push_back(float(window_acc_ / window_samples_));
    curves_.lr.push_back(current_learning_rate());
    window_loss_ = window_acc_ = 0;
    window_samples_ = 0;
    curve_point_pending_ = true;
  }
  if (p.epoch_end) {
    // The full test set: the Evaluation panel's numbers, and this point's validation.
    eval_kind_ = EvalKind::kTest;
    evaluator_.start(test_->x, test_->y, test_->size(), test_->num_classes);
  } else if (curve_point) {
    eval_kind_ = EvalKind::kLive;
    evaluator_.start(test_->x, test_->y, std::min(kLiveValSize, test_->size()), test_->num_classes);
  }
}

void Session::finish_evaluation() {
  const EvalResult& r = evaluator_.result();
  if (curve_point_pending_) {
    curves_.val_loss.push_back(float(r.loss));
    curves_.val_acc.push_back(float(r.accuracy));
    curve_point_pending_ = false;
  }
  if (eval_kind_ == EvalKind::kTest) {
    test_result_ = r;
    has_test_result_ = true;
    test_result_epoch_ = epochs_done_;
  }
  eval_kind_ = EvalKind::kNone;
}

void Session::evaluate_test_set() {
  wait_unit();
  if (!model_ || evaluator_.running()) return;
  eval_kind_ = EvalKind::kTest;
  evaluator_.start(test_->x, test_->y, test_->size(), test_->num_classes);
  copy_progress();
}

bool Session::has_work() const {
  return model_ &&
         (evaluator_.running() || (state_ == State::kTraining && trainer_ && !trainer_->done()));
}

void Session::begin_unit() {
  unit_ = Unit{};
  unit_.kind = evaluator_.running() ? UnitKind::kEval : UnitKind::kTrain;
  unit_.training = state_ == State::kTraining;
}

// Touches only the model, the trainer and the evaluator (and the data, which
// do not change while a unit may run: set_data() waits for it). A batch goes
// on part by part while the UI holds the lock (lab/background.h).
bool Session::compute_unit() {
  const double t0 = now_seconds();
  if (unit_.kind == UnitKind::kEval) {
    unit_.finished = evaluator_.step(*model_, kEvalChunk);
  } else {
    try {
      unit_.finished = trainer_->step_part();
    } catch (const TrainingDiverged& e) {
      unit_.diverged = e.what();
    }
  }
  unit_.seconds = now_seconds() - t0;  // the last part: what a frame may wait for
  return unit_.kind == UnitKind::kTrain && !unit_.finished && unit_.diverged.empty();
}

void Session::end_unit() {
  const Unit& unit = unit_;
  double& longest = unit.kind == UnitKind::kEval ? longest_eval_unit_ms_ : longest_train_unit_ms_;
  if (unit.training) longest = std::max(longest, 1000 * unit.seconds);
  if (unit.kind == UnitKind::kEval) {
    if (unit.finished) finish_evaluation();
  } else if (!unit.diverged.empty()) {
    message_ = unit.diverged;
    state_ = State::kPaused;
  } else if (unit.finished) {
    after_batch();
    if (stop_after_batches > 0 && batches_done_ >= stop_after_batches) state_ = State::kPaused;
  }
  if (state_ == State::kTraining && trainer_->done() && !evaluator_.running())
    state_ = State::kFinished;
  copy_progress();
}

void Session::update(double budget_seconds) {
  if (!model_) return;
  background_.update(budget_seconds);  // a no-op with a worker

  // Throughput over a sliding window of a few seconds of wall time.
  const double now = now_seconds();
  if (state_ == State::kTraining) {
    if (now - rate_t0_ > 0.5) throughput_ = double(images_done_ - rate_images0_) / (now - rate_t0_);
    if (now - rate_t0_ > 4.0) {
      rate_t0_ = now - 2.0;  // keep about half the window: smooth, yet it follows changes
      rate_images0_ = images_done_ - long(throughput_ * 2.0);
    }
  }
}

double Session::eta_seconds() const {
  if (!trainer_ || throughput_ <= 0) return 0;
  const TrainProgress& p = progress_;
  const long n = train_->size();
  const long seen = std::min<long>(long(p.batch) * settings.batch_size, n);
  const int epochs_left = target_epochs_ - epochs_done_;
  const long remaining =
      p.epoch_end || p.batch == 0 ? long(epochs_left) * n : (n - seen) + long(epochs_left - 1) * n;
  return std::max(0L, remaining) / throughput_;
}

}  // namespace cnn::lab
