#include "validate/measurement.h"

#include <sys/resource.h>

#include <memory>

#include "runner/session.h"

namespace sizer::validate {
namespace {

double PeakRssBytes() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux reports KiB
}

}  // namespace

StatusOr<Measurement> MeasureValidation(const ValidationSettings& settings) {
  runner::SessionOptions options;
  options.threads = settings.threads;
  options.context_tokens = settings.context_tokens;
  SIZER_ASSIGN_OR_RETURN(std::unique_ptr<runner::Session> session,
                         runner::Session::Open(settings.model_path, options));
  Measurement m;
  SIZER_ASSIGN_OR_RETURN(m.stats, runner::RunBenchmark(*session, settings.prompt_tokens,
                                                       settings.decode_tokens));
  m.peak_rss_bytes = PeakRssBytes();
  return m;
}

}  // namespace sizer::validate
