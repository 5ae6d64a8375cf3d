// A one-line progress bar on stderr for long work (hashing, writing gigabytes): shown only
// when stderr is a terminal and the work is large enough to take more than a moment, so logs
// and pipes stay clean.
#ifndef SIZER_CLI_PROGRESS_H_
#define SIZER_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace sizer::cli {

class ProgressBar {
 public:
  // `label` leads the line ("sha256 model.gguf"); nothing is shown below `show_from_bytes`.
  ProgressBar(std::string label, uint64_t show_from_bytes = 256u << 20);

  // Redraws at most ten times a second, and always at 100 %.
  void Update(uint64_t done_bytes, uint64_t total_bytes);

 private:
  std::string label_;
  uint64_t show_from_bytes_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace sizer::cli

#endif  // SIZER_CLI_PROGRESS_H_
