// cnn bench WORKLOAD: the workloads of ../shared/anchors (PyTorch, TF.js,
// ConvNetJS), measured the same way, printed as one JSON line with the same
// fields, so the numbers sit side by side.
//   mnist-train / cifar-train   images/s, batch 64, SGD, softmax cross-entropy
//   mnist-infer                 images/s, batch 64
//   conv-fwd / conv-fwdbwd / conv-fwd-dx   GFLOP/s, 3x3 64->64 56x56 N8 pad 1
//   style                       s/iteration, VGG19 to conv5_1 on 3x256x256, gradient to the image
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "model/zoo.h"

namespace cnn::cli {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Timing {
  int iters;
  double secs, median;
};

// The anchors' loop: warm up (up to `warmup` iterations, stopping after 2 s),
// then iterate until >= min_time s and >= min_iters iterations, or until
// warm-up + timing exceeds max_time (then >= 1 iteration).
Timing timed_loop(const std::function<void()>& step, double min_time, double max_time, int warmup,
                  int min_iters = 3) {
  auto tw = Clock::now();
  for (int i = 0; i < warmup; ++i) {
    step();
    if (seconds_since(tw) > 2.0) break;
  }
  const double warm = seconds_since(tw);
  std::vector<double> times;
  auto t0 = Clock::now();
  for (;;) {
    auto t1 = Clock::now();
    step();
    times.push_back(seconds_since(t1));
    const double dt = seconds_since(t0);
    if ((dt >= min_time && int(times.size()) >= min_iters) || warm + dt >= max_time) {
      std::vector<double> sorted = times;
      std::sort(sorted.begin(), sorted.end());
      return {int(times.size()), dt, sorted[sorted.size() / 2]};
    }
  }
}

void fill_random(Tensor& t, Rng& rng, float scale = 1.f) {
  for (size_t i = 0; i < t.size(); ++i) t[i] = scale * rng.normal();
}

// Milliseconds per batch in each brick's forward and backward pass, and
// outside them (loss, optimiser step, copies), over `batches` more steps.
nlohmann::json profile_steps(Model& m, const std::function<void(int)>& step, int batches) {
  m.set_profiling(true);
  auto t0 = Clock::now();
  for (int i = 0; i < batches; ++i) step(i);
  const double total_ms = 1000 * seconds_since(t0) / batches;
  m.set_profiling(false);
  nlohmann::json bricks = nlohmann::json::array();
  double inside_ms = 0;
  for (int node = 0; node < m.num_nodes(); ++node) {
    const double f = 1000 * m.forward_seconds(node) / batches;
    const double b = 1000 * m.backward_seconds(node) / batches;
    inside_ms += f + b;
    bricks.push_back({{"brick", m.brick(node).name},
                      {"type", m.brick(node).type()},
                      {"forward_ms", f},
                      {"backward_ms", b}});
  }
  return {{"ms_per_batch", total_ms}, {"outside_bricks_ms", total_ms - inside_ms},
          {"bricks", bricks}};
}

nlohmann::json train_bench(const std::string& preset, Shape sample, double min_time,
                           double max_time, int warmup, bool profile) {
  const int batch = 64, nbatches = 8;
  Model m = make_preset(preset, sample, 10);
  m.build(0);
  m.compile({.loss = {"softmax_crossentropy"},
             .optimizer = {{"type", "sgd"}, {"lr", 0.01}},
             .metrics = {}});
  Rng rng(1);
  std::vector<Tensor> xs(nbatches, Tensor(sample.with_batch(batch))),
      ys(nbatches, Tensor({batch, 1, 1, 1}));
  for (int b = 0; b < nbatches; ++b) {
    fill_random(xs[b], rng);
    for (int i = 0; i < batch; ++i) ys[b][i] = float(rng.below(10));
  }
  int i = 0;
  Timing t = timed_loop(
      [&] {
        const Tensor* y = &ys[i % nbatches];
        m.train_batch(xs[i % nbatches], {y});
        ++i;
      },
      min_time, max_time, warmup);
  nlohmann::json out = {{"images_per_s", t.iters * batch / t.secs},
                        {"images_per_s_p50", batch / t.median},
                        {"iters", t.iters},
                        {"secs", t.secs},
                        {"batch", batch}};
  if (profile)
    out["profile"] = profile_steps(
        m, [&](int b) { m.train_batch(xs[b % nbatches], {&ys[b % nbatches]}); },
        std::max(8, t.iters / 2));
  return out;
}

nlohmann::json infer_bench(double min_time, double max_time, int warmup) {
  const int batch = 64, nbatches = 8;
  Model m = make_preset("mnist-small", {1, 1, 28, 28}, 10);
  m.build(0);
  Rng rng(1);
  std::vector<Tensor> xs(nbatches, Tensor({batch, 1, 28, 28}));
  for (auto& x : xs) fill_random(x, rng);
  int i = 0;
  Timing t = timed_loop([&] { m.forward(xs[i++ % nbatches]); }, min_time, max_time, warmup);
  return {{"images_per_s", t.iters * batch / t.secs},
          {"images_per_s_p50", batch / t.median},
          {"iters", t.iters},
          {"secs", t.secs},
          {"batch", batch}};
}

nlohmann::json conv_bench(const std::string& mode, double min_time, double max_time, int warmup) {
  kernels::ConvShape s{
      .n = 8, .c = 64, .h = 56, .w = 56, .k = 64, .kh = 3, .kw = 3, .stride = 1, .pad = 1};
  Rng rng(1);
  Tensor x({8, 64, 56, 56}), w({64, 64, 3, 3}), y({8, 64, 56, 56}), dy({8, 64, 56, 56}),
      dx(x.shape()), dw(w.shape());
  fill_random(x, rng);
  fill_random(w, rng, 0.05f);
  fill_random(dy, rng);
  kernels::Workspace ws;
  const double fwd = 2.0 * 9 * 64 * 64 * 56 * 56 * 8;
  const double mult = mode == "conv-fwd" ? 1 : mode == "conv-fwd-dx" ? 2 : 3;
  Timing t = timed_loop(
      [&] {
        kernels::conv2d_forward(s, x.data(), w.data(), nullptr, y.data(), ws);
        if (mode != "conv-fwd")
          kernels::conv2d_backward_input(s, dy.data(), w.data(), dx.data(), ws);
        if (mode == "conv-fwdbwd")
          kernels::conv2d_backward_weights(s, x.data(), dy.data(), dw.data(), nullptr, ws);
      },
      min_time, max_time, std::min(warmup, 2));
  const double flops = fwd * mult;
  return {{"gflop_per_s", flops * t.iters / t.secs / 1e9},
          {"gflop_per_s_p50", flops / t.median / 1e9},
          {"flop_per_iter", flops},
          {"iters", t.iters},
          {"secs", t.secs},
          {"shape", "N8 C64->64 56x56 k3 pad1"}};
}

nlohmann::json style_bench(double min_time, double max_time, int warmup, bool profile) {
  // VGG19 conv1_1 .. conv5_1 with ReLUs and four max-pools; loss = sum(relu5_1).
  const int widths[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512};
  Model m({1, 3, 256, 256});
  double fwd = 0, bwd = 0;
  int c = 3, h = 256;
  bool first = true;
  for (int k : widths) {
    if (k == 0) {
      m.add(make_brick({{"type", "maxpool2d"}, {"size", 2}}));
      h /= 2;
      continue;
    }
    m.add(make_brick({{"type", "conv2d"}, {"filters", k}, {"kernel", 3}, {"pad", 1}}));
    m.add(make_brick({{"type", "relu"}}));
    const double f = 2.0 * 9 * c * k * h * h;
    fwd += f;
    if (!first)
      bwd +=
          f;  // the first layer's input gradient is the image gradient: counted as in the anchors
    first = false;
    c = k;
  }
  m.build(0);
  for (int i = 0; i < m.num_nodes(); ++i)
    m.brick(i).trainable = false;  // gradient to the image only
  Rng rng(1);
  Tensor img({1, 3, 256, 256});
  for (size_t i = 0; i < img.size(); ++i) img[i] = rng.uniform();
  Tensor ones(m.output_shape(m.num_nodes() - 1).with_batch(1), 1.f);
  auto step = [&] {
    m.forward(img);
    m.backward({&ones}, /*want_input_grad=*/true);
  };
  Timing t = timed_loop(step, min_time, max_time, std::min(warmup, 1));
  nlohmann::json out = {{"s_per_iter", t.secs / t.iters},
                        {"s_per_iter_p50", t.median},
                        {"iters", t.iters},
                        {"secs", t.secs},
                        {"gflop_per_s", (fwd + bwd) * t.iters / t.secs / 1e9},
                        {"flop_per_iter", fwd + bwd}};
  if (profile) out["profile"] = profile_steps(m, [&](int) { step(); }, 3);
  return out;
}

}  // namespace

int bench_command(const Argv& argv) {
  const nlohmann::json out = bench_measure(argv);
  if (!out.is_null()) std::printf("%s\n", out.dump().c_str());
  return 0;
}

nlohmann::json bench_measure(const Argv& argv) {
  Args args("cnn bench", "Measure a workload of ../shared/anchors; prints one JSON line.");
  args.positional(
          "WORKLOAD",
          "mnist-train, mnist-infer, cifar-train, conv-fwd, conv-fwdbwd, conv-fwd-dx, style")
      .option("threads", "1", "kernel threads")
      .option("kernels", "", "kernel set (default: the fastest here)")
      .option("min-time", "3", "seconds to measure at least")
      .option("max-time", "45", "stop after this many seconds (warm-up included)")
      .flag("no-warmup", "skip the warm-up iterations")
      .flag("profile", "mnist-train / cifar-train / style: add the time per brick (forward, backward)");
  if (!args.parse(argv)) {
    std::fputs(args.help().c_str(), stdout);
    return nullptr;
  }
  if (!args.get("kernels").empty() && !kernels::select_kernels(args.get("kernels").c_str()))
    throw Error("kernel set \"" + args.get("kernels") + "\" is not available on this machine");
  kernels::set_threads(args.get_int("threads"));
  const std::string w = args.positionals()[0];
  const double min_time = args.get_double("min-time"), max_time = args.get_double("max-time");
  const int warmup = args.has("no-warmup") ? 0 : 3;
#ifdef __EMSCRIPTEN__
  const std::string platform = "wasm";
#else
  const std::string platform = "native";
#endif
  nlohmann::json out = {{"system", "bricklab-" + platform + "-" + kernels::active().name},
                        {"workload", w},
                        {"threads", kernels::threads()},
                        {"warmup", warmup > 0}};
  auto t0 = Clock::now();
  if (w == "mnist-train")
    out.update(train_bench("mnist-small", {1, 1, 28, 28}, min_time, max_time, warmup,
                           args.has("profile")));
  else if (w == "cifar-train")
    out.update(train_bench("convnetjs-cifar", {1, 3, 32, 32}, min_time, max_time, warmup,
                           args.has("profile")));
  else if (w == "mnist-infer")
    out.update(infer_bench(min_time, max_time, warmup));
  else if (w == "conv-fwd" || w == "conv-fwdbwd" || w == "conv-fwd-dx")
    out.update(conv_bench(w, min_time, max_time, warmup));
  else if (w == "style")
    out.update(style_bench(min_time, max_time, warmup, args.has("profile")));
  else
    throw Error("unknown workload \"" + w + "\" (see cnn bench --help)");
  out["wall_s"] = seconds_since(t0);
  // Shows that --threads N really ran work on the pool's other threads.
  out["worker_parts"] = kernels::parts_run_by_workers();
  return out;
}

}  // namespace cnn::cli
