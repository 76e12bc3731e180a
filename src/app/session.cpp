#include "app/session.h"

#ifdef __EMSCRIPTEN_PTHREADS__
#include <emscripten/threading.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "bricks/brick.h"
#include "core/error.h"
#include "model/zoo.h"

namespace cnn::app {

namespace {
// Seconds on a monotonic clock (performance.now() in the browser).
double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

nlohmann::json TrainSettings::optimizer_config() const {
  nlohmann::json o = {{"type", optimizer}, {"lr", lr}, {"l2", l2}};
  if (optimizer == "sgd") o["momentum"] = momentum;
  return o;
}

nlohmann::json TrainSettings::schedule_config() const {
  if (schedule == "step")
    return {{"type", "step"}, {"every", std::max(1, schedule_every)}, {"factor", schedule_factor}};
  if (schedule == "plateau")
    return {{"type", "plateau"},
            {"factor", schedule_factor},
            {"patience", std::max(1, schedule_patience)},
            {"min_lr", 1e-6}};
  return nullptr;
}

const std::vector<std::string>& training_losses() {
  static const std::vector<std::string> names = {"softmax_crossentropy", "categorical_crossentropy",
                                                 "max_margin"};
  return names;
}

Session::~Session() {
  stop_worker();
}

// --- Architecture -------------------------------------------------------------

void Session::load_preset(const std::string& name) {
  wait_unit();
  preset_ = name;
  layers.clear();
  // The preset's bricks, as editable configs (the input shape does not matter here).
  Model m = make_preset(name, {1, 1, 28, 28}, 10);
  for (int i = 0; i < m.num_nodes(); ++i) layers.push_back(m.brick(i).config());
  rebuild();
}

void Session::set_data(const Dataset* train, const Dataset* test) {
  wait_unit();
  train_ = train;
  test_ = test;
  // Once per data set: the Trainer would check it at every Train.
  train_finite_ = train_ && first_non_finite(train_->x) == train_->x.size() &&
                  first_non_finite(train_->y) == train_->y.size();
  has_test_result_ = false;
  rebuild();
}

void Session::clear_training() {
  trainer_.reset();
  evaluator_ = Evaluator{};
  eval_kind_ = EvalKind::kNone;
  message_.clear();
  curves_.clear();
  has_test_result_ = false;
  epochs_done_ = target_epochs_ = 0;
  batches_done_ = images_done_ = 0;
  window_loss_ = window_acc_ = 0;
  window_samples_ = 0;
  curve_point_pending_ = false;
  throughput_ = 0;
  ++weights_version_;
  copy_progress();
}

void Session::describe_layers(Model& model) {
  layer_info_.clear();
  for (int i = 0; i < model.num_nodes(); ++i) {
    LayerInfo info{model.brick(i).name, model.brick(i).type(), model.output_shape(i).sample_str(),
                   0};
    for (Param* p : model.brick(i).params()) info.params += p->value.size();
    layer_info_.push_back(info);
  }
}

void Session::rebuild() {
  wait_unit();
  clear_training();
  model_.reset();
  layer_info_.clear();
  arch_error_.clear();
  state_ = State::kNoModel;
  if (!train_) return;

  const Shape sample = train_->x.shape().with_batch(1);
  const int classes = train_->num_classes;
  auto model = std::make_unique<Model>(sample);
  try {
    if (layers.empty()) throw Error("the model has no layers: add some, or pick a preset");
    for (const nlohmann::json& config : layers) model->add(make_brick(config));
    const Shape out = model->output_shape(model->num_nodes() - 1);
    if (out.c != classes || out.h != 1 || out.w != 1)
      throw Error("the last layer must give " + std::to_string(classes) +
                  " values (one per class), but gives " + out.sample_str() +
                  ": end with a dense layer of " + std::to_string(classes) + " units");
    // Cross-entropy on probabilities needs them: a softmax at the end.
    if (settings.loss == "categorical_crossentropy" &&
        std::string(model->brick(model->num_nodes() - 1).type()) != "softmax")
      throw Error(
          "the loss categorical_crossentropy takes probabilities: end the model with a softmax "
          "layer, or choose softmax_crossentropy (which applies the softmax itself)");
    model->build(uint64_t(settings.seed));
    model->compile({.loss = {settings.loss},
                    .optimizer = settings.optimizer_config(),
                    .metrics = {"accuracy"},
                    .schedule = settings.schedule_config()});
  } catch (const Error& e) {
    arch_error_ = e.what();
    // Weights for the layers that did fit, so their parameter counts show.
    try {
      if (!model->built() && model->num_nodes() > 0) model->build(uint64_t(settings.seed));
    } catch (const Error&) {
    }
  }
  // Layer facts as far as the model got (up to the failing layer).
  describe_layers(*model);
  if (arch_error_.empty()) {
    model_ = std::move(model);
    state_ = State::kReady;
  }
  copy_progress();
}

void Session::adopt(Model model) {
  wait_unit();
  if (!train_) throw Error("load the data first");
  const Shape sample = train_->x.shape().with_batch(1);
  if (model.input_shape() != sample)
    throw Error("the model takes " + model.input_shape().sample_str() +
                " inputs, but the images are " + sample.sample_str());
  if (model.outputs().size() != 1)
    throw Error("the playground trains models with one output; this one has " +
                std::to_string(model.outputs().size()));
  const Shape out = model.output_shape(model.outputs()[0]);
  if (out.c != train_->num_classes || out.h != 1 || out.w != 1)
    throw Error("the model gives " + out.sample_str() + " outputs, but the data has " +
                std::to_string(train_->num_classes) + " classes");
  for (int i = 0; i < model.num_nodes(); ++i)
    if (model.node_input(i) != (i == 0 ? Model::kInput : i - 1))
      throw Error("the playground edits chains of bricks; this model is a graph");
  if (!model.compiled()) {
    nlohmann::json optimizer = {{"type", settings.optimizer}, {"lr", settings.lr}};
    model.compile(
        {.loss = {"softmax_crossentropy"}, .optimizer = optimizer, .metrics = {"accuracy"}});
  }
  clear_training();
  layers.clear();
  for (int i = 0; i < model.num_nodes(); ++i) layers.push_back(model.brick(i).config());
  preset_.clear();
  arch_error_.clear();
  describe_layers(model);
  epochs_done_ = model.metadata.value("epochs_done", 0);
  settings.lr = model.optimizer()->learning_rate;
  settings.optimizer = model.optimizer()->type();
  model_ = std::make_unique<Model>(std::move(model));
  state_ = State::kReady;
  evaluate_test_set();
  copy_progress();
}

// --- Training -------------------------------------------------------------------

void Session::make_trainer() {
  FitOptions fit;
  fit.batch_size = std::max(1, settings.batch_size);
  fit.initial_epoch = epochs_done_;
  fit.epochs = epochs_done_ + std::max(1, settings.epochs);
  target_epochs_ = fit.epochs;
  fit.augment = augment;
  // A batch goes in parts of kTrainPart samples, one per work_once(): in the
  // browser a LeNet batch of 64 takes longer than a smooth frame, and a UI
  // frame waits for (desktop worker), skips past (web worker) or contains
  // (time slices) one unit of work.
  fit.max_part = kTrainPart;
  fit.data_known_finite = train_finite_;
  // No validation here: the session evaluates in chunks itself (update()).
  trainer_ =
      std::make_unique<Trainer>(*model_, train_->x, std::vector<const Tensor*>{&train_->y}, fit);
}

void Session::train() {
  wait_unit();
  if (!model_) return;
  if (!trainer_ || (trainer_->done() && !evaluator_.running())) make_trainer();
  message_.clear();
  state_ = State::kTraining;
  rate_t0_ = now_seconds();
  rate_images0_ = images_done_;
  copy_progress();
}

void Session::pause() {
  if (state_ == State::kTraining) state_ = State::kPaused;
}

void Session::step_batch() {
  wait_unit();
  if (!model_ || state_ == State::kTraining) return;
  if (evaluator_.running()) return;  // finish the evaluation first (update() does)
  if (!trainer_ || trainer_->done()) make_trainer();
  try {
    trainer_->step();
    after_batch();
  } catch (const TrainingDiverged& e) {
    message_ = e.what();
  }
  state_ = State::kPaused;
  copy_progress();
}

void Session::reset() {
  rebuild();
}

void Session::apply_learning_rate() {
  wait_unit();
  if (!model_ || !model_->optimizer()) return;
  Optimizer& opt = *model_->optimizer();
  opt.l2 = settings.l2;
  // The trainer keeps the schedule's base rate in the metadata once started.
  float lr = settings.lr;
  if (model_->metadata.contains("base_lr")) {
    model_->metadata["base_lr"] = settings.lr;
    // A step schedule gives this epoch's share of the new base rate; a
    // plateau schedule keeps the rate it is given.
    if (LrSchedule* s = model_->schedule())
      lr = s->epoch_begin(trainer_ ? trainer_->progress().epoch : epochs_done_, lr, lr);
  }
  opt.learning_rate = lr;
  copy_progress();
}

void Session::set_dropout_rate(float rate) {
  for (nlohmann::json& config : layers)
    if (config.value("type", "") == "dropout") config["rate"] = rate;
  rebuild();
}

int Session::dropout_layers() const {
  int n = 0;
  for (const nlohmann::json& config : layers) n += config.value("type", "") == "dropout";
  return n;
}

float Session::dropout_rate() const {
  for (const nlohmann::json& config : layers)
    if (config.value("type", "") == "dropout") return config.value("rate", 0.5f);
  return 0;
}

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

Session::Unit Session::begin_unit() {
  Unit unit;
  unit.kind = evaluator_.running() ? UnitKind::kEval : UnitKind::kTrain;
  unit.training = state_ == State::kTraining;
  return unit;
}

// Touches only the model, the trainer and the evaluator (and the data, which
// do not change while a unit may run: set_data() waits for it).
void Session::compute_unit(Unit& unit) {
  const double t0 = now_seconds();
  if (unit.kind == UnitKind::kEval) {
    unit.finished = evaluator_.step(*model_, kEvalChunk);
  } else {
    try {
      unit.finished = trainer_->step_part();
    } catch (const TrainingDiverged& e) {
      unit.diverged = e.what();
    }
  }
  unit.seconds = now_seconds() - t0;
}

void Session::end_unit(const Unit& unit) {
  unit_seconds_ = unit_seconds_ == 0 ? unit.seconds : 0.8 * unit_seconds_ + 0.2 * unit.seconds;
  double& longest =
      unit.kind == UnitKind::kEval ? longest_eval_unit_ms_ : longest_train_unit_ms_;
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

bool Session::work_once() {
  if (!has_work()) return false;
  Unit unit = begin_unit();
  compute_unit(unit);
  end_unit(unit);
  return true;
}

void Session::update(double budget_seconds) {
  if (!model_) return;
  if (!has_worker()) {
    // At least one unit per frame, then only units expected to end within
    // the budget: a frame is max(budget, one unit), not budget + one unit.
    const double start = now_seconds();
    while (work_once() && now_seconds() - start + unit_seconds_ < budget_seconds) {
    }
  }

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

// --- Threads ----------------------------------------------------------------------

void Session::start_worker() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] { worker_loop(); });
}

void Session::stop_worker() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
  stop_ = false;
}

// Takes the lock to choose a unit and to record it, and computes without it.
// It starts no unit while a UI thread waits in lock() or wait_unit().
void Session::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (ui_waiting_.load() > 0 || !has_work()) {
      wake_.wait(lock);
      continue;
    }
    if (model_wanted_) {
      give_frame(lock);
      continue;
    }
    if (state_ == State::kTraining) wait_for_late_frame(lock);
    if (stop_ || ui_waiting_.load() > 0 || !has_work() || model_wanted_) continue;
    Unit unit = begin_unit();
    computing_ = true;
    lock.unlock();
    compute_unit(unit);
    // The parts of one batch need nothing from the UI: while a frame holds
    // the lock, the next part goes on without it (a UI that waits for the
    // unit or the model gets it after this part). Then this part's time
    // counts only into the estimate.
    while (unit.kind == UnitKind::kTrain && !unit.finished && unit.diverged.empty() &&
           ui_waiting_.load() == 0 && !lock.try_lock()) {
      compute_unit(unit);
    }
    if (!lock.owns_lock()) lock.lock();
    computing_ = false;
    end_unit(unit);
    wake_.notify_all();  // a UI in wait_unit()
  }
}

void Session::frame_drawn() {
  ++frames_drawn_;
  last_frame_t_ = now_seconds();
}

void Session::wait_for_late_frame(std::unique_lock<std::mutex>& lock) {
  if (last_frame_t_ <= 0) return;
  const double t0 = now_seconds(), late = t0 - last_frame_t_;
  if (late < kFrameLateSeconds || late > kFrameGoneSeconds) return;
  const long seen = frames_drawn_;
  wake_.wait_for(lock, std::chrono::duration<double>(kFrameWaitSeconds),
                 [&] { return stop_ || frames_drawn_ != seen; });
  ++frame_waits_;
  frame_wait_seconds_ += now_seconds() - t0;
}

void Session::give_frame(std::unique_lock<std::mutex>& lock) {
  handover_t_ = now_seconds();
  wake_.wait_for(lock, std::chrono::duration<double>(kUiRequestSeconds),
                 [&] { return stop_ || !model_wanted_; });
  model_wanted_ = false;  // granted, or nobody came for it (a hidden tab)
  handover_t_ = 0;
}

void Session::acquire() {
#ifdef __EMSCRIPTEN__
  // The browser's main thread must not sleep on a futex (Emscripten warns on
  // the console); it spins, as Emscripten's own wait would, and like that wait
  // it runs the calls other threads proxy to it (a worker's printf, for one):
  // otherwise a worker holding the lock while it waits for such a call, and
  // this thread waiting for the lock, would hang the page.
  while (!mutex_.try_lock()) {
#ifdef __EMSCRIPTEN_PTHREADS__
    emscripten_main_thread_process_queued_calls();
#endif
  }
#else
  mutex_.lock();
#endif
}

void Session::lock() {
  const double t0 = now_seconds();
  ui_waiting_.fetch_add(1);
  acquire();
  ui_waiting_.fetch_sub(1);
  lock_t0_ = t0;
  frame_while_training_ = state_ == State::kTraining;
  if (frame_while_training_)
    longest_wait_ms_ = std::max(longest_wait_ms_, 1000 * (now_seconds() - t0));
}

bool Session::try_lock() {
  const double t0 = now_seconds();
  if (!mutex_.try_lock()) return false;
  lock_t0_ = t0;
  frame_while_training_ = state_ == State::kTraining;
  return true;
}

bool Session::claim_model() {
  if (!computing_) {
    if (model_wanted_ && handover_t_ > 0 && state_ == State::kTraining)
      longest_wait_ms_ = std::max(longest_wait_ms_, 1000 * (now_seconds() - handover_t_));
    model_wanted_ = false;
    return true;
  }
  model_wanted_ = true;
  return false;
}

void Session::wait_unit() {
  if (!computing_) return;
  const double t0 = now_seconds();
  ui_waiting_.fetch_add(1);
  while (computing_) {
    mutex_.unlock();
#ifndef __EMSCRIPTEN__
    std::this_thread::yield();  // let the worker take the lock and record its unit
#endif
    acquire();
  }
  ui_waiting_.fetch_sub(1);
  if (frame_while_training_)
    longest_wait_ms_ = std::max(longest_wait_ms_, 1000 * (now_seconds() - t0));
  wake_.notify_all();
}

void Session::unlock() {
  // Frames that start training (Train, or data arriving with autostart) are
  // not training frames: only those that began and ended while training count.
  if (frame_while_training_ && state_ == State::kTraining)
    longest_frame_ms_ = std::max(longest_frame_ms_, 1000 * (now_seconds() - lock_t0_));
  mutex_.unlock();
  wake_.notify_all();
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

// --- Inference --------------------------------------------------------------------

std::vector<float> Session::classify(const Tensor& sample) {
  wait_unit();
  if (!model_) return {};
  const Tensor& out = *model_->forward(sample, Mode::kInference)[0];
  const int k = out.shape().c;
  std::vector<float> p(out.data(), out.data() + k);
  // The model ends in logits (softmax_crossentropy); a final softmax brick
  // would already give probabilities.
  if (std::string(model_->brick(model_->num_nodes() - 1).type()) != "softmax") {
    const float top = *std::max_element(p.begin(), p.end());
    float sum = 0;
    for (float& v : p) sum += v = std::exp(v - top);
    for (float& v : p) v /= sum;
  }
  return p;
}

}  // namespace cnn::app
