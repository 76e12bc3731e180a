// cnn eval: evaluate a saved model on its data set's test split, with
// per-class accuracy and a confusion matrix.
// cnn summary: the bricks, output shapes and parameter counts of a model.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "data/datasets.h"
#include "data/preprocess.h"
#include "model/metrics.h"
#include "model/model_file.h"
#include "model/zoo.h"

namespace cnn::cli {

int eval_command(const Argv& argv) {
  Args args("cnn eval", "Evaluate a saved model on the test set of its data set.");
  args.positional("MODEL", "a model file saved by cnn train")
      .option("dataset", "", "data set (default: the one the model was trained on)")
      .option("data", "", "where the data set is (default: its package)")
      .option("batch-size", "256", "samples per batch");
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const std::string path = args.positionals()[0];
  Model model = load_model(path);
  std::string dataset = args.get("dataset");
  if (dataset.empty()) dataset = model.metadata.value("dataset", "");
  if (dataset.empty())
    throw Error(path + ": the file does not say which data set it was trained on; pass --dataset");
  Dataset test = load_dataset(dataset, args.get("data"), false);
  if (model.input_shape() != test.x.shape().with_batch(1))
    throw Error(path + ": the model takes " + model.input_shape().sample_str() + " inputs but " +
                dataset + " images are " + test.x.shape().sample_str());
  Preprocessing pre;
  if (model.metadata.contains("preprocessing"))
    pre = Preprocessing::from_json(model.metadata["preprocessing"]);
  pre.apply(test.x);
  if (!model.compiled()) model.compile({});

  // One pass: the confusion matrix below uses the same predictions.
  std::vector<Tensor> out;
  Logs result = model.evaluate(test.x, {&test.y}, args.get_int("batch-size"), &out);
  std::printf("%s on %s test set (%d images): loss %.4f - accuracy %.4f\n", path.c_str(),
              dataset.c_str(), test.size(), result.get("loss"), result.get("accuracy"));

  // Confusion matrix: rows are true classes, columns predictions.
  const int k = test.num_classes;
  std::vector<std::vector<int>> confusion(k, std::vector<int>(k, 0));
  for (int i = 0; i < test.size(); ++i) {
    int truth = int(test.y[i]);
    int predicted = predicted_class(out[0], i);
    if (predicted < k) ++confusion[truth][predicted];
  }
  std::printf("\nconfusion matrix (rows: true class, columns: predicted)\n%14s", "");
  for (int j = 0; j < k; ++j) std::printf("%6d", j);
  std::printf("  accuracy\n");
  for (int i = 0; i < k; ++i) {
    int total = 0;
    for (int j = 0; j < k; ++j) total += confusion[i][j];
    std::printf("%2d %-11.11s", i, test.class_names[i].c_str());
    for (int j = 0; j < k; ++j) std::printf("%6d", confusion[i][j]);
    std::printf("  %.4f\n", total ? double(confusion[i][i]) / total : 0.0);
  }
  return 0;
}

int summary_command(const Argv& argv) {
  Args args("cnn summary", "Print the bricks, output shapes and parameter counts of a model.");
  args.positional("MODEL", "a model file, or a preset name (then --input and --classes apply)")
      .option("input", "1x28x28", "input shape CxHxW for a preset")
      .option("classes", "10", "classes for a preset");
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const std::string name = args.positionals()[0];
  if (name.find(".safetensors") != std::string::npos) {
    Model model = load_model(name);
    std::fputs(model.summary().c_str(), stdout);
    return 0;
  }
  int c = 0, h = 0, w = 0;
  if (std::sscanf(args.get("input").c_str(), "%dx%dx%d", &c, &h, &w) != 3)
    throw Error("--input expects CxHxW, e.g. 3x32x32");
  Model model = make_preset(name, {1, c, h, w}, args.get_int("classes"));
  model.build();
  std::fputs(model.summary().c_str(), stdout);
  return 0;
}

}  // namespace cnn::cli
