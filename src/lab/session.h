// One model and its training, as the panels see it: an editable list of
// bricks (from a preset), the built model or the reason it cannot be built,
// and training (Train, Pause, Step, Reset), with live curves and evaluations
// on the test set.
//
// The work is batches (cnn::Trainer, one batch per step()) and evaluation
// chunks (Evaluator), done in units (a part of a batch, or a chunk) on the
// one background-work mechanism (lab/background.h: time slices or a worker
// thread, the UI lock, claim_model(), wait_unit(), frame pacing). While a
// unit runs (model_busy()), the worker alone may touch the model, the
// trainer and the evaluator, and the panels read the progress figures
// copied at the end of the last unit. A panel that needs the model (the
// maps of "Inside the network", the pad's classification) asks with
// claim_model(). Calls that change the model or the training (train(),
// reset(), rebuild(), classify(), ...) first wait for the unit in progress
// (wait_unit(), one unit at most). Pause takes effect after the unit in
// progress, so within one batch. Training is paced (frame pacing applies).
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "lab/background.h"
#include "lab/evaluator.h"
#include "model/model.h"
#include "model/trainer.h"

namespace cnn::lab {

// The defaults reach 98.5-99% test accuracy on MNIST with LeNet in two
// epochs (as `cnn train`'s defaults: Adam 0.002, halved every epoch).
struct TrainSettings {
  std::string loss = "softmax_crossentropy";  // one of training_losses()
  std::string optimizer = "adam";             // "adam" or "sgd"
  float lr = 2e-3f;                           // the starting rate (the schedule lowers it)
  float momentum = 0.9f;                      // sgd
  float l2 = 0;                               // weight decay: grad += l2 * w
  std::string schedule = "step";              // "none", "step" or "plateau"
  int schedule_every = 1;                     // step: epochs between reductions
  float schedule_factor = 0.5f;               // step, plateau: rate *= factor
  int schedule_patience = 1;                  // plateau: epochs without improvement
  int batch_size = 64;
  int epochs = 2;
  int seed = 42;
  // The optimiser and schedule configs for Model::compile.
  nlohmann::json optimizer_config() const;
  nlohmann::json schedule_config() const;
};

// Losses the playground offers for a classifier (class-index labels).
const std::vector<std::string>& training_losses();

// Per-layer facts for the model panel.
struct LayerInfo {
  std::string name, type, output;  // output: "16x28x28"
  size_t params = 0;
};

// Curves sampled while training: one point per `kCurveEvery` batches.
struct Curves {
  std::vector<float> train_loss, train_acc, val_loss, val_acc;
  std::vector<float> lr;  // the optimiser's learning rate at each point
  void clear() { *this = Curves{}; }
};

class Session : private BackgroundJob {
 public:
  enum class State { kNoModel, kReady, kTraining, kPaused, kFinished };
  static constexpr int kCurveEvery = 50;     // batches between curve points
  static constexpr int kLiveValSize = 1000;  // test images behind each live validation point
  // Test images per evaluation step: a unit of work the UI may wait for, so
  // about as long as a training part (100 took 107-151 ms in the browser).
  static constexpr int kEvalChunk = 25;
  // Training images per work unit (a batch in parts). A UI frame may wait
  // for one unit (worker) or contains at least one (time slices); 16 images
  // took up to 69-93 ms in the browser. The same in both modes, so the two
  // pages train to the same weights (the summation order follows the parts).
  static constexpr int kTrainPart = 8;

  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() override;  // stops the worker thread

  // --- Architecture ---------------------------------------------------------
  // Replaces the layers with preset `name` (for 10 classes) and rebuilds.
  void load_preset(const std::string& name);
  const std::string& preset() const { return preset_; }  // "" once edited
  void mark_edited() { preset_.clear(); }
  // The editable layer configs (brick JSON); call rebuild() after changing them.
  std::vector<nlohmann::json> layers;
  // Builds a fresh model from `layers` for the current data; resets training.
  void rebuild();
  // Takes over a loaded model (weights, optimiser state, epochs done) if it
  // fits the data; its bricks become the layers. Throws cnn::Error if not.
  void adopt(Model model);
  // Why the current layers do not form a valid model ("" when they do).
  const std::string& arch_error() const { return arch_error_; }
  const std::vector<LayerInfo>& layer_info() const { return layer_info_; }
  Model* model() { return model_.get(); }
  size_t param_count() const { return model_ ? model_->param_count() : 0; }

  // --- Data (preprocessed; owned by the app, must outlive the session) -------
  void set_data(const Dataset* train, const Dataset* test);
  const Dataset* train_data() const { return train_; }
  const Dataset* test_data() const { return test_; }

  // --- Training ---------------------------------------------------------------
  TrainSettings settings;
  State state() const { return state_; }
  bool started() const {
    return trainer_ != nullptr;
  }              // optimizer and batch size are fixed until Reset
  void train();  // start, resume, or continue for settings.epochs more
  void pause();
  void step_batch();  // exactly one batch, then paused
  void reset();       // fresh weights, curves cleared
  // Trains / evaluates until `budget_seconds` have passed (or nothing is left).
  void update(double budget_seconds);
  // When > 0, training pauses once this many batches are done (smoke tests).
  long stop_after_batches = 0;
  // Applies settings.lr to the running optimiser (as the schedule's base
  // rate, so a step schedule keeps lowering it) and settings.l2.
  void apply_learning_rate();
  // The rate of every dropout brick in the layers; rebuilds (fresh weights).
  void set_dropout_rate(float rate);
  int dropout_layers() const;
  float dropout_rate() const;  // the first dropout brick's; 0 when none
  // The optimiser's current learning rate (0 without a model).
  float current_learning_rate() const { return learning_rate_; }
  // Changes each training batch in place before it is used (FitOptions::augment);
  // set by the app to the Data panel's augmentation. Taken when training starts.
  std::function<void(Tensor& batch, Rng& rng)> augment;

  // Progress of the running (or last) epoch, as of the end of the last unit;
  // epochs_done counts finished ones.
  const TrainProgress* progress() const { return trainer_ ? &progress_ : nullptr; }
  int epochs_done() const { return epochs_done_; }
  long batches_done() const { return batches_done_; }
  // Images per second of wall time (including drawing), over the last seconds.
  double throughput() const { return throughput_; }
  double eta_seconds() const;  // to the end of the planned epochs
  const Curves& curves() const { return curves_; }
  const std::string& message() const { return message_; }  // e.g. training diverged

  // --- Evaluation ---------------------------------------------------------------
  // Full test-set evaluation after each epoch, or on request.
  void evaluate_test_set();
  bool evaluating() const { return evaluating_; }
  double evaluation_progress() const { return evaluation_progress_; }
  const EvalResult* test_result() const { return has_test_result_ ? &test_result_ : nullptr; }
  int test_result_epoch() const { return test_result_epoch_; }  // epochs done when evaluated

  // --- Inference ----------------------------------------------------------------
  // Class probabilities for one preprocessed sample (1, C, H, W); empty when
  // there is no model. Waits for the unit in progress (see claim_model()).
  std::vector<float> classify(const Tensor& sample);
  // Changes whenever the weights may have changed (new model, trained batches).
  long weights_version() const { return weights_version_; }

  // --- Threads (lab/background.h) ---------------------------------------------------
  // From now on a worker thread trains and evaluates; update() only measures.
  // The UI thread must then hold lock() (or try_lock()) whenever it touches
  // the session.
  void start_worker() { background_.start_worker(); }
  void stop_worker() { background_.stop_worker(); }  // after the unit in progress
  bool has_worker() const { return background_.has_worker(); }
  void lock() { background_.lock(); }  // BasicLockable, for the UI thread
  void unlock() { background_.unlock(); }
  bool try_lock() { return background_.try_lock(); }
  bool model_busy() const { return background_.busy(); }
  bool claim_model() { return background_.claim(); }
  void wait_unit() { background_.wait_unit(); }
  // The UI thread, lock held, once per drawn frame: the clock of frame pacing.
  void frame_drawn() { background_.frame_drawn(); }
  long frame_waits() const { return background_.frame_waits(); }
  double frame_wait_seconds() const { return background_.frame_wait_seconds(); }
  // While training: the longest frame (lock() to unlock()) and the longest
  // wait for the lock (ms), and the longest single unit of work: a part of a
  // batch (with the optimiser step after the last part) or an evaluation
  // chunk of kEvalChunk images.
  double longest_frame_ms() const { return background_.longest_frame_ms(); }
  double longest_wait_ms() const { return background_.longest_wait_ms(); }
  double longest_train_unit_ms() const { return longest_train_unit_ms_; }
  double longest_eval_unit_ms() const { return longest_eval_unit_ms_; }

 private:
  enum class EvalKind { kNone, kLive, kTest };
  void clear_training();
  void describe_layers(Model& model);
  void make_trainer();
  void after_batch();
  void finish_evaluation();
  // BackgroundJob: a unit is chosen with the lock held (the model becomes
  // busy), computed without it (model, trainer and evaluator only), and
  // recorded with the lock held again (curves, state, the progress copies).
  bool has_work() const override;  // an evaluation chunk or a training part
  void begin_unit() override;
  bool compute_unit() override;
  void end_unit() override;
  bool paced() const override { return state_ == State::kTraining; }
  enum class UnitKind { kEval, kTrain };
  struct Unit {
    UnitKind kind = UnitKind::kTrain;
    bool training = false;  // the session was training when the unit began
    bool finished = false;  // the evaluation, or the batch, is complete
    std::string diverged;   // TrainingDiverged's message
    double seconds = 0;
  };
  // The figures panels read while a unit runs (progress(), evaluating(), ...).
  void copy_progress();

  std::string preset_, arch_error_, message_;
  std::vector<LayerInfo> layer_info_;
  const Dataset* train_ = nullptr;
  const Dataset* test_ = nullptr;
  bool train_finite_ = false;  // no NaN or infinity in train_ (checked in set_data)
  std::unique_ptr<Model> model_;
  std::unique_ptr<Trainer> trainer_;
  State state_ = State::kNoModel;
  Evaluator evaluator_;
  EvalKind eval_kind_ = EvalKind::kNone;
  EvalResult test_result_;
  bool has_test_result_ = false;
  int test_result_epoch_ = 0;
  int epochs_done_ = 0, target_epochs_ = 0;
  long batches_done_ = 0, weights_version_ = 0;
  Curves curves_;
  // Window means of the training logs between curve points.
  double window_loss_ = 0, window_acc_ = 0;
  long window_samples_ = 0;
  bool curve_point_pending_ = false;  // a train point waits for its validation point
  double last_mean_loss_ = 0, last_mean_acc_ = 0;
  long last_seen_ = 0;
  // Throughput: images and wall time at the start of the measuring window.
  double rate_t0_ = 0, throughput_ = 0;
  long rate_images0_ = 0, images_done_ = 0;
  Unit unit_;  // the unit in progress
  // Copies of what the worker changes inside a unit, for the panels.
  TrainProgress progress_;
  bool evaluating_ = false;
  double evaluation_progress_ = 0;
  float learning_rate_ = 0;
  double longest_train_unit_ms_ = 0, longest_eval_unit_ms_ = 0;
  // Declared last; ~Session stops its worker while the session is whole.
  Background background_{*this};
};

}  // namespace cnn::lab
