// cnn train: load a data set, build (or resume) a model, fit it with a
// progress bar, evaluate it on the test set and save it.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/error.h"
#include "data/augment.h"
#include "data/datasets.h"
#include "data/preprocess.h"
#include "kernels/kernels.h"
#include "model/model_file.h"
#include "model/trainer.h"
#include "model/zoo.h"

namespace cnn::cli {

namespace {

Args train_args() {
  std::string models;
  for (const Preset& p : presets()) models += (models.empty() ? "" : ", ") + p.name;
  Args a("cnn train", "Train a CNN, evaluate it on the test set and save it.");
  a.option("dataset", "mnist", std::string("data set: ") + dataset_names())
      .option("data", "",
              "where the data set is (folder or CIFAR-10 archive); default: its package")
      .option("model", "lenet", "a preset (" + models + ") or a model file to continue training")
      .option("epochs", "2", "epochs to train")
      .option("batch-size", "64", "samples per batch")
      .option("part", "0",
              "feed each batch in parts of at most N samples, one optimiser step per batch "
              "(as the playground does, 16); 0: whole batches")
      .option("optimizer", "adam", "adam or sgd")
      .option("lr", "", "learning rate (default 0.002 for adam, 0.01 for sgd)")
      .option("momentum", "0.9", "SGD momentum")
      .option("l2", "0", "L2 weight decay (gradient += l2 * w)")
      .option("schedule", "step",
              "learning-rate schedule: none, step (halve every --step epochs), plateau (halve when "
              "validation loss stops improving)")
      .option("step", "1", "epochs between halvings for --schedule step")
      .option("loss", "softmax_crossentropy",
              "loss (softmax_crossentropy, categorical_crossentropy, max_margin, mse, ...)")
      .option("preprocess", "scale01", "scale01, signed ([-1,1]), standardize, mean, none")
      .flag("hflip", "augment: random horizontal flips")
      .option("crop-pad", "0", "augment: random crops after zero padding by this many pixels")
      .option("translate", "0", "augment: random shifts by up to this many pixels")
      .option("jitter", "0", "augment: brightness/contrast jitter strength (e.g. 0.2)")
      .option("validation", "test",
              "per-epoch validation: test (the test set), none, or a fraction of the training set "
              "held out")
      .option("limit", "0", "train on the first N images only (0: all)")
      .option("seed", "42", "random seed: the same seed gives the same run")
      .option("kernels", "",
              "kernel set (scalar, avx2, avx512, wasm_simd128); default: the fastest here")
      .option("out", "", "where to save the model [<model>-<dataset>.safetensors]")
      .flag("deterministic",
            "the same bits natively and in WebAssembly: scalar kernels, one thread (slower)")
      .option("steps", "0",
              "stop after this many training batches, save, skip the test evaluation (0: all "
              "epochs)")
      .flag("print-weights-hash",
            "print a 64-bit FNV-1a hash of the weights and buffers after training");
  return a;
}

// FNV-1a over the bytes of every parameter and buffer, in the model's fixed
// order: equal hashes mean bit-identical weights (compare a native and a
// WebAssembly run with --deterministic).
uint64_t weights_hash(Model& model) {
  uint64_t h = 0xcbf29ce484222325ull;
  model.for_each_state_tensor(false, [&](const std::string&, const Tensor& t) {
    const float* data = t.data();
    for (size_t i = 0; i < t.size(); ++i) {
      uint32_t u;
      std::memcpy(&u, data + i, sizeof u);
      for (int b = 0; b < 4; ++b) h = (h ^ ((u >> (8 * b)) & 0xff)) * 0x100000001b3ull;
    }
  });
  return h;
}

}  // namespace

int train_command(const Argv& argv) {
  Args args = train_args();
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  if (args.has("deterministic") && !args.get("kernels").empty() && args.get("kernels") != "scalar")
    throw Error("--deterministic runs the scalar kernels; drop --kernels " + args.get("kernels"));
  if (!args.get("kernels").empty() && !kernels::select_kernels(args.get("kernels").c_str()))
    throw Error("kernel set \"" + args.get("kernels") + "\" is not available on this machine");
  if (args.has("deterministic")) kernels::set_deterministic(true);
  const int steps = args.get_int("steps");
  if (steps < 0) throw Error("--steps must not be negative");

  const std::string dataset_name = args.get("dataset");
  const int epochs = args.get_int("epochs");
  const int batch_size = args.get_int("batch-size");
  const int limit = args.get_int("limit");
  if (epochs < 1) throw Error("--epochs must be at least 1");
  if (batch_size < 1) throw Error("--batch-size must be at least 1");
  if (limit < 0) throw Error("--limit must not be negative");

  Dataset train = load_dataset(dataset_name, args.get("data"), true);
  Dataset test = load_dataset(dataset_name, args.get("data"), false);
  if (limit > 0 && limit < train.size()) train = train.slice(0, limit);
  std::printf("%s: %d training and %d test images of %s, %d classes\n", dataset_name.c_str(),
              train.size(), test.size(), train.x.shape().sample_str().c_str(), train.num_classes);

  // The model: a preset, or a saved model to continue training.
  const std::string model_arg = args.get("model");
  const bool resume = model_arg.find(".safetensors") != std::string::npos;
  Model model = resume ? load_model(model_arg)
                       : make_preset(model_arg, train.x.shape().with_batch(1), train.num_classes);
  if (model.input_shape() != train.x.shape().with_batch(1))
    throw Error(model_arg + " takes " + model.input_shape().sample_str() + " inputs but " +
                dataset_name + " images are " + train.x.shape().sample_str());

  Preprocessing pre;
  if (resume && model.metadata.contains("preprocessing")) {
    pre = Preprocessing::from_json(model.metadata["preprocessing"]);
  } else {
    pre = Preprocessing::fit(Preprocessing::parse_mode(args.get("preprocess")), train);
  }
  pre.apply(train.x);
  pre.apply(test.x);

  if (!resume || !model.compiled()) {
    const std::string opt = args.get("optimizer");
    nlohmann::json optimizer = {{"type", opt}, {"l2", args.get_double("l2")}};
    optimizer["lr"] =
        args.get("lr").empty() ? (opt == "sgd" ? 0.01 : 0.002) : args.get_double("lr");
    if (opt == "sgd") optimizer["momentum"] = args.get_double("momentum");
    nlohmann::json schedule = nullptr;
    if (args.get("schedule") == "step")
      schedule = {{"type", "step"}, {"every", args.get_int("step")}, {"factor", 0.5}};
    else if (args.get("schedule") == "plateau")
      schedule = {{"type", "plateau"}, {"factor", 0.5}, {"patience", 1}};
    else if (args.get("schedule") != "none")
      throw Error("unknown --schedule \"" + args.get("schedule") + "\" (none, step, plateau)");
    model.build(uint64_t(args.get_int("seed")));
    model.compile({.loss = {args.get("loss")},
                   .optimizer = optimizer,
                   .metrics = {"accuracy"},
                   .schedule = schedule});
  } else {
    model.rng().reseed(uint64_t(args.get_int("seed")) + model.metadata.value("epochs_done", 0));
  }
  model.metadata["dataset"] = dataset_name;
  model.metadata["preprocessing"] = pre.to_json();
  model.metadata["class_names"] = train.class_names;
  std::fputs(model.summary().c_str(), stdout);

  // Validation data: the test set, nothing, or a held-out tail of the training set.
  FitOptions fit;
  fit.epochs = model.metadata.value("epochs_done", 0) + epochs;
  fit.initial_epoch = model.metadata.value("epochs_done", 0);
  fit.batch_size = batch_size;
  fit.max_part = args.get_int("part");
  if (fit.max_part < 0) throw Error("--part must be 0 or more");
  Dataset held_out;
  const std::string validation = args.get("validation");
  if (validation == "test") {
    fit.validation_x = &test.x;
    fit.validation_y = {&test.y};
  } else if (validation != "none") {
    const double fraction = args.get_double("validation");
    if (!(fraction > 0 && fraction < 1))
      throw Error("--validation must be test, none, or a fraction in (0, 1)");
    const int keep = train.size() - int(train.size() * fraction);
    held_out = train.slice(keep, train.size() - keep);
    train = train.slice(0, keep);
    fit.validation_x = &held_out.x;
    fit.validation_y = {&held_out.y};
  }
  Augmentation aug;
  aug.hflip = args.has("hflip");
  aug.crop_pad = args.get_int("crop-pad");
  aug.translate = args.get_int("translate");
  aug.brightness = aug.contrast = float(args.get_double("jitter"));
  if (aug.any()) fit.augment = [aug](Tensor& batch, Rng& rng) { aug.apply(batch, rng); };
  ProgressBar bar(stdout);
  fit.on_batch_end = [&](const TrainProgress& p) { bar.on_batch(p); };
  fit.on_epoch_end = [&](const TrainProgress& p) { bar.on_epoch(p); };

  const std::string out =
      args.get("out").empty()
          ? (resume ? model_arg : model_arg + "-" + dataset_name + ".safetensors")
          : args.get("out");
  std::printf("kernels: %s%s\n", kernels::active().name,
              kernels::deterministic() ? " (deterministic)" : "");
  History history;
  try {
    if (steps > 0) {
      Trainer trainer(model, train.x, {&train.y}, fit);
      for (int i = 0; i < steps && !trainer.done(); ++i) trainer.step();
    } else {
      history = model.fit(train.x, train.y, fit);
    }
  } catch (const TrainingDiverged& e) {
    save_model(out, model);
    std::fprintf(stderr, "cnn train: error: %s\nThe last good model was saved to %s.\n", e.what(),
                 out.c_str());
    return 1;
  }
  if (args.has("print-weights-hash"))
    std::printf("weights hash: %016llx\n", (unsigned long long)weights_hash(model));
  if (steps > 0) {
    save_model(out, model);
    std::printf("saved %s (after %d training steps)\n", out.c_str(), steps);
    return 0;
  }
  // With the test set as validation data, its last evaluation is current.
  double loss, accuracy;
  if (validation == "test") {
    loss = history.values.at("val_loss").back();
    accuracy = history.values.at("val_accuracy").back();
  } else {
    Logs result = model.evaluate(test.x, test.y);
    loss = result.get("loss");
    accuracy = result.get("accuracy");
  }
  std::printf("test loss %.4f - test accuracy %.4f (%d images)\n", loss, accuracy, test.size());
  model.metadata["test_accuracy"] = accuracy;
  save_model(out, model);
  std::printf("saved %s\n", out.c_str());
  return 0;
}

}  // namespace cnn::cli
