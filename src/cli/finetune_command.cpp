// cnn finetune: transfer learning as the course teaches it, demo (a). A net
// trained on MNIST (or a model file) gets a new head and is fine-tuned on a
// small Fashion-MNIST subset, some bricks frozen and the pretrained ones at a
// lower learning rate; the same network trained from scratch on the same
// images is the baseline. Prints both test-accuracy curves and writes them
// as CSV and an SVG plot.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "cli/svg_plot.h"
#include "core/error.h"
#include "data/datasets.h"
#include "core/file.h"
#include "data/preprocess.h"
#include "model/model_file.h"
#include "model/zoo.h"
#include "pretrained/features.h"

namespace cnn::cli {

namespace {

Args finetune_args() {
  Args a("cnn finetune",
         "Fine-tune a network pretrained on one data set on a few images of another, against "
         "training the same network from scratch.");
  a.option("pretrained", "", "a model file to start from (default: train --model on --source)")
      .option("model", "lenet", "preset to pretrain when no --pretrained file is given")
      .option("source", "mnist", "data set to pretrain on")
      .option("source-data", "", "where the source data set is (default: its package)")
      .option("pretrain-limit", "10000", "pretrain on the first N source images")
      .option("pretrain-epochs", "1", "epochs of pretraining")
      .option("dataset", "fashion-mnist", "data set to fine-tune on (the new task)")
      .option("data", "", "where that data set is (default: its package)")
      .option("train-limit", "1000", "fine-tune on the first N images of the new task")
      .option("test-limit", "2000", "evaluate on the first N test images (0: all)")
      .option("epochs", "5", "epochs of fine-tuning (and of training from scratch)")
      .option("batch-size", "32", "samples per batch")
      .option("lr", "0.002", "Adam learning rate of the new head (and of the from-scratch net)")
      .option("pretrained-lr", "0.3", "learning-rate factor for the pretrained bricks")
      .option("freeze", "", "bricks to freeze: a count N (the first N) or comma-separated names")
      .option("seed", "42", "random seed (same initial head for both runs)")
      .option("csv", "", "write the curves to this CSV file")
      .option("plot", "", "write the plot to this SVG file")
      .option("out", "", "save the fine-tuned model here");
  return a;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Trains `m` (compiled) for `epochs` on train, recording test accuracy
// before training and after every epoch.
std::vector<double> curve(Model& m, const Dataset& train, const Dataset& test, int epochs,
                          int batch_size, const char* label) {
  std::printf("-- %s\n", label);
  std::vector<double> acc = {m.evaluate(test.x, test.y).get("accuracy")};
  FitOptions fit;
  fit.epochs = epochs;
  fit.batch_size = batch_size;
  fit.validation_x = &test.x;
  fit.validation_y = {&test.y};
  ProgressBar bar(stdout);
  fit.on_batch_end = [&](const TrainProgress& p) { bar.on_batch(p); };
  fit.on_epoch_end = [&](const TrainProgress& p) { bar.on_epoch(p); };
  History h = m.fit(train.x, train.y, fit);
  for (double a : h["val_accuracy"]) acc.push_back(a);
  return acc;
}

}  // namespace

int finetune_command(const Argv& argv) {
  Args args = finetune_args();
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const int epochs = args.get_int("epochs"), batch_size = args.get_int("batch-size");
  const int train_limit = args.get_int("train-limit"), test_limit = args.get_int("test-limit");
  const uint64_t seed = uint64_t(args.get_int("seed"));
  const float lr = float(args.get_double("lr"));
  const float pretrained_lr = float(args.get_double("pretrained-lr"));
  if (epochs < 1) throw Error("--epochs must be at least 1");
  if (batch_size < 1) throw Error("--batch-size must be at least 1");
  if (train_limit < 1) throw Error("--train-limit must be at least 1");
  if (test_limit < 0) throw Error("--test-limit must not be negative");
  if (!(lr > 0) || !(pretrained_lr >= 0)) throw Error("--lr must be > 0, --pretrained-lr >= 0");

  const std::string file = args.get("pretrained");
  if (!file.empty() && !file_exists(file)) throw FileError(file, "not found");

  // The new task.
  const std::string target = args.get("dataset");
  Dataset train = load_dataset(target, args.get("data"), true);
  Dataset test = load_dataset(target, args.get("data"), false);
  if (train_limit < train.size()) train = train.slice(0, train_limit);
  if (test_limit > 0 && test_limit < test.size()) test = test.slice(0, test_limit);

  // The pretrained network: a file, or trained here on the source data set.
  Model pre(Shape{1, 1, 1, 1});
  Preprocessing prep;
  if (!file.empty()) {
    pre = load_model(file);
    prep = pre.metadata.contains("preprocessing")
               ? Preprocessing::from_json(pre.metadata["preprocessing"])
               : Preprocessing{};
    std::printf("pretrained: %s\n", file.c_str());
  } else {
    const std::string source = args.get("source");
    Dataset src = load_dataset(source, args.get("source-data"), true);
    const int limit = args.get_int("pretrain-limit");
    if (limit > 0 && limit < src.size()) src = src.slice(0, limit);
    prep.apply(src.x);
    pre = make_preset(args.get("model"), src.x.shape().with_batch(1), src.num_classes);
    pre.build(seed);
    pre.compile({.optimizer = {{"type", "adam"}, {"lr", 0.002}}});
    std::printf("pretraining %s on %d %s images\n", args.get("model").c_str(), src.size(),
                source.c_str());
    FitOptions fit;
    fit.epochs = args.get_int("pretrain-epochs");
    fit.batch_size = 64;
    ProgressBar bar(stdout);
    fit.on_batch_end = [&](const TrainProgress& p) { bar.on_batch(p); };
    fit.on_epoch_end = [&](const TrainProgress& p) { bar.on_epoch(p); };
    pre.fit(src.x, src.y, fit);
  }
  if (pre.input_shape() != train.x.shape().with_batch(1))
    throw Error("the pretrained network takes " + pre.input_shape().sample_str() + " inputs but " +
                target + " images are " + train.x.shape().sample_str());
  prep.apply(train.x);
  prep.apply(test.x);
  std::printf("%s: fine-tuning on %d images, testing on %d\n", target.c_str(), train.size(),
              test.size());

  const nlohmann::json optimizer = {{"type", "adam"}, {"lr", lr}};
  // Fine-tuned: the pretrained bricks, a new head. From scratch: the same
  // architecture, fresh weights (and the same initial head).
  FinetunePair pair = make_finetune_pair(pre, train.num_classes, split(args.get("freeze")),
                                         optimizer, pretrained_lr, seed);
  Model& tuned = pair.tuned;
  Model& scratch = pair.scratch;
  std::string frozen_list;
  for (const std::string& f : pair.frozen) frozen_list += (frozen_list.empty() ? "" : ", ") + f;
  std::printf("frozen: %s; pretrained bricks at %g x lr\n",
              pair.frozen.empty() ? "none" : frozen_list.c_str(), double(pretrained_lr));

  const std::vector<double> a_tuned =
      curve(tuned, train, test, epochs, batch_size, "fine-tuning the pretrained network");
  const std::vector<double> a_scratch =
      curve(scratch, train, test, epochs, batch_size, "training from scratch");

  std::printf("\nepoch  from scratch  fine-tuned   (test accuracy, %d %s test images)\n",
              test.size(), target.c_str());
  for (size_t e = 0; e < a_tuned.size(); ++e)
    std::printf("%5zu  %12.4f  %10.4f\n", e, a_scratch[e], a_tuned[e]);
  std::printf("fine-tuned - scratch after %d epochs: %+.4f\n", epochs,
              a_tuned.back() - a_scratch.back());

  if (!args.get("csv").empty()) {
    std::ofstream f(args.get("csv"));
    if (!f) throw FileError(args.get("csv"), "cannot be written");
    f << "epoch,scratch_accuracy,finetuned_accuracy\n";
    for (size_t e = 0; e < a_tuned.size(); ++e)
      f << e << ',' << a_scratch[e] << ',' << a_tuned[e] << '\n';
  }
  if (!args.get("plot").empty()) {
    Plot p{.title = "Fine-tuning on " + std::to_string(train.size()) + " " + target +
                    " images: pretrained vs from scratch",
           .x_label = "epoch",
           .y_label = "test accuracy",
           .log_y = false,
           .series = {{"fine-tuned (pretrained on " +
                           (file.empty() ? args.get("source") : std::string("a model file")) + ")",
                       {},
                       a_tuned},
                      {"from scratch", {}, a_scratch}}};
    for (PlotSeries& s : p.series)
      for (size_t e = 0; e < s.y.size(); ++e) s.x.push_back(double(e));
    save_plot_svg(args.get("plot"), p);
  }
  if (!args.get("out").empty()) {
    tuned.metadata["dataset"] = target;
    tuned.metadata["preprocessing"] = prep.to_json();
    tuned.metadata["class_names"] = train.class_names;
    save_model(args.get("out"), tuned);
    std::printf("saved %s\n", args.get("out").c_str());
  }
  return 0;
}

}  // namespace cnn::cli
