// cnn features: transfer learning by feature extraction, demo (b). A
// pretrained network (ResNet50 by default) turns every image into the
// globally pooled activations of one layer; a Dense classifier is trained on
// those features and compared with a small CNN trained from scratch on the
// same images. Images: folders, one per class (--images DIR), or CIFAR-10
// files (--dataset cifar10 --data PATH). Writes the features as safetensors
// and the two test-accuracy curves as CSV and an SVG plot.
#include <dirent.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "cli/svg_plot.h"
#include "core/error.h"
#include "core/rng.h"
#include "data/datasets.h"
#include "core/file.h"
#include "data/safetensors.h"
#include "model/zoo.h"
#include "pretrained/features.h"
#include "style/image.h"

namespace cnn::cli {

namespace {

Args features_args() {
  Args a("cnn features",
         "Classify images with features of a pretrained network, against a CNN trained from "
         "scratch.");
  a.option("images", "", "a folder with one sub-folder of images per class")
      .option("dataset", "", "or a named data set (cifar10, with --data)")
      .option("data", "", "where the named data set is")
      .option("backbone", "resnet50", "resnet50 or a VGG16/VGG19 .safetensors file")
      .option("layer", "conv3_block4_out", "the layer whose pooled activations are the features")
      .option("size", "64", "images are resized (or cropped, see --crops) to size x size")
      .option("crops", "0",
              "take N random crops per image instead of resizing it: training crops from the "
              "left 60% of each image, test crops from the right 40% (for a few large images, "
              "e.g. textures)")
      .option("test-fraction", "0.3", "share of each class's images held out for testing")
      .option("train-limit", "1000", "named data set: first N training images")
      .option("test-limit", "500", "named data set: first N test images")
      .option("epochs", "20", "epochs for the classifier and the from-scratch CNN")
      .option("batch-size", "16", "samples per batch")
      .option("lr", "0.002", "Adam learning rate")
      .option("scratch-model", "convnetjs-cifar", "preset trained from scratch as the baseline")
      .option("seed", "42", "random seed")
      .option("out", "", "write the features (and labels) to this .safetensors file")
      .option("csv", "", "write the curves to this CSV file")
      .option("plot", "", "write the plot to this SVG file");
  return a;
}

std::vector<std::string> list_dir(const std::string& dir, bool dirs) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) throw FileError(dir, "cannot be read as a folder");
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.empty() || name[0] == '.') continue;
    const std::string path = dir + "/" + name;
    if (dirs ? directory_exists(path) : file_exists(path)) out.push_back(name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void append(std::vector<float>& pixels, const Tensor& img) {
  pixels.insert(pixels.end(), img.data(), img.data() + img.size());
}

Dataset make_dataset(const std::string& name, const std::vector<float>& pixels,
                     const std::vector<int>& labels, int size,
                     const std::vector<std::string>& classes) {
  Dataset d;
  d.name = name;
  d.x = Tensor({int(labels.size()), 3, size, size});
  std::copy(pixels.begin(), pixels.end(), d.x.data());
  d.y = Tensor({int(labels.size()), 1, 1, 1});
  for (size_t i = 0; i < labels.size(); ++i) d.y[i] = float(labels[i]);
  d.num_classes = int(classes.size());
  d.class_names = classes;
  return d;
}

// Images in [0, 1] from class folders: resized whole, or cropped.
void load_folders(const std::string& root, int size, int crops, double test_fraction, Rng& rng,
                  Dataset& train, Dataset& test) {
  const std::vector<std::string> classes = list_dir(root, true);
  if (classes.size() < 2)
    throw FileError(root, "needs at least two sub-folders of images, one per class");
  std::vector<float> px[2];
  std::vector<int> lab[2];
  for (size_t c = 0; c < classes.size(); ++c) {
    const std::string dir = root + "/" + classes[c];
    const std::vector<std::string> files = list_dir(dir, false);
    if (files.empty()) throw FileError(dir, "has no images");
    const int n_test = crops > 0 ? 0 : int(std::lround(double(files.size()) * test_fraction));
    if (crops == 0 && (n_test < 1 || n_test >= int(files.size())))
      throw FileError(dir, "has " + std::to_string(files.size()) +
                               " images: too few to hold out a test share (use --crops)");
    for (size_t f = 0; f < files.size(); ++f) {
      const Tensor img = load_image(dir + "/" + files[f]);
      if (crops == 0) {
        Tensor small;
        resize_bilinear(img, size, size, small);
        const int split = int(f) >= int(files.size()) - n_test ? 1 : 0;
        append(px[split], small);
        lab[split].push_back(int(c));
        continue;
      }
      const int h = img.shape().h, w = img.shape().w;
      const int w_train = int(w * 0.6);
      if (h < size || w_train < size || w - w_train < size)
        throw FileError(dir + "/" + files[f], "is too small for " + std::to_string(size) +
                                                  " px crops from both its parts");
      for (int split = 0; split < 2; ++split)
        for (int k = 0; k < crops; ++k) {
          const int x0 = split == 0 ? int(rng.below(uint32_t(w_train - size + 1)))
                                    : w_train + int(rng.below(uint32_t(w - w_train - size + 1)));
          const int y0 = int(rng.below(uint32_t(h - size + 1)));
          for (int ch = 0; ch < 3; ++ch)
            for (int y = 0; y < size; ++y)
              for (int x = 0; x < size; ++x) px[split].push_back(img.at(0, ch, y0 + y, x0 + x));
          lab[split].push_back(int(c));
        }
    }
  }
  train = make_dataset("images/train", px[0], lab[0], size, classes);
  test = make_dataset("images/test", px[1], lab[1], size, classes);
}

std::vector<double> fit_curve(Model& m, const Tensor& x, const Tensor& y, const Tensor& tx,
                              const Tensor& ty, int epochs, int batch_size, const char* label) {
  std::printf("-- %s\n", label);
  std::vector<double> acc = {m.evaluate(tx, ty).get("accuracy")};
  FitOptions fit;
  fit.epochs = epochs;
  fit.batch_size = batch_size;
  fit.validation_x = &tx;
  fit.validation_y = {&ty};
  ProgressBar bar(stdout);
  fit.on_epoch_end = [&](const TrainProgress& p) { bar.on_epoch(p); };
  History h = m.fit(x, y, fit);
  for (double a : h["val_accuracy"]) acc.push_back(a);
  return acc;
}

}  // namespace

int features_command(const Argv& argv) {
  Args args = features_args();
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return 0;
  }
  const int size = args.get_int("size"), crops = args.get_int("crops");
  const int epochs = args.get_int("epochs"), batch_size = args.get_int("batch-size");
  const uint64_t seed = uint64_t(args.get_int("seed"));
  if (size < 32 || size > 1024) throw Error("--size must be between 32 and 1024");
  if (crops < 0) throw Error("--crops must not be negative");
  if (epochs < 1 || batch_size < 1) throw Error("--epochs and --batch-size must be at least 1");
  const double test_fraction = args.get_double("test-fraction");
  if (!(test_fraction > 0 && test_fraction < 1)) throw Error("--test-fraction must be in (0, 1)");

  Dataset train, test;
  Rng rng(seed);
  if (!args.get("images").empty()) {
    load_folders(args.get("images"), size, crops, test_fraction, rng, train, test);
  } else if (!args.get("dataset").empty()) {
    train = load_dataset(args.get("dataset"), args.get("data"), true);
    test = load_dataset(args.get("dataset"), args.get("data"), false);
    if (train.x.shape().c != 3) throw Error("--dataset must have colour images (cifar10)");
    train = train.slice(0, std::min(train.size(), std::max(1, args.get_int("train-limit"))));
    test = test.slice(0, std::min(test.size(), std::max(1, args.get_int("test-limit"))));
    for (Dataset* d : {&train, &test}) {  // 0..255 -> [0, 1] at --size
      Tensor x01 = d->x;
      for (size_t i = 0; i < x01.size(); ++i) x01[i] /= 255.f;
      resize_bilinear(x01, size, size, d->x);
    }
  } else {
    throw Error("give --images DIR (one sub-folder per class) or --dataset cifar10 --data PATH");
  }
  std::printf("%d training and %d test images of %dx%d, %d classes\n", train.size(), test.size(),
              size, size, train.num_classes);

  const std::string layer = args.get("layer");
  const std::string spec = args.get("backbone");
  const bool resnet = spec == "resnet50" || spec.find("resnet") != std::string::npos;
  Backbone b =
      load_backbone(spec, deepest_layer(resnet ? "resnet50" : "vgg19", {layer}), size, size);
  Tensor f_train = extract_features(b, train.x, layer), f_test = extract_features(b, test.x, layer);
  std::printf("%s features at %s: %d values per image\n", b.kind.c_str(), layer.c_str(),
              f_train.shape().c);
  if (!args.get("out").empty()) {
    SafetensorsFile file;
    file.metadata = {{"backbone", b.kind}, {"layer", layer}};
    auto named = [](const std::string& name, const Tensor& t) {
      return NamedTensor{
          name, {t.shape().n, t.shape().c}, std::vector<float>(t.data(), t.data() + t.size())};
    };
    file.tensors = {named("train.features", f_train), named("train.labels", train.y),
                    named("test.features", f_test), named("test.labels", test.y)};
    write_safetensors(args.get("out"), file);
    std::printf("saved %s\n", args.get("out").c_str());
  }
  standardise_features(f_train, f_test);

  const nlohmann::json optimizer = {{"type", "adam"}, {"lr", args.get_double("lr")}};
  Model head({1, f_train.shape().c, 1, 1});
  head.add(make_brick({{"type", "dense"}, {"units", train.num_classes}}));
  head.build(seed);
  head.compile({.optimizer = optimizer});
  const std::vector<double> a_feat = fit_curve(head, f_train, train.y, f_test, test.y, epochs,
                                               batch_size, "classifier on the features");
  Model scratch =
      make_preset(args.get("scratch-model"), train.x.shape().with_batch(1), train.num_classes);
  scratch.build(seed);
  scratch.compile({.optimizer = optimizer});
  const std::vector<double> a_scratch =
      fit_curve(scratch, train.x, train.y, test.x, test.y, epochs, batch_size, "CNN from scratch");

  std::printf("\nepoch  from scratch  %s features   (test accuracy, %d images)\n", b.kind.c_str(),
              test.size());
  for (size_t e = 0; e < a_feat.size(); ++e)
    std::printf("%5zu  %12.4f  %10.4f\n", e, a_scratch[e], a_feat[e]);
  if (!args.get("csv").empty()) {
    std::ofstream f(args.get("csv"));
    if (!f) throw FileError(args.get("csv"), "cannot be written");
    f << "epoch,scratch_accuracy,features_accuracy\n";
    for (size_t e = 0; e < a_feat.size(); ++e)
      f << e << ',' << a_scratch[e] << ',' << a_feat[e] << '\n';
  }
  if (!args.get("plot").empty()) {
    Plot p{.title = b.kind + " " + layer + " features + dense classifier vs CNN from scratch (" +
                    std::to_string(train.size()) + " training images)",
           .x_label = "epoch",
           .y_label = "test accuracy",
           .log_y = false,
           .series = {{b.kind + " features + dense", {}, a_feat},
                      {args.get("scratch-model") + " from scratch", {}, a_scratch}}};
    for (PlotSeries& s : p.series)
      for (size_t e = 0; e < s.y.size(); ++e) s.x.push_back(double(e));
    save_plot_svg(args.get("plot"), p);
  }
  return 0;
}

}  // namespace cnn::cli
