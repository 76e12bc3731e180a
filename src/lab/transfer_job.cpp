#include "lab/transfer_job.h"

#include <algorithm>

#include "bricks/brick.h"
#include "core/error.h"
#include "model/zoo.h"

namespace cnn::lab {

namespace {

constexpr int kEvalChunk = 100;   // test images per evaluation piece
constexpr int kFeatureBatch = 2;  // images per feature-extraction piece

Dataset first(const Dataset& d, int count) {
  return count > 0 && count < d.size() ? d.slice(0, count) : d;
}

}  // namespace

TransferJob::~TransferJob() {
  background_.stop_worker();
}

void TransferJob::reset(const std::string& label0, const std::string& label1) {
  phase_ = Phase::kIdle;
  status_.clear();
  error_.clear();
  curves_[0] = {label0, {}};
  curves_[1] = {label1, {}};
  prepare_.clear();
  prepare_next_ = 0;
  prepare_progress_ = 0;
  runs_[0].reset();
  runs_[1].reset();
  pretrained_.reset();
  pretrainer_.reset();
  backbone_.reset();
  source_ = train_ = test_ = Dataset{};
  features_[0] = features_[1] = Tensor{};
  features_done_[0] = features_done_[1] = 0;
  pieces_ = 0;
}

void TransferJob::fail(const std::string& message) {
  phase_ = Phase::kFailed;
  error_ = message;
  status_.clear();
}

void TransferJob::cancel() {
  background_.wait_unit();
  if (!running()) return;
  phase_ = Phase::kIdle;
  status_ = "stopped";
  prepare_.clear();
  runs_[0].reset();
  runs_[1].reset();
}

// --- (a) fine-tuning ------------------------------------------------------------

void TransferJob::start_finetune(Model pretrained, const Dataset* source,
                                 const Dataset& target_train, const Dataset& target_test,
                                 const FinetuneSetup& setup) {
  background_.wait_unit();
  if (setup.train_images < 1) throw Error("fine-tune on at least 1 image");
  if (setup.epochs < 1 || setup.batch_size < 1) throw Error("epochs and batch size must be >= 1");
  if (target_train.size() == 0 || target_test.size() == 0)
    throw Error("the new task's images are not loaded yet");
  if (!pretrained.built()) pretrained.build(setup.seed);
  if (pretrained.input_shape() != target_train.x.shape().with_batch(1))
    throw Error("the pretrained network takes " + pretrained.input_shape().sample_str() +
                " inputs but the new task's images are " + target_train.x.shape().sample_str());
  const int last = pretrained.num_nodes() - 1;
  if (last < 0 || std::string(pretrained.brick(last).type()) != "dense")
    throw Error(
        "fine-tuning replaces the last brick, which must be a dense layer (this net ends "
        "with " +
        std::string(last < 0 ? "nothing" : pretrained.brick(last).type()) + ")");
  for (const std::string& name : setup.freeze) {
    const int node = pretrained.find(name);
    if (node < 0) throw Error("cannot freeze \"" + name + "\": the network has no such brick");
    if (node == last) throw Error("the last brick (the new head) must train: unfreeze " + name);
  }
  reset("fine-tuned (pretrained on MNIST)", "from scratch");
  finetune_ = setup;
  epochs_ = setup.epochs;
  batch_size_ = setup.batch_size;
  train_ = first(target_train, setup.train_images);
  test_ = first(target_test, setup.test_images);
  pretrained_ = std::make_unique<Model>(std::move(pretrained));
  if (source) {
    if (source->x.shape().with_batch(1) != pretrained_->input_shape())
      throw Error("the source images are " + source->x.shape().sample_str() +
                  " but the network takes " + pretrained_->input_shape().sample_str());
    source_ = first(*source, setup.pretrain_images);
    prepare_.push_back([this] {
      if (!pretrainer_) {
        // "mnist/train" -> "mnist"
        const std::string name = source_.name.substr(0, source_.name.find('/'));
        unit_.label0 = "fine-tuned (pretrained on " + std::to_string(source_.size()) + " " +
                       (name.empty() ? std::string("source") : name) + " images)";
        if (!pretrained_->compiled())
          pretrained_->compile({.optimizer = {{"type", "adam"}, {"lr", 0.002}}});
        FitOptions fit;
        fit.epochs = std::max(1, finetune_.pretrain_epochs);
        fit.batch_size = 64;
        pretrainer_ = std::make_unique<Trainer>(*pretrained_, source_.x,
                                                std::vector<const Tensor*>{&source_.y}, fit);
      }
      pretrainer_->step();
      const TrainProgress& p = pretrainer_->progress();
      const int batches = (source_.size() + 63) / 64;
      unit_.progress =
          float(p.epoch * batches + p.batch) / float(batches * finetune_.pretrain_epochs);
      unit_.status = "pretraining on " + std::to_string(source_.size()) + " source images, epoch " +
                     std::to_string(p.epoch + 1) + ", loss " + std::to_string(p.logs.get("loss"));
      if (!pretrainer_->done()) return false;
      pretrainer_.reset();
      source_ = Dataset{};
      return true;
    });
  }
  phase_ = Phase::kPreparing;
  prepare_.push_back([this] {
    FinetunePair pair = make_finetune_pair(*pretrained_, train_.num_classes, finetune_.freeze,
                                           {{"type", "adam"}, {"lr", finetune_.lr}},
                                           finetune_.pretrained_lr, finetune_.seed);
    for (int i = 0; i < 2; ++i) {
      runs_[i] = std::make_unique<Run>();
      runs_[i]->model = std::make_unique<Model>(std::move(i == 0 ? pair.tuned : pair.scratch));
      runs_[i]->x = train_.x;
      runs_[i]->y = train_.y;
      runs_[i]->test_x = test_.x;
      runs_[i]->test_y = test_.y;
    }
    pretrained_.reset();
    return true;
  });
}

// --- (b) features -----------------------------------------------------------------

void TransferJob::start_features(Backbone backbone, const Dataset& train, const Dataset& test,
                                 const FeatureSetup& setup) {
  background_.wait_unit();
  if (setup.epochs < 1 || setup.batch_size < 1) throw Error("epochs and batch size must be >= 1");
  if (train.num_classes < 2) throw Error("add at least two classes");
  if (train.size() == 0 || test.size() == 0) throw Error("there are no training or no test images");
  if (train.x.shape().c != 3) throw Error("the backbone takes colour images");
  if (backbone.model.find(setup.layer) < 0)
    throw Error("the " + backbone.kind + " network has no layer \"" + setup.layer + "\"");
  reset(backbone.kind + " features + dense", setup.scratch_model + " from scratch");
  feature_setup_ = setup;
  epochs_ = setup.epochs;
  batch_size_ = setup.batch_size;
  train_ = train;
  test_ = test;
  backbone_ = std::make_unique<Backbone>(std::move(backbone));
  phase_ = Phase::kPreparing;
  // Features, a couple of images per piece: the backbone is the slow part.
  prepare_.push_back([this] {
    const int total = train_.size() + test_.size();
    const int split = features_done_[0] < train_.size() ? 0 : 1;
    const Dataset& d = split == 0 ? train_ : test_;
    const int start = features_done_[split];
    const int count = std::min(kFeatureBatch, d.size() - start);
    const Dataset part = d.slice(start, count);
    const Tensor f = extract_features(*backbone_, part.x, feature_setup_.layer,
                                      {.pool = true, .batch_size = kFeatureBatch});
    if (features_[split].size() == 0) features_[split] = Tensor({d.size(), f.shape().c, 1, 1});
    std::copy(f.data(), f.data() + f.size(), features_[split].sample(start));
    features_done_[split] += count;
    const int done = features_done_[0] + features_done_[1];
    unit_.progress = float(done) / float(total);
    unit_.status = "extracting " + backbone_->kind + " features: " + std::to_string(done) + " / " +
                   std::to_string(total) + " images";
    return done == total;
  });
  prepare_.push_back([this] {
    backbone_.reset();
    standardise_features(features_[0], features_[1]);
    const nlohmann::json optimizer = {{"type", "adam"}, {"lr", feature_setup_.lr}};
    auto head = std::make_unique<Model>(Shape{1, features_[0].shape().c, 1, 1});
    head->add(make_brick({{"type", "dense"}, {"units", train_.num_classes}}));
    head->build(feature_setup_.seed);
    head->compile({.optimizer = optimizer});
    auto scratch = std::make_unique<Model>(make_preset(
        feature_setup_.scratch_model, train_.x.shape().with_batch(1), train_.num_classes));
    scratch->build(feature_setup_.seed);
    scratch->compile({.optimizer = optimizer});
    for (int i = 0; i < 2; ++i) {
      runs_[i] = std::make_unique<Run>();
      runs_[i]->model = std::move(i == 0 ? head : scratch);
      runs_[i]->x = i == 0 ? features_[0] : train_.x;
      runs_[i]->test_x = i == 0 ? features_[1] : test_.x;
      runs_[i]->y = train_.y;
      runs_[i]->test_y = test_.y;
    }
    return true;
  });
}

// --- Both: the side-by-side training ------------------------------------------------

void TransferJob::start_training_runs() {
  for (auto& r : runs_) {
    FitOptions fit;
    fit.epochs = epochs_;
    fit.batch_size = batch_size_;
    r->trainer = std::make_unique<Trainer>(*r->model, r->x, std::vector<const Tensor*>{&r->y}, fit);
    // The accuracy before any training: the first point of each curve.
    r->evaluator.start(r->test_x, r->test_y, r->test_y.shape().n, train_.num_classes);
  }
}

void TransferJob::begin_unit() {
  unit_ = Unit{};
  unit_.preparing = phase_ == Phase::kPreparing;
  if (unit_.preparing) return;
  // The run behind (fewer points) goes next, so both curves grow together.
  int i = curves_[1].accuracy.size() < curves_[0].accuracy.size() ? 1 : 0;
  if (!runs_[i]->evaluator.running() && runs_[i]->trainer->done()) i = 1 - i;
  unit_.run = i;
}

void TransferJob::prepare_piece() {
  if (prepare_next_ < prepare_.size() && prepare_[prepare_next_]()) {
    ++prepare_next_;
    unit_.prepared = true;
  }
  if (prepare_next_ >= prepare_.size()) {
    prepare_.clear();
    start_training_runs();
    unit_.training_began = true;
  }
}

void TransferJob::train_piece() {
  Run& r = *runs_[unit_.run];
  if (r.evaluator.running()) {
    if (r.evaluator.step(*r.model, kEvalChunk))
      unit_.accuracy = float(r.evaluator.result().accuracy);
  } else if (!r.trainer->done()) {
    r.trainer->step();
    if (r.trainer->progress().epoch_end)
      r.evaluator.start(r.test_x, r.test_y, r.test_y.shape().n, train_.num_classes);
  } else {
    unit_.finished = true;
  }
}

bool TransferJob::compute_unit() {
  try {
    if (unit_.preparing)
      prepare_piece();
    else
      train_piece();
  } catch (const Error& e) {
    unit_.error = e.what();
  }
  return false;
}

void TransferJob::end_unit() {
  if (!unit_.error.empty()) return fail(unit_.error);
  if (unit_.preparing) {
    if (!unit_.label0.empty()) curves_[0].label = unit_.label0;
    if (!unit_.status.empty()) status_ = unit_.status;
    if (unit_.progress >= 0) prepare_progress_ = unit_.progress;
    if (unit_.prepared) prepare_progress_ = 0;
    if (unit_.training_began) phase_ = Phase::kTraining;
  } else if (unit_.finished) {
    phase_ = Phase::kDone;
    status_ = "done";
    return;
  } else {
    AccuracyCurve& curve = curves_[unit_.run];
    if (unit_.accuracy >= 0) curve.accuracy.push_back(unit_.accuracy);
    // Points so far = the epoch in progress (the first point is before training).
    const int epoch = std::clamp(int(curve.accuracy.size()), 1, epochs_);
    status_ = curve.label + ": epoch " + std::to_string(epoch) + " of " + std::to_string(epochs_);
  }
  ++pieces_;
}

float TransferJob::progress() const {
  if (phase_ == Phase::kPreparing) return prepare_progress_;
  if (phase_ == Phase::kDone) return 1.f;
  if (phase_ != Phase::kTraining || epochs_ == 0) return 0.f;
  const size_t points = curves_[0].accuracy.size() + curves_[1].accuracy.size();
  return float(points) / float(2 * (epochs_ + 1));
}

}  // namespace cnn::lab
