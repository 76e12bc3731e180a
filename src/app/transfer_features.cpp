// "Transfer learning", demo (b): the embedded ResNet50's features (stage
// 3, pooled) with a dense classifier, on the user's own classes of images
// or on CIFAR-10 from the Data panel, against a small CNN trained from
// scratch on the same images.
#include <dirent.h>
#include <imgui.h>

#include <algorithm>
#include <mutex>

#include "app/app.h"
#include "app/panel_ui.h"
#include "app/transfer_state.h"
#include "core/error.h"
#include "core/file.h"
#include "platform/platform.h"
#include "style/image.h"

namespace cnn::app::transfer_ui {

namespace {

// Adds a file, or every file of a folder (desktop), to class k.
void add_path(State& s, int k, const std::string& path) {
  std::vector<std::string> files;
  if (directory_exists(path)) {
    if (DIR* d = opendir(path.c_str())) {
      while (dirent* e = readdir(d))
        if (e->d_name[0] != '.' && file_exists(path + "/" + e->d_name))
          files.push_back(path + "/" + e->d_name);
      closedir(d);
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) s.features_message = path + ": no files in this folder";
  } else {
    files.push_back(path);
  }
  for (const std::string& f : files) {
    platform::LoadCallbacks cb;
    cb.done = [&s, k, f](std::vector<uint8_t> bytes) {
      try {
        s.classes.add_image(k, bytes, f.empty() ? "the picked file" : f);
      } catch (const Error& e) {
        s.features_message = e.what();
      }
    };
    cb.failed = [&s](const std::string& message) { s.features_message = message; };
    platform::open_file(f, "image/*", std::move(cb));
  }
}

// Every sub-folder of `root` becomes a class (its name) with its files.
void add_class_folders(State& s, const std::string& root) {
  std::vector<std::string> dirs;
  if (DIR* d = opendir(root.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.' && directory_exists(root + "/" + e->d_name))
        dirs.push_back(e->d_name);
    closedir(d);
  }
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) {
    s.features_message = root + ": no sub-folders (one per class) in this folder";
    return;
  }
  s.features_message.clear();
  for (const std::string& name : dirs) {
    try {
      s.classes.add_class(name);
    } catch (const Error& e) {
      s.features_message = e.what();
      continue;
    }
    add_path(s, int(s.classes.classes().size()) - 1, root + "/" + name);
  }
}

// CIFAR-10 from the Data panel, back to RGB in [0, 1] at kImageSize.
Dataset cifar_images(App& app, const Dataset& d, int count) {
  Dataset out = d.slice(0, std::min(count, d.size()));
  app.preprocessing.unapply(out.x);
  for (size_t i = 0; i < out.x.size(); ++i) out.x[i] /= 255.f;
  Tensor resized;
  resize_bilinear(out.x, kImageSize, kImageSize, resized);
  out.x = std::move(resized);
  return out;
}

}  // namespace

void start_features(App& app, State& s) {
  s.features_message.clear();
  try {
    Dataset train, test;
    if (s.source == 1) {
      if (app.loader.name() != "cifar10" || app.train.size() == 0)
        throw Error("load CIFAR-10 in the Data panel first");
      train = cifar_images(app, app.train, s.cifar_train);
      test = cifar_images(app, app.test, s.cifar_test);
    } else {
      s.classes.split(0.3, train, test);
    }
    FeatureSetup setup;
    setup.epochs = s.feature_epochs;
    std::unique_ptr<Model> m = app.backbone.copy(kImageSize, kImageSize);
    std::lock_guard<TransferJob> lock(s.features);
    s.features.start_features(resnet50_backbone(std::move(*m)), train, test, setup);
    s.features_measured_on =
        std::to_string(test.size()) +
        (s.source == 1 ? " CIFAR-10 test images" : " of your images held out from training (30%)");
  } catch (const Error& e) {
    s.features_message = e.what();
  }
}

void draw_features(App& app, State& s) {
  ImGui::TextWrapped(
      "The embedded ResNet50's features (stage 3, pooled) with a dense classifier, against a "
      "small CNN trained from scratch on the same images.");
  std::lock_guard<TransferJob> lock(s.features);
  const bool busy = s.features.running() || s.run_features_when_ready;
  const bool cifar = app.loader.name() == "cifar10" && app.train.size() > 0;
  ImGui::BeginDisabled(busy);
  ImGui::RadioButton("my images", &s.source, 0);
  tooltip("Learn your own classes from images you add below.");
  ImGui::SameLine();
  ImGui::BeginDisabled(!cifar);
  ImGui::RadioButton(cifar ? "CIFAR-10 (Data panel)" : "CIFAR-10 (load it in the Data panel)",
                     &s.source, 1);
  tooltip("Learn the CIFAR-10 images loaded in the Data panel.");
  ImGui::EndDisabled();
  if (!cifar && s.source == 1) s.source = 0;
  if (s.source == 0) {
    ImGui::SetNextItemWidth(em(12));
    ImGui::InputTextWithHint("##class name", "class name", s.class_name, sizeof s.class_name);
    app.widgets.track("class name");
    tooltip("The name of a new class of images.");
    ImGui::SameLine();
    if (app.widgets.button("Add class")) {
      try {
        s.classes.add_class(s.class_name);
        s.class_name[0] = '\0';
        s.features_message.clear();
      } catch (const Error& e) {
        s.features_message = e.what();
      }
    }
    tooltip("Add a class with the name on the left; then add its images.");
    if (!platform::has_file_picker()) {
      ImGui::SetNextItemWidth(-1);
      ImGui::InputTextWithHint("##image path",
                               "an image file or a folder of images, for Add images", s.path,
                               sizeof s.path);
      tooltip("An image file, or a folder of images, on this computer.");
      // A folder with one sub-folder of images per class (as `cnn features --images`).
      if (app.widgets.button("Add a class per sub-folder", s.path[0] != '\0'))
        add_class_folders(s, s.path);
      tooltip("Each sub-folder of the folder above becomes a class, with its images.");
    }
    int remove = -1;
    for (int k = 0; k < int(s.classes.classes().size()); ++k) {
      const ImageClasses::Class& c = s.classes.classes()[size_t(k)];
      ImGui::PushID(k);
      ImGui::Text("%-16s %3d images", c.name.c_str(), int(c.images.size()));
      ImGui::SameLine();
      const bool add = ImGui::Button("Add images");
      app.widgets.track("Add images " + c.name);
      tooltip(
          "Add image files (or, on the desktop, the file or folder typed above) to this class.");
      if (add) {
        if (platform::has_file_picker())
          add_path(s, k, "");
        else if (s.path[0] == '\0')
          s.features_message = "type an image file or a folder of images above";
        else
          add_path(s, k, s.path);
      }
      ImGui::SameLine();
      if (ImGui::Button("Remove")) remove = k;
      tooltip("Remove this class and its images.");
      ImGui::PopID();
    }
    if (remove >= 0) s.classes.remove_class(remove);
  } else {
    ImGui::SetNextItemWidth(em(9));
    ImGui::InputInt("training images", &s.cifar_train, 50);
    tooltip("How many CIFAR-10 training images both models learn from.");
    ImGui::SetNextItemWidth(em(9));
    ImGui::InputInt("test images", &s.cifar_test, 50);
    tooltip("How many CIFAR-10 test images each accuracy point is measured on.");
    s.cifar_train = std::clamp(s.cifar_train, 10, 50000);
    s.cifar_test = std::clamp(s.cifar_test, 10, 10000);
  }
  ImGui::SetNextItemWidth(em(9));
  ImGui::InputInt("epochs##features", &s.feature_epochs);
  tooltip("How many passes over the training images each model trains.");
  s.feature_epochs = std::clamp(s.feature_epochs, 1, 200);
  ImGui::EndDisabled();
  if (app.widgets.button("Run features", !busy)) {
    s.features_message.clear();
    if (s.source == 0) {  // say what is missing before loading the backbone
      try {
        Dataset train, test;
        s.classes.split(0.3, train, test);
      } catch (const Error& e) {
        s.features_message = e.what();
      }
    }
    if (s.features_message.empty()) {
      s.run_features_when_ready = true;
      app.backbone.request();
    }
  }
  tooltip(
      "Train a classifier on the ResNet50's features and a small CNN from scratch, side by "
      "side.");
  ImGui::SameLine();
  if (app.widgets.button("Stop features", busy)) {
    s.features.cancel();
    s.run_features_when_ready = false;
  }
  tooltip("Stop both trainings; the curves so far stay.");
  if (s.run_features_when_ready) {  // draw_transfer_panel starts the job once it is loaded
    ImGui::ProgressBar(app.backbone.progress(), ImVec2(-1, 0), "loading ResNet50");
    ImGui::TextWrapped("%s", app.backbone.message().c_str());
  }
  job_status(s.features, s.features_message);
  accuracy_plot("##features-accuracy", s.features, s.features_measured_on);
}

}  // namespace cnn::app::transfer_ui
