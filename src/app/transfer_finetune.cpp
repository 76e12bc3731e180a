// "Transfer learning", demo (a): the playground's MNIST model (or one
// pretrained here in seconds) fine-tuned on N Fashion-MNIST images, chosen
// bricks frozen and the pretrained ones at a lower rate, against the same
// network trained from scratch on the same images.
#include <imgui.h>

#include <algorithm>
#include <mutex>

#include "app/app.h"
#include "app/panel_ui.h"
#include "app/transfer_state.h"
#include "core/error.h"
#include "model/zoo.h"

namespace cnn::app::transfer_ui {

namespace {

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

}  // namespace

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
    s.finetune_measured_on = std::to_string(test.size()) + " Fashion-MNIST test images";
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
  ImGui::SetNextItemWidth(em(9));
  ImGui::InputInt("Fashion-MNIST images (N)", &s.n, 50, 500);
  tooltip("How many Fashion-MNIST training images both networks learn from.");
  s.n = std::clamp(s.n, 10, 60000);
  ImGui::SetNextItemWidth(em(9));
  ImGui::InputInt("epochs", &s.epochs);
  tooltip("How many passes over the N images each network trains.");
  s.epochs = std::clamp(s.epochs, 1, 50);
  ImGui::SetNextItemWidth(em(9));
  ImGui::InputFloat("learning rate", &s.lr, 0, 0, "%.4f");
  tooltip("Adam's step for the new head and for the network trained from scratch.");
  s.lr = std::clamp(s.lr, 1e-5f, 1.f);
  ImGui::SetNextItemWidth(em(9));
  ImGui::SliderFloat("x rate for pretrained bricks", &s.pretrained_lr, 0.f, 1.f, "%.2f");
  tooltip("The pretrained bricks learn at this fraction of the learning rate (0: not at all).");
  ImGui::TextUnformatted("freeze:");
  tooltip("Ticked bricks keep their pretrained weights; the new head always trains.");
  for (const std::string& name : brick_names(app)) {
    ImGui::SameLine();
    bool on = s.frozen.count(name) > 0;
    if (ImGui::Checkbox(name.c_str(), &on)) {
      if (on)
        s.frozen.insert(name);
      else
        s.frozen.erase(name);
    }
    tooltip("Frozen: this pretrained brick keeps its MNIST weights while fine-tuning.");
  }
  ImGui::EndDisabled();
  if (app.widgets.button("Run fine-tuning", !busy)) {
    s.run_when_loaded = true;
    s.finetune_message.clear();
  }
  tooltip(
      "Fine-tune the MNIST network on the Fashion-MNIST images and train the same network "
      "from scratch, side by side.");
  ImGui::SameLine();
  if (app.widgets.button("Stop fine-tuning", busy)) {
    s.finetune.cancel();
    s.run_when_loaded = false;
  }
  tooltip("Stop both trainings; the curves so far stay.");
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
  accuracy_plot("##finetune-accuracy", s.finetune, s.finetune_measured_on);
}

}  // namespace cnn::app::transfer_ui
