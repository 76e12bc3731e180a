// The dispatch of `cnn`: train, evaluate and inspect CNNs from the command line. The same
// source builds natively and as WebAssembly for node (cnn.js).
#include <cstdio>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "core/error.h"

namespace {

const char* kUsage =
    "usage: cnn COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  train     train a model on MNIST, Fashion-MNIST or CIFAR-10 and save it\n"
    "  eval      evaluate a saved model on a test set\n"
    "  summary   print the bricks, shapes and parameter counts of a model\n"
    "  bench     measure a benchmark workload (one JSON line)\n"
    "  style     neural style transfer (Gatys et al.) with ResNet50 or VGG\n"
    "  features  pretrained-network features + a classifier, against training from scratch\n"
    "  finetune  fine-tune an MNIST net on Fashion-MNIST, against training from scratch\n"
    "  classify  the ImageNet top-5 of an image with the pretrained ResNet50\n"
    "  convert   write the pretrained ResNet50 (some stages) as a model file\n"
    "\n"
    "Run `cnn COMMAND --help` for the options of a command.\n";

}  // namespace

namespace cnn::cli {

int run(const Argv& argv) {
  if (argv.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[0];
  const Argv args(argv.begin() + 1, argv.end());
  try {
    if (command == "train") return train_command(args);
    if (command == "eval") return eval_command(args);
    if (command == "summary") return summary_command(args);
    if (command == "bench") return bench_command(args);
    if (command == "style") return style_command(args);
    if (command == "features") return features_command(args);
    if (command == "finetune") return finetune_command(args);
    if (command == "classify") return classify_command(args);
    if (command == "convert") return convert_command(args);
    if (command == "-h" || command == "--help" || command == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "cnn: unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const cnn::Error& e) {
    std::fprintf(stderr, "cnn %s: error: %s\n", command.c_str(), e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "cnn %s: error: out of memory\n", command.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cnn %s: internal error: %s\n", command.c_str(), e.what());
    return 3;
  }
}

}  // namespace cnn::cli
