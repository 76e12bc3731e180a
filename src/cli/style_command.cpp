// cnn style: Gatys-style neural style transfer from the command line.
//   cnn style --content C --style S -o OUT.png [--backbone resnet50|vgg19.safetensors]
//             [--size N] [--iters N] [--optimizer lbfgs|adam] [--smooth T] ...
// Prints a progress line with the content, style and TV losses, writes the
// result as PNG and, on request, the losses per iteration as CSV and an SVG plot.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/svg_plot.h"
#include "core/error.h"
#include "core/file.h"
#include "pretrained/features.h"
#include "style/image.h"
#include "style/layer_weights.h"
#include "style/style_transfer.h"

#ifndef CNN_DEFAULT_IMAGES_DIR
#define CNN_DEFAULT_IMAGES_DIR "assets/images"
#endif

namespace cnn::cli {

namespace {

Args style_args() {
  const std::string dir = CNN_DEFAULT_IMAGES_DIR;
  Args a("cnn style",
         "Neural style transfer (Gatys et al.): repaint the content image in the style of the "
         "style image.");
  a.option("content", dir + "/coffee.png", "content image (PNG, JPEG, BMP, ...)")
      .option("style", dir + "/starry_night.jpg", "style image")
      .option("out", "stylised.png", "output PNG (also -o)")
      .option("backbone", "resnet50",
              "resnet50 (the npm package's ImageNet ResNet50) or a VGG16/VGG19 .safetensors file "
              "(torchvision names, e.g. timm vgg19.tv_in1k)")
      .option("vgg-depth", "0", "16 or 19 for a VGG file (default: 16 if its name says vgg16)")
      .option("size", "256", "long side of the result in pixels")
      .option("style-size", "0", "long side of the style image (default: --size)")
      .option("iters", "0", "iterations (default: 100 for lbfgs, 300 for adam)")
      .option("optimizer", "adam",
              "adam (visible style in a few hundred steps) or lbfgs (Gatys et al.; fewer "
              "evaluations to a low loss, but at 256 px it changes the image slowly)")
      // 0.01, not 0.03: at 256 px with the smoothed ResNet loss, 0.03 spikes
      // (style loss 36836 at step 31, 780697 at step 81); 0.01 falls steadily.
      .option("lr", "0.01", "Adam step size (pixels in [0, 1])")
      .option("init", "content", "start from the content image or from noise")
      .option("content-layers", "", "content layers, comma-separated (default per backbone)")
      .option("content-weights", "", "weight of each content layer (default: equal)")
      .option("style-layers", "", "style layers, comma-separated (default per backbone)")
      .option("style-weights", "", "weight of each style layer (default: equal, summing to 1)")
      .option("content-weight", "1", "weight of the content loss")
      .option("style-weight", "",
              "weight of the style loss (default 1e3 for resnet50, 1e4 for VGG)")
      .option("tv-weight", "0.001", "weight of the total-variation loss")
      .option("smooth", "auto",
              "activation smoothing (Wang et al. 2021): softmax temperature, 0 = off; auto = 1 for "
              "resnet50, off for VGG")
      .option("seed", "42", "random seed (noise start)")
      .option("losses", "", "write the losses per iteration to this CSV file")
      .option("plot", "", "write a plot of the losses to this SVG file")
      .option("save-every", "0", "also write the image to -o every N iterations (a preview)");
  return a;
}

Tensor load(const std::string& path, int long_side) {
  if (!file_exists(path))
    throw FileError(path, directory_exists(path) ? "is a folder, not an image"
                                                 : "not found (run scripts/fetch_images.sh for "
                                                   "the default images)");
  return load_image(path, {.long_side = long_side});
}

}  // namespace

int style_command(const Argv& argv_in) {
  Args args = style_args();
  Argv argv = argv_in;
  for (std::string& a : argv)
    if (a == "-o") a = "--out";  // the short form every image tool takes
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const int size = args.get_int("size");
  const int style_size = args.get_int("style-size") > 0 ? args.get_int("style-size") : size;
  if (size < 32 || size > 4096) throw Error("--size must be between 32 and 4096");
  if (style_size < 32 || style_size > 4096) throw Error("--style-size must be between 32 and 4096");
  const std::string opt = args.get("optimizer");
  if (opt != "lbfgs" && opt != "adam") throw Error("--optimizer must be lbfgs or adam");
  const std::string init = args.get("init");
  if (init != "content" && init != "noise") throw Error("--init must be content or noise");
  int iters = args.get_int("iters");
  if (iters == 0) iters = opt == "lbfgs" ? 100 : 300;
  if (iters < 1) throw Error("--iters must be at least 1");
  const std::string out = args.get("out");

  // Images first: a wrong path should not wait for the network to load.
  const Tensor content = load(args.get("content"), size);
  const Tensor style = load(args.get("style"), style_size);

  // The backbone's kind decides the default layers; build it up to the deepest one used.
  const std::string spec = args.get("backbone");
  const bool resnet = spec == "resnet50" || spec.find("resnet") != std::string::npos ||
                      spec.find("model.json") != std::string::npos;
  const StyleDefaults d = style_defaults(resnet ? StyleBackbone::kResNet50 : StyleBackbone::kVgg);
  std::vector<LayerWeight> content_layers = parse_layer_weights(
      args.get("content-layers").empty() ? d.content_layers : args.get("content-layers"),
      args.get("content-weights"), "--content-weights");
  std::vector<LayerWeight> style_layers = parse_layer_weights(
      args.get("style-layers").empty() ? d.style_layers : args.get("style-layers"),
      args.get("style-weights"), "--style-weights");
  std::vector<std::string> all;
  for (const auto& l : content_layers) all.push_back(l.layer);
  for (const auto& l : style_layers) all.push_back(l.layer);
  const int vgg_depth = args.get_int("vgg-depth");
  const bool vgg16 = vgg_depth == 16 || (vgg_depth == 0 && spec.find("vgg16") != std::string::npos);
  const std::string last_layer = deepest_layer(resnet  ? "resnet50"
                                               : vgg16 ? "vgg16"
                                                       : "vgg19",
                                               all);
  std::printf("loading %s up to %s\n", spec.c_str(), last_layer.c_str());
  Backbone b = load_backbone(spec, last_layer, content.shape().h, content.shape().w, vgg_depth);

  StyleTransferOptions o;
  o.content_layers = content_layers;
  o.style_layers = style_layers;
  o.content_weight = float(args.get_double("content-weight"));
  o.style_weight = args.get("style-weight").empty() ? d.style_weight
                                                    : float(args.get_double("style-weight"));
  o.tv_weight = float(args.get_double("tv-weight"));
  o.optimizer = opt == "lbfgs" ? StyleTransferOptions::Optimizer::kLbfgs
                               : StyleTransferOptions::Optimizer::kAdam;
  o.lr = float(args.get_double("lr"));
  o.smoothing = args.get("smooth") == "auto" ? d.smoothing : float(args.get_double("smooth"));
  o.mean = b.mean;
  o.std = b.std;
  o.reverse_channels = b.reverse_channels;
  o.init =
      init == "noise" ? StyleTransferOptions::Init::kNoise : StyleTransferOptions::Init::kContent;
  o.seed = uint64_t(args.get_int("seed"));
  if (o.smoothing < 0) throw Error("--smooth must be auto or a temperature >= 0");

  StyleTransfer st(b.model, content, style, o);
  char smoothing[32] = "off";
  if (o.smoothing > 0) std::snprintf(smoothing, sizeof smoothing, "T = %g", double(o.smoothing));
  std::printf("%s, content %dx%d, style %dx%d, %s, smoothing %s, %d iterations\n", b.kind.c_str(),
              content.shape().w, content.shape().h, style.shape().w, style.shape().h, opt.c_str(),
              smoothing, iters);

  const bool tty = isatty(fileno(stdout)) != 0;
  const int every = args.get_int("save-every");
  std::vector<StyleLosses> history;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) {
    history.push_back(st.step());
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const bool last = i + 1 == iters;
    if (tty || last || (i + 1) % std::max(1, iters / 10) == 0) {
      const int width = 30, filled = width * (i + 1) / iters;
      std::string bar(size_t(width), '.');
      for (int k = 0; k < filled; ++k) bar[size_t(k)] = '=';
      const StyleLosses& l = history.back();
      std::printf(
          "%s%d/%d [%s] %.1fs ETA %.0fs - content %.4g - style %.4g - tv %.4g - total %.4g%s",
          tty ? "\r" : "", i + 1, iters, bar.c_str(), secs, secs / (i + 1) * (iters - i - 1),
          l.content, l.style, l.tv, l.total, tty && !last ? "\033[K" : "\n");
      std::fflush(stdout);
    }
    if (every > 0 && (i + 1) % every == 0) save_png(out, st.image());
  }
  const StyleLosses final_losses = st.evaluate(st.image(), nullptr);
  history.push_back(final_losses);
  save_png(out, st.image());
  std::printf(
      "final: content %.4g - style %.4g - tv %.4g - total %.4g (%d evaluations)\nsaved %s\n",
      final_losses.content, final_losses.style, final_losses.tv, final_losses.total,
      st.evaluations(), out.c_str());

  if (!args.get("losses").empty()) {
    std::ofstream f(args.get("losses"));
    if (!f) throw FileError(args.get("losses"), "cannot be written");
    f << "iteration,content,style,tv,total\n";
    for (size_t i = 0; i < history.size(); ++i)
      f << i << ',' << history[i].content << ',' << history[i].style << ',' << history[i].tv << ','
        << history[i].total << '\n';
  }
  if (!args.get("plot").empty()) {
    Plot p{.title = "Style transfer losses (" + b.kind + ", " + opt + ")",
           .x_label = "iteration",
           .y_label = "weighted loss",
           .log_y = true,
           .series = {}};
    const char* names[] = {"content", "style", "tv", "total"};
    for (int k = 0; k < 4; ++k) {
      PlotSeries s{names[k], {}, {}};
      for (size_t i = 0; i < history.size(); ++i) {
        const StyleLosses& l = history[i];
        s.x.push_back(double(i));
        s.y.push_back(k == 0 ? l.content : k == 1 ? l.style : k == 2 ? l.tv : l.total);
      }
      p.series.push_back(s);
    }
    save_plot_svg(args.get("plot"), p);
  }
  return 0;
}

}  // namespace cnn::cli
