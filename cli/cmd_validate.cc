// sizer validate MODEL.gguf: the planner's prediction for "this model on this machine" next
// to what the micro-runner measures, and (--calibrate) the fit that closes the gap.
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/format.h"
#include "base/thread_pool.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "plan/calibration_fit.h"
#include "plan/kv_cache.h"
#include "plan/plan_inputs.h"
#include "plan/planner.h"
#include "probe/bandwidth.h"
#include "probe/hardware_entry.h"
#include "probe/machine.h"
#include "runner/benchmark.h"
#include "runner/session.h"
#include "input/calibration.h"
#include "catalog/catalog.h"
#include "version.h"

namespace sizer::cli {
namespace {

namespace fs = std::filesystem;

double PeakRssBytes() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux reports KiB
}

std::string DefaultCalibrationPath() {
  return (fs::path(ThisMachinePath()).parent_path() / "calibration.yaml").string();
}

// Measures this machine and saves it as `this-machine` (what `sizer probe --save` does).
Status ProbeAndSave() {
  std::cerr << "sizer: probing this machine (memory bandwidth, kernels); "
               "'sizer probe --save' does this ahead of time\n";
  const probe::MachineInfo m = probe::DescribeMachine();
  const probe::BandwidthResult bw =
      probe::MeasureReadBandwidth(probe::DefaultBandwidthBufferBytes(m), m.physical_cores, 3);
  if (!bw.note.empty()) PrintWarning("probe: bandwidth buffer " + bw.note);
  if (bw.best_bytes_per_s <= 0) return Status::Internal("the bandwidth probe could not run");
  const std::string path = ThisMachinePath();
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  SIZER_RETURN_IF_ERROR(WriteOutput(
      path, probe::HardwareEntryYaml(kThisMachineId, m, bw, probe::MeasureKernelThroughput(3))));
  std::cerr << "sizer: saved this machine as '" << kThisMachineId << "' in " << path << "\n";
  return Status();
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Row {
  std::string what;
  std::string predicted;
  std::string measured;
  std::string ratio;
};

void PrintRows(const std::vector<Row>& rows) {
  size_t w0 = 0, w1 = 9, w2 = 8;
  for (const Row& r : rows) {
    w0 = std::max(w0, r.what.size());
    w1 = std::max(w1, r.predicted.size());
    w2 = std::max(w2, r.measured.size());
  }
  auto pad = [](const std::string& s, size_t w) { return s + std::string(w - std::min(w, s.size()), ' '); };
  std::cout << pad("", w0) << "  " << pad("predicted", w1) << "  " << pad("measured", w2)
            << "  measured/predicted\n";
  for (const Row& r : rows) {
    std::cout << pad(r.what, w0) << "  " << pad(r.predicted, w1) << "  " << pad(r.measured, w2)
              << "  " << r.ratio << "\n";
  }
}

std::string Ratio(double measured, double predicted) {
  return predicted > 0 && measured > 0 ? FormatFixed(measured / predicted, 2) : "";
}

}  // namespace

int RunValidate(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer validate MODEL.gguf [--context N] [--threads N] [--tokens N] [--json]\n"
      "                     [--calibrate] [--calibration FILE] [--reprobe]\n\n"
      "Checks the planner against this machine: reads the cached probe of this machine (or\n"
      "probes it and saves it as 'this-machine'), plans the job \"this model on this machine\"\n"
      "with the llama.cpp profile, refuses a model the plan says does not fit before loading\n"
      "anything, then runs prefill and greedy decode with the micro-runner and prints the\n"
      "prediction next to the measurement: bytes read per token, decode ceiling and expected\n"
      "tokens/s against achieved tokens/s (and the fraction of the ceiling), prefill tokens/s,\n"
      "the planned memory buckets against the process's peak RSS and its KV cache bytes.\n\n"
      "--calibrate adds this run to the calibration file of this machine (default\n"
      "~/.cache/sizer/calibration.yaml) and refits decode efficiency and a fixed per-token\n"
      "overhead by least squares over every model measured so far (run it on models of\n"
      "several sizes). `sizer plan JOB.yaml --calibration FILE` then uses the fit for\n"
      "candidates on this machine. Without --calibrate an existing calibration file is only\n"
      "read, to show the calibrated prediction.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("model", po::value<std::string>()->value_name("MODEL.gguf"), "the GGUF file")
      ("context", po::value<int64_t>()->default_value(512), "KV cache positions (the planned context)")
      ("prompt-tokens", po::value<int64_t>()->default_value(32), "prompt positions to prefill")
      ("tokens,n", po::value<int64_t>()->default_value(64), "tokens to decode (greedy, EOS ignored)")
      ("threads,t", po::value<int>()->default_value(0), "threads (default: physical cores)")
      ("reprobe", "measure this machine again even when a probe is cached")
      ("calibrate", "add this run to the calibration file and refit it")
      ("calibration", po::value<std::string>()->value_name("FILE"),
       "calibration file (default: calibration.yaml beside the cached probe)")
      ("json", "print the comparison as JSON (the input of sizer report --validation)")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write the JSON or text to FILE");
  AddDbOption(options);
  po::positional_options_description positional;
  positional.add("model", 1);
  auto vm = ParseOptions("validate", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "validate", "model", "MODEL.gguf")) return *done;
  const int64_t context = (*vm)["context"].as<int64_t>();
  const int64_t prompt_tokens = (*vm)["prompt-tokens"].as<int64_t>();
  const int64_t decode_tokens = (*vm)["tokens"].as<int64_t>();
  const int threads_option = (*vm)["threads"].as<int>();
  if (context < 2 || prompt_tokens < 1 || decode_tokens < 1 || threads_option < 0 ||
      prompt_tokens + decode_tokens > context) {
    PrintError("validate: need --prompt-tokens >= 1, --tokens >= 1, their sum <= --context, "
               "and --threads >= 0");
    return kExitBadInput;
  }
  const std::string model_path = fs::absolute((*vm)["model"].as<std::string>()).string();
  const std::string calibration_path =
      vm->count("calibration") ? (*vm)["calibration"].as<std::string>() : DefaultCalibrationPath();
  const std::string output_path = vm->count("output") ? (*vm)["output"].as<std::string>() : "";
  // Output paths are checked before any work.
  for (const std::string& path : {output_path, vm->count("calibrate") ? calibration_path : ""}) {
    if (path.empty() || path == "-") continue;
    fs::path parent = fs::absolute(path).parent_path();
    std::error_code ec;
    if (vm->count("calibrate") && path == calibration_path && !vm->count("calibration")) {
      fs::create_directories(parent, ec);
    }
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0) {
      PrintError("validate: cannot write " + path + ": " + parent.string() +
                 " is not a writable directory");
      return kExitBadInput;
    }
  }

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) {
    PrintError(catalog.status().message());
    return ExitCodeFor(catalog.status());
  }
  if (vm->count("reprobe") || !catalog->FindHardware(kThisMachineId).ok()) {
    Status probed = ProbeAndSave();
    if (!probed.ok()) {
      PrintError("validate: " + probed.message());
      return kExitCheckFailed;
    }
  }
  const int threads = threads_option > 0 ? threads_option : PhysicalCoreCount();
  const std::string job_yaml =
      "job: validate\nmodel: " + Quote(model_path) + "\ncontext_tokens: " + std::to_string(context) +
      "\nconcurrency: 1\nruntime: llama.cpp\nprompt_tokens: " + std::to_string(prompt_tokens) +
      "\noutput_tokens: " + std::to_string(decode_tokens) + "\ncandidates: [" + kThisMachineId + "]\n";
  StatusOr<JobSpec> job = ParseJobSpec(job_yaml, "validate job for " + model_path, *catalog);
  if (!job.ok()) {
    PrintError(job.status().message());
    return ExitCodeFor(job.status());
  }
  StatusOr<Calibration> calibration = LoadCalibration(calibration_path);
  const bool have_calibration = calibration.ok() && calibration->hardware_id == kThisMachineId;
  if (!calibration.ok() && calibration.status().code() != StatusCode::kNotFound) {
    PrintError(calibration.status().message());
    return ExitCodeFor(calibration.status());
  }
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) {
    PrintError(plan.status().message());
    return ExitCodeFor(plan.status());
  }
  const CandidateWorksheet& sheet = plan->candidates.front();
  if (!sheet.memory.fits) {
    PrintError("validate: the planner says " + fs::path(model_path).filename().string() +
               " does not fit this machine, so it is not loaded:");
    for (const std::string& r : ReasonTexts(sheet.memory.reasons)) std::cerr << "  - " << r << "\n";
    return kExitCheckFailed;
  }

  runner::SessionOptions session_options;
  session_options.threads = threads;
  session_options.context_tokens = context;
  StatusOr<std::unique_ptr<runner::Session>> session = runner::Session::Open(model_path, session_options);
  if (!session.ok()) {
    PrintError(session.status().message());
    return ExitCodeFor(session.status());
  }
  StatusOr<runner::BenchmarkStats> stats =
      runner::RunBenchmark(**session, prompt_tokens, decode_tokens);
  if (!stats.ok()) {
    PrintError(stats.status().message());
    return ExitCodeFor(stats.status());
  }
  const double peak_rss_bytes = PeakRssBytes();

  // The prediction, at the depth the decode ran at (prompt + half the output, as the plan).
  const SpeedPlan& speed = sheet.speed;
  const double bandwidth = speed.bandwidth_bytes_per_s;
  // Bytes read per decode step: the weights plus the KV cache at the mean depth of the timed
  // steps (prompt + half the output), the depth the plan's expected figure is taken at.
  StatusOr<PlanInputs> inputs = ResolvePlanInputs(*job, plan->quant);
  if (!inputs.ok()) {
    PrintError(inputs.status().message());
    return ExitCodeFor(inputs.status());
  }
  const int64_t mid_depth = prompt_tokens + decode_tokens / 2;
  const double read_per_token_bytes =
      plan->weights.read_per_token_bytes + KvReadBytesPerToken(*inputs, mid_depth);
  const double measured_tps = stats->decode_tokens_per_s;
  const double ceiling = bandwidth / read_per_token_bytes;
  CalibrationPoint point{model_path, read_per_token_bytes, measured_tps};

  std::optional<CalibrationFit> fit;
  Calibration updated;
  if (vm->count("calibrate")) {
    if (have_calibration) updated = *calibration;
    updated.hardware_id = kThisMachineId;
    updated.measured_with = "sizer micro-runner " + std::string(SIZER_VERSION_STRING) + ", " +
                            std::to_string(threads) + " threads";
    updated.date = TodayUtc();
    if (have_calibration && std::abs(calibration->bandwidth_bytes_per_s / bandwidth - 1) > 0.02) {
      PrintWarning("validate: the calibration file was measured against " +
                   FormatBytesPerSecond(calibration->bandwidth_bytes_per_s) +
                   " and this machine's probe now says " + FormatBytesPerSecond(bandwidth) +
                   "; its old points are dropped");
      updated.points.clear();
    }
    updated.bandwidth_bytes_per_s = bandwidth;
    std::erase_if(updated.points, [&](const CalibrationPoint& p) { return p.model == model_path; });
    updated.points.push_back(point);
    StatusOr<CalibrationFit> fitted = FitDecodeCalibration(updated.points, bandwidth);
    if (!fitted.ok()) {
      PrintError(fitted.status().message());
      return kExitCheckFailed;
    }
    fit = *fitted;
    updated.decode_efficiency = fit->decode_efficiency;
    updated.decode_overhead_s = fit->decode_overhead_s;
    updated.fit = fit->description;
    Status written = WriteOutput(calibration_path, CalibrationToYaml(updated));
    if (!written.ok()) {
      PrintError(written.message());
      return kExitBadInput;
    }
  }
  std::optional<double> calibrated_tps;
  if (fit) {
    calibrated_tps = CalibratedTokensPerSecond(read_per_token_bytes, bandwidth,
                                               fit->decode_efficiency, fit->decode_overhead_s);
  } else if (have_calibration) {
    calibrated_tps = CalibratedTokensPerSecond(read_per_token_bytes, bandwidth,
                                               calibration->decode_efficiency,
                                               calibration->decode_overhead_s);
  }

  const DeviceBudget& device = sheet.memory.binding_device();
  const std::string file_name = fs::path(model_path).filename().string();
  nlohmann::json j = {
      {"sizer_validate", 1},
      {"hardware_id", kThisMachineId},
      {"model_file", model_path},
      {"threads", threads},
      {"context_tokens", context},
      {"bandwidth_bytes_per_s", bandwidth},
      {"bytes_read_per_token", read_per_token_bytes},
      {"decode",
       {{"tokens", decode_tokens},
        {"ceiling_tokens_per_s", ceiling},
        {"predicted_tokens_per_s", speed.expected_decode_tokens_per_s},
        {"predicted_efficiency", speed.decode_efficiency},
        {"measured_tokens_per_s", measured_tps},
        {"median_token_ms", stats->median_token_ms},
        {"measured_fraction_of_ceiling", measured_tps / ceiling},
        {"effective_bytes_per_s", read_per_token_bytes * measured_tps}}},
      {"prefill",
       {{"tokens", prompt_tokens},
        {"predicted_tokens_per_s", speed.prefill_tokens_per_s},
        {"measured_tokens_per_s", stats->prefill_tokens_per_s}}},
      {"memory",
       {{"planned_weights_bytes", device.weights_bytes},
        {"planned_kv_bytes", device.kv_cache_bytes},
        {"planned_runtime_bytes", device.runtime_bytes},
        {"planned_activation_bytes", device.activation_bytes},
        {"planned_total_bytes", device.planned_bytes},
        {"measured_kv_bytes", stats->kv_cache_bytes},
        {"peak_rss_bytes", peak_rss_bytes}}}};
  if (calibrated_tps) {
    j["decode"]["calibrated_tokens_per_s"] = *calibrated_tps;
    j["decode"]["calibrated_error_fraction"] = *calibrated_tps / measured_tps - 1.0;
  }
  if (fit) {
    j["calibration"] = {{"file", calibration_path},
                        {"points", updated.points.size()},
                        {"decode_efficiency", fit->decode_efficiency},
                        {"decode_overhead_ms", fit->decode_overhead_s * 1000.0},
                        {"max_abs_error_fraction", fit->max_abs_error_fraction},
                        {"fit", fit->description}};
  }
  if (vm->count("json")) {
    Status written = WriteOutput(output_path, j.dump(2) + "\n");
    if (!written.ok()) {
      PrintError(written.message());
      return kExitBadInput;
    }
    return kExitOk;
  }
  std::cout << "sizer validate: " << file_name << " on " << kThisMachineId << " ("
            << threads << " threads, context " << context << ")\n"
            << "bandwidth " << FormatBytesPerSecond(bandwidth) << " (cached probe; --reprobe to "
            << "measure again), bytes read per token " << FormatBytes(read_per_token_bytes)
            << " (weights and KV at depth " << mid_depth << ")\n\n";
  std::vector<Row> rows;
  rows.push_back({"decode ceiling, tokens/s", FormatFixed(ceiling, 1),
                  FormatPercent(measured_tps / ceiling) + " of it", ""});
  rows.push_back({"decode, tokens/s (planner, efficiency " + FormatFixed(speed.decode_efficiency, 2) + ")",
                  FormatFixed(speed.expected_decode_tokens_per_s, 1), FormatFixed(measured_tps, 1),
                  Ratio(measured_tps, speed.expected_decode_tokens_per_s)});
  if (calibrated_tps) {
    rows.push_back({"decode, tokens/s (calibrated)", FormatFixed(*calibrated_tps, 1),
                    FormatFixed(measured_tps, 1), Ratio(measured_tps, *calibrated_tps)});
  }
  rows.push_back({"effective read bandwidth", FormatBytesPerSecond(bandwidth),
                  FormatBytesPerSecond(read_per_token_bytes * measured_tps),
                  Ratio(read_per_token_bytes * measured_tps, bandwidth)});
  rows.push_back({"prefill, tokens/s (one token per step)", FormatFixed(speed.prefill_tokens_per_s, 1),
                  FormatFixed(stats->prefill_tokens_per_s, 1),
                  Ratio(stats->prefill_tokens_per_s, speed.prefill_tokens_per_s)});
  rows.push_back({"weights", FormatBytes(device.weights_bytes), "", ""});
  rows.push_back({"KV cache", FormatBytes(device.kv_cache_bytes),
                  FormatBytes(static_cast<double>(stats->kv_cache_bytes)),
                  Ratio(static_cast<double>(stats->kv_cache_bytes), device.kv_cache_bytes)});
  rows.push_back({"runtime buffers + activations (llama.cpp)",
                  FormatBytes(device.runtime_bytes + device.activation_bytes), "", ""});
  rows.push_back({"total planned vs peak RSS", FormatBytes(device.planned_bytes),
                  FormatBytes(peak_rss_bytes), Ratio(peak_rss_bytes, device.planned_bytes)});
  PrintRows(rows);
  std::cout << "\nThe planner plans for llama.cpp, whose compute buffers the micro-runner does not\n"
               "allocate, so peak RSS sits below the planned total by about those buffers.\n";
  if (fit) {
    std::cout << "\ncalibrated: " << calibration_path << " now holds " << updated.points.size()
              << " point(s); decode efficiency " << FormatFixed(fit->decode_efficiency, 3)
              << ", per-token overhead " << FormatFixed(fit->decode_overhead_s * 1000.0, 3)
              << " ms (" << fit->description << "); worst fit error "
              << FormatPercent(fit->max_abs_error_fraction)
              << ". Use it: sizer plan JOB.yaml --calibration " << calibration_path << "\n";
  }
  return kExitOk;
}

}  // namespace sizer::cli
