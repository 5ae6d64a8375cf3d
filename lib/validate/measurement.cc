#include "validate/measurement.h"

#include <sys/resource.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "runner/session.h"

namespace sizer::validate {
namespace {

// Linux: writing "5" to /proc/self/clear_refs resets the process's resident-set high-water
// mark (VmHWM) to its current RSS (proc(5), "clear_refs"), so the peak read afterwards is what
// the model run itself added to a process that had already probed the machine and loaded the
// catalog. False where the kernel does not allow it.
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

// VmHWM from /proc/self/status (kB), the mark ResetPeakRss resets; 0 when unreadable.
double HighWaterMarkBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      std::istringstream in(line.substr(6));
      double kib = 0;
      in >> kib;
      return kib * 1024.0;
    }
  }
  return 0;
}

// getrusage's ru_maxrss is never reset: the peak of the whole process so far (Linux: KiB).
double LifetimePeakRssBytes() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

}  // namespace

StatusOr<Measurement> MeasureValidation(const ValidationSettings& settings) {
  const bool reset = ResetPeakRss();
  runner::SessionOptions options;
  options.threads = settings.threads;
  options.context_tokens = settings.context_tokens;
  SIZER_ASSIGN_OR_RETURN(std::unique_ptr<runner::Session> session,
                         runner::Session::Open(settings.model_path, options));
  Measurement m;
  SIZER_ASSIGN_OR_RETURN(m.stats, runner::RunBenchmark(*session, settings.prompt_tokens,
                                                       settings.decode_tokens));
  const double high_water = reset ? HighWaterMarkBytes() : 0;
  m.peak_rss_bytes = high_water > 0 ? high_water : LifetimePeakRssBytes();
  return m;
}

}  // namespace sizer::validate
