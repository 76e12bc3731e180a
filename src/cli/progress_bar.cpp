#include "cli/progress_bar.h"

#include <unistd.h>

#include <string>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace cnn::cli {

namespace {

// Whether `out` is a terminal, so \r redraws are welcome. Under node,
// Emscripten's isatty() answers true for stdout and stderr even when they are
// redirected to a file, so ask node itself.
bool is_terminal(std::FILE* out) {
#ifdef __EMSCRIPTEN__
  const int fd = fileno(out);
  return EM_ASM_INT(
      {
        if (typeof process === 'undefined') return 0;
        const stream = $0 === 1 ? process.stdout : $0 === 2 ? process.stderr : null;
        return stream && stream.isTTY ? 1 : 0;
      },
      fd);
#else
  return isatty(fileno(out)) != 0;
#endif
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* out) : out_(out), interactive_(is_terminal(out)) {}

void ProgressBar::on_batch(const TrainProgress& p) {
  if (!interactive_) return;
  auto now = std::chrono::steady_clock::now();
  if (shown_epoch_ == p.epoch && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(p, false);
}

void ProgressBar::on_epoch(const TrainProgress& p) {
  draw(p, true);
}

void ProgressBar::draw(const TrainProgress& p, bool final) {
  if (shown_epoch_ != p.epoch) {
    std::fprintf(out_, "Epoch %d/%d\n", p.epoch + 1, p.epochs);
    shown_epoch_ = p.epoch;
  }
  const int width = 30;
  const int filled = p.batches ? int(double(width) * p.batch / p.batches) : width;
  std::string bar(width, '.');
  for (int i = 0; i < filled; ++i) bar[i] = '=';
  if (filled < width) bar[filled] = '>';
  std::string line = std::to_string(p.batch) + "/" + std::to_string(p.batches) + " [" + bar + "]";
  char buf[128];
  std::snprintf(buf, sizeof buf, " %.1fs %.0f img/s", p.epoch_seconds, p.images_per_second);
  line += buf;
  if (!final) {
    std::snprintf(buf, sizeof buf, " ETA %.0fs", p.eta_seconds);
    line += buf;
  }
  auto append = [&](const Logs& logs) {
    for (size_t i = 0; i < logs.names.size(); ++i) {
      std::snprintf(buf, sizeof buf, " - %s %.4f", logs.names[i].c_str(), logs.values[i]);
      line += buf;
    }
  };
  append(p.logs);
  if (final) append(p.validation);
  std::fprintf(out_, "\r%s%s", line.c_str(), final ? "\n" : "\033[K");
  std::fflush(out_);
}

}  // namespace cnn::cli
