// The playground's transfer-learning demos without UI:
// a job first prepares (pretrains the source network, or extracts features
// with a pretrained backbone), then trains two models side by side on the same
// few images and records each one's test accuracy before training and after
// every epoch:
//  (a) a net pretrained on MNIST, fine-tuned on N Fashion-MNIST images (some
//      bricks frozen, the pretrained ones at a lower rate), against the same
//      architecture from scratch (make_finetune_pair, as `cnn finetune`);
//  (b) a dense classifier on a backbone's pooled features against a small CNN
//      trained from scratch on the images (as `cnn features`).
// The work is small pieces (one batch, one evaluation chunk, one image's
// features), run like the Session's on the playground's background work
// (lab/background.h): in time slices (update(), the single-threaded page) or
// on a worker thread (start_worker()) that computes a piece without the lock
// and records it with it; the UI holds lock() while it reads or changes the
// job, and a change (start, cancel) waits for the piece in progress.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "lab/background.h"
#include "lab/evaluator.h"
#include "model/model.h"
#include "model/trainer.h"
#include "pretrained/features.h"

namespace cnn::lab {

// Demo (a). The defaults are the CLI test's (FinetuneCli in
// tests/cli/style_cli_test.cpp), where fine-tuning reliably wins.
struct FinetuneSetup {
  int train_images = 200;  // N Fashion-MNIST images to learn from
  int test_images = 1000;  // test images behind each accuracy point
  int epochs = 3;
  int batch_size = 32;
  float lr = 0.002f;                               // Adam: the new head, and the net from scratch
  float pretrained_lr = 0.3f;                      // factor for the pretrained bricks
  std::vector<std::string> freeze = {"conv2d_1"};  // brick names
  int pretrain_images = 5000;  // when the job pretrains on the source set itself
  int pretrain_epochs = 1;
  uint64_t seed = 42;
};

// Demo (b).
struct FeatureSetup {
  std::string layer = "conv3_block4_out";  // whose pooled activations are the features
  int epochs = 20;
  int batch_size = 16;
  float lr = 0.002f;
  std::string scratch_model = "convnetjs-cifar";  // preset trained from scratch
  uint64_t seed = 42;
};

// One model's test accuracy: before training, then after each epoch.
struct AccuracyCurve {
  std::string label;
  std::vector<float> accuracy;
};

class TransferJob : private BackgroundJob {
 public:
  enum class Phase { kIdle, kPreparing, kTraining, kDone, kFailed };

  TransferJob() = default;
  TransferJob(const TransferJob&) = delete;
  TransferJob& operator=(const TransferJob&) = delete;
  ~TransferJob() override;  // stops the worker thread

  // (a) `pretrained`: a built classifier whose last brick is dense. With a
  // `source` data set it is first trained on source's first pretrain_images
  // (a fresh net, "pretrain one quickly"). target_* are preprocessed like
  // the pretrained net's inputs; the job copies what it uses. Throws
  // cnn::Error for a setup that cannot work (it names the problem).
  void start_finetune(Model pretrained, const Dataset* source, const Dataset& target_train,
                      const Dataset& target_test, const FinetuneSetup& setup);
  // (b) train / test: RGB images in [0, 1], all of one size, labels 0..k-1.
  void start_features(Backbone backbone, const Dataset& train, const Dataset& test,
                      const FeatureSetup& setup);
  void cancel();  // back to idle; the curves so far stay

  Phase phase() const { return phase_; }
  bool running() const { return phase_ == Phase::kPreparing || phase_ == Phase::kTraining; }
  const std::string& status() const { return status_; }  // what is going on now
  const std::string& error() const { return error_; }    // why it failed (kFailed)
  float progress() const;                                // 0..1 of the current phase
  // 0: the transfer model (fine-tuned / features + dense), 1: from scratch.
  const AccuracyCurve& curve(int i) const { return curves_[size_t(i)]; }
  int epochs() const { return epochs_; }
  long pieces_done() const { return pieces_; }

  // One piece of work on the calling thread (without a worker); false when
  // there is nothing to do.
  bool step() { return background_.run_unit(); }
  // Works until `budget_seconds` have passed (without a worker).
  void update(double budget_seconds) { background_.update(budget_seconds); }

  // --- Threads (lab/background.h) ------------------------------------------------
  void start_worker() { background_.start_worker(); }
  void stop_worker() { background_.stop_worker(); }
  bool has_worker() const { return background_.has_worker(); }
  void lock() { background_.lock(); }  // BasicLockable, for the UI thread
  void unlock() { background_.unlock(); }
  bool try_lock() { return background_.try_lock(); }

 private:
  struct Run {
    std::unique_ptr<Model> model;
    Tensor x, y, test_x, test_y;
    std::unique_ptr<Trainer> trainer;
    Evaluator evaluator;
  };
  void reset(const std::string& label0, const std::string& label1);
  void fail(const std::string& message);
  // BackgroundJob: a piece is chosen with the lock held, computed without it
  // (the runs, the preparation's models and data) and recorded with it (the
  // phase, status and curves the UI reads).
  bool has_work() const override { return running(); }
  void begin_unit() override;
  bool compute_unit() override;
  void end_unit() override;
  void prepare_piece();
  void start_training_runs();
  void train_piece();
  // The piece in progress: what it does, and what it found.
  struct Unit {
    bool preparing = false;
    int run = 0;                  // training: which run
    bool prepared = false;        // preparing: the preparation step is complete
    bool training_began = false;  // preparing: all steps are, the runs are set up
    bool finished = false;        // training: both runs are done
    float accuracy = -1;          // training: the run's next curve point (>= 0)
    std::string status, label0, error;
    float progress = -1;  // preparing: of the current step (>= 0)
  };
  Unit unit_;

  Phase phase_ = Phase::kIdle;
  std::string status_, error_;
  AccuracyCurve curves_[2];
  int epochs_ = 0, batch_size_ = 32;
  long pieces_ = 0;
  // Preparation: pieces run until one returns true (done); progress_ 0..1.
  // The steps write their status and progress into unit_.
  std::vector<std::function<bool()>> prepare_;
  size_t prepare_next_ = 0;
  float prepare_progress_ = 0;
  std::unique_ptr<Run> runs_[2];
  // Kept for the preparation steps.
  std::unique_ptr<Model> pretrained_;
  Dataset source_, train_, test_;
  std::unique_ptr<Trainer> pretrainer_;
  std::unique_ptr<Backbone> backbone_;
  Tensor features_[2];
  int features_done_[2] = {0, 0};
  FinetuneSetup finetune_;
  FeatureSetup feature_setup_;
  // Declared last; ~TransferJob stops its worker while the job is whole.
  Background background_{*this};
};

}  // namespace cnn::lab
