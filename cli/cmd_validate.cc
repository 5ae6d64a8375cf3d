// sizer validate MODEL.gguf: the planner's prediction for "this model on this machine" next
// to what the micro-runner measures, and (--calibrate) the fit that closes the gap. The work
// is lib/validate/'s; this file reads the options, checks the output paths, and prints.
#include <filesystem>
#include <iostream>
#include <optional>

#include "base/format.h"
#include "base/thread_pool.h"
#include "catalog/catalog.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "input/calibration.h"
#include "probe/bandwidth.h"
#include "probe/hardware_entry.h"
#include "probe/machine.h"
#include "report/validation.h"
#include "validate/calibration_update.h"
#include "validate/comparison.h"
#include "validate/measurement.h"
#include "validate/prediction.h"
#include "validate/validation_job.h"
#include "validate/validation_text.h"

namespace sizer::cli {
namespace {

namespace fs = std::filesystem;

// Measures this machine and saves it as `this-machine` (what `sizer probe --save` does).
Status ProbeAndSave() {
  SIZER_ASSIGN_OR_RETURN(OutputPath path, ResolveCachePath("--reprobe", ThisMachinePath()));
  std::cerr << "sizer: probing this machine (memory bandwidth, kernels); "
               "'sizer probe --save' does this ahead of time\n";
  const probe::MachineInfo m = probe::DescribeMachine();
  const probe::BandwidthResult bw =
      probe::MeasureReadBandwidth(probe::DefaultBandwidthBufferBytes(m), m.physical_cores, 3);
  if (!bw.note.empty()) PrintWarning("probe: bandwidth buffer " + bw.note);
  if (bw.best_bytes_per_s <= 0) return Status::IOError("the bandwidth probe could not run");
  SIZER_RETURN_IF_ERROR(WriteOutput(
      path.path, probe::HardwareEntryYaml(kThisMachineId, m, bw, probe::MeasureKernelThroughput(3))));
  std::cerr << "sizer: saved this machine as '" << kThisMachineId << "' in " << path.path << "\n";
  return Status();
}

po::options_description ValidateOptions() {
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
  return options;
}

// Where validate writes, checked before any work: -o, and with --calibrate the calibration
// file (in sizer's cache directory unless --calibration names one).
Status CheckOutputs(const po::variables_map& vm, const std::string& calibration_path) {
  SIZER_RETURN_IF_ERROR(
      ResolveOutputPath("-o", StringOption(vm, "output"), OutputKind::kFile).status());
  if (!vm.count("calibrate")) return Status();
  return vm.count("calibration")
             ? ResolveOutputPath("--calibration", calibration_path, OutputKind::kFile).status()
             : ResolveCachePath("--calibrate", calibration_path).status();
}

StatusOr<validate::ValidationSettings> Settings(const po::variables_map& vm) {
  validate::ValidationSettings s;
  s.model_path = fs::absolute(vm["model"].as<std::string>()).string();
  s.context_tokens = vm["context"].as<int64_t>();
  s.prompt_tokens = vm["prompt-tokens"].as<int64_t>();
  s.decode_tokens = vm["tokens"].as<int64_t>();
  const int threads = vm["threads"].as<int>();
  if (s.context_tokens < 2 || s.prompt_tokens < 1 || s.decode_tokens < 1 || threads < 0 ||
      s.prompt_tokens + s.decode_tokens > s.context_tokens) {
    return Status::InvalidArgument(
        "need --prompt-tokens >= 1, --tokens >= 1, their sum <= --context, and --threads >= 0");
  }
  s.threads = threads > 0 ? threads : PhysicalCoreCount();
  return s;
}

// The calibration file's content when it is for this machine; none when it does not exist.
StatusOr<std::optional<Calibration>> ExistingCalibration(const std::string& path) {
  StatusOr<Calibration> calibration = LoadCalibration(path);
  if (!calibration.ok()) {
    if (calibration.status().code() == StatusCode::kNotFound) return std::optional<Calibration>();
    return calibration.status();
  }
  if (calibration->hardware_id != kThisMachineId) return std::optional<Calibration>();
  return std::optional<Calibration>(std::move(calibration).value());
}

// --calibrate: refits with this run and writes the calibration file back.
int Calibrate(const std::optional<Calibration>& existing, const std::string& path,
              ValidationResult& result) {
  StatusOr<validate::CalibrationUpdate> update =
      validate::UpdateCalibration(existing, result, TodayUtc());
  if (!update.ok()) {
    PrintError("validate: " + update.status().message());
    return kExitCheckFailed;  // the measurement cannot be fitted: the answer is "no"
  }
  for (const std::string& w : update->warnings) PrintWarning("validate: " + w);
  if (Status written = WriteOutput(path, CalibrationToYaml(update->calibration)); !written.ok()) {
    return ReportError(written, "validate");
  }
  validate::AddCalibrationFit(path, *update, result);
  return kExitOk;
}

}  // namespace

int RunValidate(const std::vector<std::string>& args) {
  const po::options_description options = ValidateOptions();
  po::positional_options_description positional;
  positional.add("model", 1);
  auto vm = ParseOptions("validate", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "validate", "model", "MODEL.gguf")) return *done;
  StatusOr<validate::ValidationSettings> settings = Settings(*vm);
  if (!settings.ok()) return ReportError(settings.status(), "validate");
  const std::string calibration_path = vm->count("calibration")
                                           ? (*vm)["calibration"].as<std::string>()
                                           : (fs::path(ThisMachinePath()).parent_path() / "calibration.yaml").string();
  if (Status ok = CheckOutputs(*vm, calibration_path); !ok.ok()) return ReportError(ok, "validate");

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  if (vm->count("reprobe") || !catalog->FindHardware(kThisMachineId).ok()) {
    if (Status probed = ProbeAndSave(); !probed.ok()) return ReportError(probed, "validate");
    // The catalog reads the saved probe when it loads: load it again to see the new one.
    catalog = LoadCatalog(*vm);
    if (!catalog.ok()) return ReportError(catalog.status());
  }
  StatusOr<std::optional<Calibration>> calibration = ExistingCalibration(calibration_path);
  if (!calibration.ok()) return ReportError(calibration.status());
  StatusOr<validate::Prediction> prediction = validate::PredictValidation(*settings, *catalog);
  if (!prediction.ok()) return ReportError(prediction.status());
  if (!prediction->fits) {
    PrintError("validate: the planner says " + fs::path(settings->model_path).filename().string() +
               " does not fit this machine, so it is not loaded:");
    for (const std::string& r : prediction->reasons) std::cerr << "  - " << r << "\n";
    return kExitCheckFailed;
  }
  StatusOr<validate::Measurement> measured = validate::MeasureValidation(*settings);
  if (!measured.ok()) return ReportError(measured.status());

  ValidationResult result =
      validate::ComparePrediction(*settings, kThisMachineId, *prediction, *measured);
  if (vm->count("calibrate")) {
    if (int failed = Calibrate(*calibration, calibration_path, result); failed != kExitOk) return failed;
  } else if (*calibration) {
    validate::AddCalibratedPrediction((*calibration)->decode_efficiency,
                                      (*calibration)->decode_overhead_s, result);
  }
  const std::string text = vm->count("json") ? ValidationToJsonText(result)
                                             : validate::RenderValidationText(result);
  if (Status written = WriteOutput(StringOption(*vm, "output"), text); !written.ok()) {
    return ReportError(written, "validate");
  }
  return kExitOk;
}

}  // namespace sizer::cli
