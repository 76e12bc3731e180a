#include "model/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "model/metrics.h"

namespace cnn {

void gather_samples(const Tensor& src, const std::vector<int>& order, int begin, int count,
                    Tensor& dst) {
  dst.resize(src.shape().with_batch(count));
  const size_t ss = src.shape().sample_size();
  for (int i = 0; i < count; ++i)
    std::memcpy(dst.sample(i), src.sample(order[begin + i]), ss * sizeof(float));
}

namespace {

void check_finite(const Tensor& t, const char* what) {
  const size_t ss = t.shape().sample_size();
  const size_t i = first_non_finite(t);
  if (i < t.size())
    throw Error(std::string(what) + " contains a non-finite value (" + std::to_string(t[i]) +
                ") in sample " + std::to_string(i / ss));
}

void check_targets(const Model& model, const Tensor& x, const std::vector<const Tensor*>& y,
                   const char* what) {
  if (y.size() != model.outputs().size())
    throw Error(std::string(what) + ": " + std::to_string(y.size()) + " target tensors for " +
                std::to_string(model.outputs().size()) + " model outputs");
  for (size_t o = 0; o < y.size(); ++o)
    if (y[o]->shape().n != x.shape().n)
      throw Error(std::string(what) + ": " + std::to_string(x.shape().n) + " inputs but " +
                  std::to_string(y[o]->shape().n) + " targets for output " + std::to_string(o));
}

}  // namespace

Trainer::Trainer(Model& model, const Tensor& x, std::vector<const Tensor*> y, FitOptions options)
    : model_(model), x_(x), y_(std::move(y)), options_(std::move(options)) {
  if (!model_.compiled()) throw Error("fit: compile() the model first");
  check_targets(model_, x_, y_, "fit");
  if (options_.validation_x)
    check_targets(model_, *options_.validation_x, options_.validation_y, "validation");
  if (options_.batch_size < 1) throw Error("fit: batch size must be at least 1");
  n_ = x_.shape().n;
  if (n_ == 0) throw Error("fit: no training samples");
  if (!options_.data_known_finite) {
    check_finite(x_, "training data");
    for (const Tensor* t : y_) check_finite(*t, "training targets");
  }
  order_.resize(n_);
  for (int i = 0; i < n_; ++i) order_[i] = i;
  batch_y_.resize(y_.size());
  for (const Tensor& t : batch_y_) batch_y_views_.push_back(&t);
  part_y_.resize(y_.size());
  for (const Tensor& t : part_y_) part_y_views_.push_back(&t);
  batches_ = (n_ + options_.batch_size - 1) / options_.batch_size;
  epoch_ = options_.initial_epoch;
  progress_.epochs = options_.epochs;
}

void Trainer::snapshot() {
  // Everything a restore must bring back: parameters, buffers (BatchNorm
  // running averages) and optimiser state. Sized once, then reused.
  size_t k = 0;
  model_.for_each_state_tensor(true, [&](const std::string&, const Tensor& t) {
    if (saved_.size() <= k) saved_.emplace_back();
    saved_[k].resize(t.shape());
    std::copy(t.data(), t.data() + t.size(), saved_[k++].data());
  });
}

void Trainer::restore() {
  size_t k = 0;
  model_.for_each_state_tensor(true, [&](const std::string&, Tensor& t) {
    const Tensor& saved = saved_[k++];
    std::copy(saved.data(), saved.data() + t.size(), t.data());
  });
}

void Trainer::begin_epoch() {
  Optimizer& opt = *model_.optimizer();
  if (!model_.metadata.contains("base_lr")) model_.metadata["base_lr"] = opt.learning_rate;
  if (LrSchedule* s = model_.schedule())
    opt.learning_rate =
        s->epoch_begin(epoch_, model_.metadata["base_lr"].get<float>(), opt.learning_rate);
  if (options_.shuffle) model_.rng().shuffle(order_);
  snapshot();
  epoch_logs_.reset(model_.log_names());
  batch_ = 0;
  in_epoch_ = true;
  progress_.validation = Logs{};
  epoch_start_ = std::chrono::steady_clock::now();
}

void Trainer::step() {
  while (!done() && !step_part()) {
  }
}

namespace {

// Samples [begin, begin + count) of a batch, as a tensor of their own.
void copy_part(const Tensor& batch, int begin, int count, Tensor& part) {
  part.resize(batch.shape().with_batch(count));
  const size_t ss = batch.shape().sample_size();
  std::copy(batch.data() + size_t(begin) * ss, batch.data() + size_t(begin + count) * ss,
            part.data());
}

}  // namespace

bool Trainer::step_part() {
  if (done()) return true;
  if (!in_batch_) {
    if (!in_epoch_) begin_epoch();
    const int begin = batch_ * options_.batch_size;
    batch_count_ = std::min(options_.batch_size, n_ - begin);
    gather_samples(x_, order_, begin, batch_count_, batch_x_);
    for (size_t o = 0; o < y_.size(); ++o)
      gather_samples(*y_[o], order_, begin, batch_count_, batch_y_[o]);
    if (options_.augment) options_.augment(batch_x_, model_.rng());
    model_.begin_batch();
    batch_mean_.reset(model_.log_names());
    part_begin_ = 0;
    in_batch_ = true;
  }
  const int left = batch_count_ - part_begin_;
  const bool split = options_.max_part > 0 && options_.max_part < left && !model_.mixes_samples();
  const int part = split ? options_.max_part : left;
  float loss;
  if (part == batch_count_) {  // the whole batch: no copies
    loss = model_.accumulate_batch(batch_x_, batch_y_views_, 1.f, &batch_logs_);
  } else {
    copy_part(batch_x_, part_begin_, part, part_x_);
    for (size_t o = 0; o < y_.size(); ++o) copy_part(batch_y_[o], part_begin_, part, part_y_[o]);
    loss = model_.accumulate_batch(part_x_, part_y_views_, float(part) / float(batch_count_),
                                   &batch_logs_);
  }
  if (!std::isfinite(loss)) {
    restore();
    in_epoch_ = in_batch_ = false;
    throw TrainingDiverged("training diverged in epoch " + std::to_string(epoch_ + 1) + ", batch " +
                           std::to_string(batch_ + 1) + ": the loss is " + std::to_string(loss) +
                           ". The weights were restored to the start of epoch " +
                           std::to_string(epoch_ + 1) + "; try a lower learning rate.");
  }
  batch_mean_.add(batch_logs_, part);
  part_begin_ += part;
  if (part_begin_ < batch_count_) return false;

  model_.apply_batch();
  in_batch_ = false;
  const int count = batch_count_;
  epoch_logs_.add(batch_mean_.mean(), count);
  ++batch_;

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
  const long seen = std::min<long>(long(batch_) * options_.batch_size, n_);
  progress_.epoch = epoch_;
  progress_.batch = batch_;
  progress_.batches = batches_;
  progress_.epoch_seconds = seconds;
  progress_.images_per_second = seconds > 0 ? seen / seconds : 0;
  progress_.eta_seconds = seen > 0 ? seconds * (n_ - seen) / seen : 0;
  progress_.learning_rate = model_.optimizer()->learning_rate;
  progress_.logs = epoch_logs_.mean();
  progress_.epoch_end = false;
  if (batch_ == batches_) {
    end_epoch();
  } else if (options_.on_batch_end) {
    options_.on_batch_end(progress_);
  }
  return true;
}

void Trainer::end_epoch() {
  in_epoch_ = false;
  const Logs& train = epoch_logs_.mean();
  for (size_t i = 0; i < train.names.size(); ++i)
    history_.values[train.names[i]].push_back(train.values[i]);
  float error = float(train.get("loss"));
  if (options_.validation_x) {
    Logs val = model_.evaluate(*options_.validation_x, options_.validation_y, 256);
    progress_.validation = Logs{};
    for (size_t i = 0; i < val.names.size(); ++i) {
      progress_.validation.set("val_" + val.names[i], val.values[i]);
      history_.values["val_" + val.names[i]].push_back(val.values[i]);
    }
    error = float(val.get("loss"));
  }
  history_.values["lr"].push_back(model_.optimizer()->learning_rate);
  if (LrSchedule* s = model_.schedule())
    model_.optimizer()->learning_rate = s->epoch_end(model_.optimizer()->learning_rate, error);
  progress_.epoch_end = true;
  ++epoch_;
  model_.metadata["epochs_done"] = epoch_;
  if (options_.on_epoch_end) options_.on_epoch_end(progress_);
}

// --- Model's Keras-style entry points ---------------------------------------

History Model::fit(const Tensor& x, const Tensor& y, FitOptions options) {
  return fit(x, std::vector<const Tensor*>{&y}, std::move(options));
}

History Model::fit(const Tensor& x, std::vector<const Tensor*> y, FitOptions options) {
  Trainer trainer(*this, x, std::move(y), std::move(options));
  trainer.run();
  return trainer.history();
}

Logs Model::evaluate(const Tensor& x, const Tensor& y, int batch_size) {
  return evaluate(x, std::vector<const Tensor*>{&y}, batch_size);
}

Logs Model::evaluate(const Tensor& x, const std::vector<const Tensor*>& y, int batch_size,
                     std::vector<Tensor>* predictions) {
  check_compiled("evaluate");
  check_targets(*this, x, y, "evaluate");
  const int n = x.shape().n;
  if (predictions) {
    predictions->assign(outputs_.size(), Tensor());
    for (size_t o = 0; o < outputs_.size(); ++o)
      (*predictions)[o].resize(nodes_[outputs_[o]].shape.with_batch(n));
  }
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  Tensor bx;
  std::vector<Tensor> by(y.size());
  LogsMean mean;
  mean.reset(log_names_);
  Logs logs;
  logs.reset(log_names_);
  for (int begin = 0; begin < n; begin += batch_size) {
    const int count = std::min(batch_size, n - begin);
    gather_samples(x, order, begin, count, bx);
    const auto& outs = forward(bx, Mode::kInference);
    float total = 0.f;
    size_t k = 1;
    for (size_t o = 0; o < outs.size(); ++o) {
      if (predictions)
        std::copy(outs[o]->data(), outs[o]->data() + outs[o]->size(),
                  (*predictions)[o].sample(begin));
      gather_samples(*y[o], order, begin, count, by[o]);
      float l = losses_[o]->forward(*outs[o], by[o]);
      total += loss_weights_[o] * l;
      if (outs.size() > 1) logs.values[k++] = l;
      for (const auto& m : metrics_)
        logs.values[k++] = compute_metric(m, *outs[o], by[o], losses_[o]->output_kind());
    }
    logs.values[0] = total;
    mean.add(logs, count);
  }
  return mean.mean();
}

std::vector<Tensor> Model::predict(const Tensor& x, int batch_size) {
  const int n = x.shape().n;
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::vector<Tensor> result(outputs_.size());
  for (size_t o = 0; o < outputs_.size(); ++o)
    result[o].resize(nodes_[outputs_[o]].shape.with_batch(n));
  Tensor bx;
  for (int begin = 0; begin < n; begin += batch_size) {
    const int count = std::min(batch_size, n - begin);
    gather_samples(x, order, begin, count, bx);
    const auto& outs = forward(bx, Mode::kInference);
    for (size_t o = 0; o < outs.size(); ++o)
      std::copy(outs[o]->data(), outs[o]->data() + outs[o]->size(), result[o].sample(begin));
  }
  return result;
}

}  // namespace cnn
