#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "base/format.h"

namespace sizer::cli {

ProgressBar::ProgressBar(std::string label, uint64_t show_from_bytes)
    : label_(std::move(label)),
      show_from_bytes_(show_from_bytes),
      terminal_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(uint64_t done_bytes, uint64_t total_bytes) {
  if (!terminal_ || total_bytes < show_from_bytes_ || total_bytes == 0) return;
  const auto now = std::chrono::steady_clock::now();
  const bool finished = done_bytes >= total_bytes;
  if (!finished && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(done_bytes) / static_cast<double>(total_bytes);
  const int filled = static_cast<int>(fraction * kWidth);
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate_bytes_per_s = seconds > 0 ? static_cast<double>(done_bytes) / seconds : 0;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\rsizer: %s [%s] %3.0f%% of %s, %s/s ", label_.c_str(), bar.c_str(),
               100.0 * fraction, FormatBytes(static_cast<double>(total_bytes)).c_str(),
               FormatBytes(rate_bytes_per_s).c_str());
  if (finished) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace sizer::cli
