// "Transfer learning": the course's two ways of reusing a trained network,
// each against training from scratch on the same few images, with both
// test-accuracy curves drawn live, one point per epoch (transfer_job.h):
//  (a) the playground's MNIST model (or one pretrained here in seconds)
//      fine-tuned on N Fashion-MNIST images, chosen bricks frozen and the
//      pretrained ones at a lower rate;
//  (b) the embedded ResNet50's features (app/backbone.h) + a dense
//      classifier, on the user's own classes of images or on CIFAR-10 from
//      the Data panel.
// The jobs run on their own worker threads on the desktop and in time slices
// of the frame on the page (a second thread there would outgrow the pthreads
// build's pool); the panel holds a job's lock while it reads or changes it.
#include "app/transfer_panel.h"

#include <dirent.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <set>

#include "app/app.h"
#include "app/panels.h"
#include "core/error.h"
#include "data/file.h"
#include "lab/image_classes.h"
#include "lab/transfer_job.h"
#include "model/zoo.h"
#include "platform/platform.h"
#include "style/image.h"

namespace cnn::app {
using lab::BackboneLoader, lab::DataLoader, lab::ImageClasses, lab::TransferJob, lab::FeatureSetup,
    lab::FinetuneSetup, lab::LayerInfo;

namespace {

constexpr int kTestImages = 1000;  // Fashion-MNIST test images behind each point
constexpr int kImageSize = 64;     // demo (b): images (and the backbone's input) are 64x64

struct State {
  State(TransferJob& finetune, TransferJob& features) : finetune(finetune), features(features) {}
  bool open_at_start = false, run_demo = false, demo_started = false;
  bool workers = false;
  bool collapsed = true, expand = false;  // the window (see draw_transfer_panel)
  TransferJob &finetune, &features;       // the playground's (set_transfer_jobs)
  // (a)
  DataLoader fashion, mnist;  // our own loads when the Data panel has other data
  bool run_when_loaded = false;
  int n = 200, epochs = 3;
  float lr = 0.002f, pretrained_lr = 0.3f;
  std::set<std::string> frozen = {"conv2d_1"};
  std::string finetune_message;
  // (b)
  ImageClasses classes{kImageSize};
  char class_name[64] = "";
  char path[512] = "";
  int source = 0;  // 0: my images, 1: CIFAR-10 from the Data panel
  int cifar_train = 200, cifar_test = 100, feature_epochs = 20;
  bool run_features_when_ready = false;
  std::string features_message;
};

// The first call gives the playground's jobs (set_transfer_jobs).
State& state(TransferJob* finetune = nullptr, TransferJob* features = nullptr) {
  static State s(*finetune, *features);
  return s;
}

const char* phase_name(TransferJob::Phase p) {
  switch (p) {
    case TransferJob::Phase::kIdle:
      return "idle";
    case TransferJob::Phase::kPreparing:
      return "preparing";
    case TransferJob::Phase::kTraining:
      return "training";
    case TransferJob::Phase::kDone:
      return "done";
    case TransferJob::Phase::kFailed:
      return "failed";
  }
  return "?";
}

// Both curves in one frame, the transfer one blue, from scratch orange, the
// latest accuracies in the overlay.
void accuracy_plot(const char* id, const TransferJob& job) {
  const std::vector<float>& a = job.curve(0).accuracy;
  const std::vector<float>& b = job.curve(1).accuracy;
  if (a.empty() && b.empty()) return;
  char overlay[160] = "";
  if (!a.empty() || !b.empty())
    std::snprintf(overlay, sizeof overlay, "%s %.3f   from scratch %.3f",
                  job.curve(0).label.substr(0, job.curve(0).label.find(" (")).c_str(),
                  a.empty() ? 0. : double(a.back()), b.empty() ? 0. : double(b.back()));
  const ImVec2 size(ImGui::GetContentRegionAvail().x, 110);
  const ImVec2 at = ImGui::GetCursorPos();
  const int points = std::max(2, job.epochs() + 1);  // the x axis: epochs 0..E
  std::vector<float> pa(a), pb(b);
  ImGui::PushStyleColor(ImGuiCol_PlotLines, ImVec4(0.4f, 0.7f, 1.f, 1.f));
  ImGui::PlotLines((std::string("##a ") + id).c_str(), pa.data(), int(pa.size()), 0, overlay, 0.f,
                   1.f, size);
  ImGui::PopStyleColor();
  ImGui::SetCursorPos(at);
  ImGui::PushStyleColor(ImGuiCol_PlotLines, ImVec4(1.f, 0.6f, 0.3f, 1.f));
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0, 0, 0, 0));
  ImGui::PlotLines((std::string("##b ") + id).c_str(), pb.data(), int(pb.size()), 0, nullptr, 0.f,
                   1.f, size);
  ImGui::PopStyleColor(2);
  // PlotLines stretches what it has over the width; list the points too.
  ImGui::TextColored(ImVec4(0.4f, 0.7f, 1.f, 1.f), "%s", job.curve(0).label.c_str());
  ImGui::SameLine();
  ImGui::TextColored(ImVec4(1.f, 0.6f, 0.3f, 1.f), "   %s", job.curve(1).label.c_str());
  if (ImGui::BeginTable((std::string("##table ") + id).c_str(), points + 1,
                        ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("epoch");
    for (int e = 0; e < points; ++e) {
      ImGui::TableNextColumn();
      ImGui::Text("%d", e);
    }
    for (int k = 0; k < 2; ++k) {
      const std::vector<float>& v = k == 0 ? a : b;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(k == 0 ? "transfer" : "scratch");
      for (int e = 0; e < points; ++e) {
        ImGui::TableNextColumn();
        if (e < int(v.size())) ImGui::Text("%.3f", double(v[size_t(e)]));
      }
    }
    ImGui::EndTable();
  }
}

void job_status(const TransferJob& job, const std::string& message) {
  if (job.running()) {
    ImGui::ProgressBar(job.progress(), ImVec2(-1, 0));
    ImGui::TextWrapped("%s", job.status().c_str());
  } else if (job.phase() == TransferJob::Phase::kFailed) {
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", job.error().c_str());
  }
  if (!message.empty()) ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%s", message.c_str());
}

// --- (a) ----------------------------------------------------------------------

// The playground's model takes MNIST digits and has been trained.
bool playground_model_trained(App& app) {
  return app.loader.name() == "mnist" && app.session.model() && app.session.batches_done() > 0;
}

// The architecture to fine-tune: the playground's (for 28x28 digits) or LeNet.
Model fresh_architecture(App& app) {
  if (Model* m = app.session.model(); m && m->input_shape() == Shape{1, 1, 28, 28})
    return Model::from_architecture(m->architecture());
  return make_preset("lenet", {1, 1, 28, 28}, 10);
}

std::vector<std::string> brick_names(App& app) {
  std::vector<std::string> names;
  if (app.session.model() && app.session.model()->input_shape() == Shape{1, 1, 28, 28}) {
    for (const LayerInfo& l : app.session.layer_info())
      if (l.params > 0) names.push_back(l.name);
  } else {
    Model m = make_preset("lenet", {1, 1, 28, 28}, 10);
    m.build();
    for (int i = 0; i < m.num_nodes(); ++i)
      if (!m.brick(i).params().empty()) names.push_back(m.brick(i).name);
  }
  if (!names.empty()) names.pop_back();  // the head is replaced and always trains
  return names;
}

// Loads what demo (a) needs that the Data panel does not hold; true when all is there.
bool finetune_data_ready(App& app, State& s) {
  if (s.fashion.state() == DataLoader::State::kIdle) s.fashion.start("fashion-mnist");
  const bool need_mnist =
      !playground_model_trained(app) && !(app.loader.name() == "mnist" && app.train.size() > 0);
  if (need_mnist && s.mnist.state() == DataLoader::State::kIdle) s.mnist.start("mnist");
  for (DataLoader* l : {&s.fashion, &s.mnist})
    if (l->state() == DataLoader::State::kFailed) {
      s.finetune_message = l->name() + ": " + l->error();
      s.run_when_loaded = false;
      return false;
    }
  return s.fashion.state() == DataLoader::State::kReady &&
         (!need_mnist || s.mnist.state() == DataLoader::State::kReady);
}

void start_finetune(App& app, State& s) {
  s.finetune_message.clear();
  FinetuneSetup setup;
  setup.train_images = s.n;
  setup.test_images = kTestImages;
  setup.epochs = s.epochs;
  setup.lr = s.lr;
  setup.pretrained_lr = s.pretrained_lr;
  setup.freeze.assign(s.frozen.begin(), s.frozen.end());
  const std::vector<std::string> names = brick_names(app);
  setup.freeze.erase(std::remove_if(setup.freeze.begin(), setup.freeze.end(),
                                    [&](const std::string& f) {
                                      return std::find(names.begin(), names.end(), f) ==
                                             names.end();
                                    }),
                     setup.freeze.end());
  try {
    Preprocessing prep;
    Model pretrained({1, 1, 1, 1});
    Dataset mnist_train;
    const Dataset* source = nullptr;
    if (playground_model_trained(app)) {
      // The playground's weights (a copy; its head is replaced anyway).
      app.session.wait_unit();
      pretrained = replace_head(*app.session.model(), 10, setup.seed);
      prep = app.preprocessing;
    } else {
      pretrained = fresh_architecture(app);
      pretrained.build(setup.seed);
      if (app.loader.name() == "mnist" && app.train.size() > 0) {
        source = &app.train;
        prep = app.preprocessing;
      } else {
        mnist_train = s.mnist.train.slice(0, std::min(setup.pretrain_images, s.mnist.train.size()));
        mnist_train.name = "mnist";
        prep = Preprocessing::fit(app.preprocessing.mode, mnist_train);
        prep.apply(mnist_train.x);
        source = &mnist_train;
      }
    }
    Dataset train = s.fashion.train.slice(0, std::min(s.n, s.fashion.train.size()));
    Dataset test = s.fashion.test.slice(0, std::min(kTestImages, s.fashion.test.size()));
    prep.apply(train.x);
    prep.apply(test.x);
    std::lock_guard<TransferJob> lock(s.finetune);
    s.finetune.start_finetune(std::move(pretrained), source, train, test, setup);
  } catch (const Error& e) {
    s.finetune_message = e.what();
  }
}

void draw_finetune(App& app, State& s) {
  ImGui::TextWrapped(
      "A network trained on MNIST digits, fine-tuned on a few Fashion-MNIST images, against the "
      "same network trained from scratch on the same images.");
  if (playground_model_trained(app))
    ImGui::TextWrapped("Starts from the playground's trained MNIST model (%ld batches).",
                       app.session.batches_done());
  else
    ImGui::TextWrapped(
        "No trained MNIST model in the playground: pretrains %s on 5000 MNIST digits first.",
        app.session.model() && app.session.model()->input_shape() == Shape{1, 1, 28, 28}
            ? "its architecture"
            : "LeNet");
  std::lock_guard<TransferJob> lock(s.finetune);
  const bool busy = s.finetune.running() || s.run_when_loaded;
  ImGui::BeginDisabled(busy);
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("Fashion-MNIST images (N)", &s.n, 50, 500);
  s.n = std::clamp(s.n, 10, 60000);
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("epochs", &s.epochs);
  s.epochs = std::clamp(s.epochs, 1, 50);
  ImGui::SetNextItemWidth(120);
  ImGui::InputFloat("learning rate", &s.lr, 0, 0, "%.4f");
  s.lr = std::clamp(s.lr, 1e-5f, 1.f);
  ImGui::SetNextItemWidth(120);
  ImGui::SliderFloat("x rate for pretrained bricks", &s.pretrained_lr, 0.f, 1.f, "%.2f");
  ImGui::TextUnformatted("freeze:");
  for (const std::string& name : brick_names(app)) {
    ImGui::SameLine();
    bool on = s.frozen.count(name) > 0;
    if (ImGui::Checkbox(name.c_str(), &on)) {
      if (on)
        s.frozen.insert(name);
      else
        s.frozen.erase(name);
    }
  }
  ImGui::EndDisabled();
  if (app.widgets.button("Run fine-tuning", !busy)) {
    s.run_when_loaded = true;
    s.finetune_message.clear();
  }
  ImGui::SameLine();
  if (app.widgets.button("Stop fine-tuning", busy)) {
    s.finetune.cancel();
    s.run_when_loaded = false;
  }
  if (s.run_when_loaded && !s.finetune.running()) {
    if (s.fashion.state() == DataLoader::State::kLoading ||
        s.mnist.state() == DataLoader::State::kLoading) {
      ImGui::ProgressBar(
          std::min(s.fashion.progress(),
                   s.mnist.state() == DataLoader::State::kLoading ? s.mnist.progress() : 1.f),
          ImVec2(-1, 0), "loading data");
    }
  }
  job_status(s.finetune, s.finetune_message);
  accuracy_plot("finetune", s.finetune);
}

// --- (b) ----------------------------------------------------------------------

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
  ImGui::SameLine();
  ImGui::BeginDisabled(!cifar);
  ImGui::RadioButton(cifar ? "CIFAR-10 (Data panel)" : "CIFAR-10 (load it in the Data panel)",
                     &s.source, 1);
  ImGui::EndDisabled();
  if (!cifar && s.source == 1) s.source = 0;
  if (s.source == 0) {
    ImGui::SetNextItemWidth(160);
    ImGui::InputTextWithHint("##class name", "class name", s.class_name, sizeof s.class_name);
    app.widgets.track("class name");
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
    if (!platform::has_file_picker()) {
      ImGui::SetNextItemWidth(-1);
      ImGui::InputTextWithHint("##image path",
                               "an image file or a folder of images, for Add images", s.path,
                               sizeof s.path);
      // A folder with one sub-folder of images per class (as `cnn features --images`).
      if (app.widgets.button("Add a class per sub-folder", s.path[0] != '\0'))
        add_class_folders(s, s.path);
    }
    int remove = -1;
    for (int k = 0; k < int(s.classes.classes().size()); ++k) {
      const ImageClasses::Class& c = s.classes.classes()[size_t(k)];
      ImGui::PushID(k);
      ImGui::Text("%-16s %3d images", c.name.c_str(), int(c.images.size()));
      ImGui::SameLine();
      const bool add = ImGui::Button("Add images");
      app.widgets.track("Add images " + c.name);
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
      ImGui::PopID();
    }
    if (remove >= 0) s.classes.remove_class(remove);
  } else {
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("training images", &s.cifar_train, 50);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("test images", &s.cifar_test, 50);
    s.cifar_train = std::clamp(s.cifar_train, 10, 50000);
    s.cifar_test = std::clamp(s.cifar_test, 10, 10000);
  }
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("epochs##features", &s.feature_epochs);
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
  ImGui::SameLine();
  if (app.widgets.button("Stop features", busy)) {
    s.features.cancel();
    s.run_features_when_ready = false;
  }
  if (s.run_features_when_ready) {  // draw_transfer_panel starts the job once it is loaded
    ImGui::ProgressBar(app.backbone.progress(), ImVec2(-1, 0), "loading ResNet50");
    ImGui::TextWrapped("%s", app.backbone.message().c_str());
  }
  job_status(s.features, s.features_message);
  accuracy_plot("features", s.features);
}

}  // namespace

void set_transfer_jobs(TransferJob& finetune, TransferJob& features) {
  state(&finetune, &features);
}

void open_transfer_panel_at_start(bool run_demo) {
  state().open_at_start = true;
  state().run_demo = run_demo;
}

bool transfer_demo_done() {
  State& s = state();
  std::lock_guard<TransferJob> lock(s.finetune);
  return s.demo_started && !s.run_when_loaded && !s.finetune.running();
}

void draw_transfer_panel(App& app) {
  State& s = state();
  if (!s.workers && std::string(platform::name()) == "desktop" && platform::can_start_threads()) {
    s.finetune.start_worker();
    s.features.start_worker();
    s.workers = true;
  }
  s.fashion.update();
  s.mnist.update();
  if (s.run_demo && !s.demo_started) {
    s.run_when_loaded = s.demo_started = true;
  }
  if (s.run_when_loaded && finetune_data_ready(app, s)) {
    s.run_when_loaded = false;
    start_finetune(app, s);
  }
  if (s.run_features_when_ready) {  // waits for the embedded ResNet50 (app/backbone.h)
    if (app.backbone.state() == BackboneLoader::State::kReady) {
      s.run_features_when_ready = false;
      start_features(app, s);
    } else if (app.backbone.state() == BackboneLoader::State::kFailed) {
      s.run_features_when_ready = false;
      s.features_message = app.backbone.message();
    }
  }
  for (TransferJob* job : {&s.finetune, &s.features}) {
    std::lock_guard<TransferJob> lock(*job);
    job->update(app.options.slice_ms / 1000.0);  // no-op with a worker
  }

  // Collapsed at the bottom edge at first, out of the other panels' way;
  // opened (at start, or by a click on its title) it moves to the top left
  // at full size.
  if (s.open_at_start) {
    s.open_at_start = false;
    s.expand = true;
    ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
    ImGui::SetNextWindowFocus();
  }
  if (s.expand) {
    s.expand = false;
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(720, 760), ImGuiCond_Always);
  } else {
    place_window(460, ImGui::GetIO().DisplaySize.y - 26, 420, 20);
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
  }
  ImGui::SetNextWindowBgAlpha(1.f);  // the curves read better without the panels behind
  const bool open = ImGui::Begin("Transfer learning");
  if (s.collapsed && !ImGui::IsWindowCollapsed()) s.expand = true;  // just opened
  s.collapsed = ImGui::IsWindowCollapsed();
  if (!open) {
    ImGui::End();
    return;
  }
  if (ImGui::CollapsingHeader("(a) MNIST -> Fashion-MNIST: fine-tuning",
                              ImGuiTreeNodeFlags_DefaultOpen))
    draw_finetune(app, s);
  if (ImGui::CollapsingHeader("(b) ResNet50 features + classifier", ImGuiTreeNodeFlags_DefaultOpen))
    draw_features(app, s);
  ImGui::End();
}

nlohmann::json transfer_panel_state() {
  using nlohmann::json;
  State& s = state();
  auto job_json = [](TransferJob& job, const std::string& message) {
    std::lock_guard<TransferJob> lock(job);
    json curves = json::array();
    for (int i = 0; i < 2; ++i)
      curves.push_back({{"label", job.curve(i).label}, {"accuracy", job.curve(i).accuracy}});
    return json{{"phase", phase_name(job.phase())},
                {"status", job.status()},
                {"error", job.error()},
                {"message", message},
                {"epochs", job.epochs()},
                {"progress", job.progress()},
                {"curves", curves}};
  };
  json j;
  j["finetune"] = job_json(s.finetune, s.finetune_message);
  j["finetune"]["waiting_for_data"] = s.run_when_loaded;
  j["features"] = job_json(s.features, s.features_message);
  json classes = json::array();
  for (const ImageClasses::Class& c : s.classes.classes())
    classes.push_back({{"name", c.name}, {"images", c.images.size()}});
  j["classes"] = classes;
  return j;
}

}  // namespace cnn::app
