#include "lab/session.h"

#include <algorithm>
#include <cmath>

#include "bricks/brick.h"
#include "core/error.h"
#include "model/zoo.h"

namespace cnn::lab {

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
  background_.stop_worker();
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
  // A batch goes in parts of kTrainPart samples, one per unit of work: in the
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

}  // namespace cnn::lab
