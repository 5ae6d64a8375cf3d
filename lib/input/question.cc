#include "input/question.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <filesystem>

#include "base/edit_distance.h"
#include "base/format.h"
#include "base/units.h"
#include "catalog/model_from_gguf.h"
#include "gguf/artifact.h"
#include "input/job_draft.h"
#include "knowledge/weight_format.h"

namespace sizer {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool EndsWithGgufName(const std::string& s) {
  if (s.size() < 5) return false;
  return EqualsIgnoreCase(std::string_view(s).substr(s.size() - 5), ".gguf");
}

Status FlagError(const std::string& flag, const std::string& message) {
  return Status::InvalidArgument(flag + ": " + message);
}

// Re-labels a lookup failure with the flag that named the id, keeping its code.
Status WithFlag(const std::string& flag, const Status& status) {
  if (status.ok()) return status;
  return status.WithContext(flag);
}

StatusOr<int64_t> ParsePositiveInt(const std::string& flag, const std::string& text, int64_t max) {
  const std::string t = Trim(text);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0' || errno != 0 || value < 1 || value > max) {
    return FlagError(flag, "expected a whole number from 1 to " + std::to_string(max) +
                               ", got '" + text + "'");
  }
  return static_cast<int64_t>(value);
}

StatusOr<double> ParsePositiveNumber(const std::string& flag, const std::string& text) {
  const std::string t = Trim(text);
  char* end = nullptr;
  const double value = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || !std::isfinite(value) || value <= 0) {
    return FlagError(flag, "expected a positive number, got '" + text + "'");
  }
  return value;
}

// A size or rate flag: positive, in the units the job file takes.
Status CheckPositiveAmount(const std::string& flag, const std::string& text, bool rate) {
  const std::string t = Trim(text);
  if (!t.empty() && t[0] == '-') return FlagError(flag, "must be positive, got '" + text + "'");
  StatusOr<double> value = rate ? ParseBytesPerSecond(t) : ParseBytes(t);
  if (!value.ok()) return WithFlag(flag, value.status());
  if (*value <= 0) return FlagError(flag, "must be positive, got '" + text + "'");
  return Status();
}

}  // namespace

StatusOr<DeviceCount> ParseDeviceCount(std::string_view text) {
  std::string t = Trim(text);
  DeviceCount out;
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i > 0 && i < t.size()) {
    size_t j = i;
    while (j < t.size() && t[j] == ' ') ++j;
    if (j < t.size() && (t[j] == 'x' || t[j] == 'X') && j + 1 < t.size() &&
        (t[j + 1] == ' ' || i == j)) {
      const std::string digits = t.substr(0, i);
      if (digits.size() > 4 || std::stoll(digits) < 1 || std::stoll(digits) > 1024) {
        return Status::InvalidArgument("'" + t + "': a device count is from 1 to 1024");
      }
      out.count = std::stoll(digits);
      t = Trim(std::string_view(t).substr(j + 1));
    }
  }
  const bool bare_count = t.size() >= 2 && (t.back() == 'x' || t.back() == 'X') &&
                          t.find_first_not_of("0123456789") == t.size() - 1;
  if (t.empty() || bare_count || t.find_first_of(" ,{}[]:#") != std::string::npos) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "': expected a hardware id, optionally with a count "
                                   "('rtx-4090', '2x rtx-4090')");
  }
  out.hardware_id = t;
  return out;
}

StatusOr<std::vector<DeviceCount>> ParseDeviceList(std::string_view text) {
  std::vector<DeviceCount> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    SIZER_ASSIGN_OR_RETURN(DeviceCount d, ParseDeviceCount(text.substr(start, comma - start)));
    out.push_back(std::move(d));
    start = comma + 1;
  }
  return out;
}

StatusOr<int64_t> ParseTokenCount(std::string_view text) {
  std::string t = Trim(text);
  double scale = 1;
  if (!t.empty() && (t.back() == 'k' || t.back() == 'K')) {
    scale = 1024;  // "32k" contexts are 32768 tokens (powers of two, as models declare them)
    t.pop_back();
  } else if (!t.empty() && (t.back() == 'm' || t.back() == 'M')) {
    scale = 1024.0 * 1024.0;
    t.pop_back();
  }
  char* end = nullptr;
  const double value = std::strtod(t.c_str(), &end);
  const double tokens = value * scale;
  if (t.empty() || *end != '\0' || !std::isfinite(tokens) || tokens < 1 || tokens > 1e9 ||
      tokens != std::floor(tokens)) {
    return Status::InvalidArgument("expected a positive whole number of tokens such as 8192 or "
                                   "32k, got '" + std::string(text) + "'");
  }
  return static_cast<int64_t>(tokens);
}

namespace {

// What the question's model is: its spec (for the defaults) and whether it is a GGUF file.
struct ResolvedModel {
  ModelSpec spec;
  std::string file_quant;  // the GGUF file's type; empty for a model_db id
  std::string name_hint;   // for the job's name
};

StatusOr<ResolvedModel> ResolveModel(const std::string& model, const Catalog& catalog) {
  ResolvedModel out;
  if (model.empty()) {
    return Status::InvalidArgument("MODEL: give a model_db id (sizer db list models) or a .gguf file");
  }
  std::error_code ec;
  if (std::filesystem::is_directory(model, ec)) {
    return Status::Unsupported(
        "MODEL: '" + model + "' is a folder; Hugging Face checkpoint folders are not read yet: "
        "give a model_db id (sizer db list models) or a .gguf file");
  }
  if (EndsWithGgufName(model)) {
    StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(model);
    if (!artifact.ok()) return WithFlag("MODEL", artifact.status());
    StatusOr<ModelSpec> spec = ModelFromGguf(*artifact);
    if (!spec.ok()) return WithFlag("MODEL " + model, spec.status());
    out.spec = std::move(spec).value();
    out.file_quant = DescribeArtifact(*artifact).file_type;
    out.name_hint = std::filesystem::path(model).stem().string();
    return out;
  }
  StatusOr<ModelSpec> spec = catalog.FindModel(model);
  if (!spec.ok()) return WithFlag("MODEL", spec.status());
  out.spec = std::move(spec).value();
  out.name_hint = out.spec.id;
  return out;
}

StatusOr<RuntimeInfo> ResolveRuntime(const std::optional<std::string>& runtime,
                                     const Catalog& catalog) {
  const std::string wanted = runtime.value_or("llama.cpp");
  std::vector<std::string> ids;
  for (const RuntimeInfo& info : catalog.runtimes()) {
    if (EqualsIgnoreCase(info.id, wanted)) return info;
    ids.push_back(info.id);
  }
  return Status::NotFound("--runtime: unknown runtime '" + wanted + "'" + DidYouMean(wanted, ids));
}

// A common 4-bit format of the runtime's own container.
std::string DefaultQuant(const RuntimeInfo& runtime) {
  const auto& f = runtime.artifact_formats;
  auto has = [&](WeightContainer c) { return std::find(f.begin(), f.end(), c) != f.end(); };
  if (has(WeightContainer::kGguf)) return "Q4_K_M";
  if (has(WeightContainer::kSafetensors)) return "AWQ-4bit-g128";
  if (has(WeightContainer::kMlx)) return "MLX-4bit";
  return "Q4_K_M";
}

// The model, quant, KV dtype, runtime and sizes: flags into the draft.
Status DraftWorkload(const Question& q, const ResolvedModel& model, const RuntimeInfo& runtime,
                     JobDraft& draft) {
  // A file path is written absolute, so the saved job works from any directory.
  const std::string model_ref =
      model.file_quant.empty() ? q.model : std::filesystem::absolute(q.model).lexically_normal().string();
  SIZER_RETURN_IF_ERROR(draft.Set("model", QuoteYaml(model_ref), "MODEL"));
  if (q.runtime) SIZER_RETURN_IF_ERROR(draft.Set("runtime", runtime.id, "--runtime"));
  if (q.quant) {
    const WeightFormat* format = FindWeightFormat(Trim(*q.quant));
    if (format == nullptr) {
      return Status::NotFound("--quant: unknown weight format '" + *q.quant + "'" +
                              DidYouMean(*q.quant, WeightFormatIds()) + " (sizer db list quants)");
    }
    if (!model.file_quant.empty() && !EqualsIgnoreCase(format->id, model.file_quant)) {
      return FlagError("--quant", format->id + " disagrees with " + q.model + ", which is " +
                                      model.file_quant + "; drop --quant");
    }
    if (model.file_quant.empty()) SIZER_RETURN_IF_ERROR(draft.Set("quant", format->id, "--quant"));
  }
  if (q.kv_cache_dtype) {
    const KvDtype* dtype = FindKvDtype(Trim(*q.kv_cache_dtype));
    if (dtype == nullptr) {
      return Status::NotFound("--kv-cache-dtype: unknown KV dtype '" + *q.kv_cache_dtype + "'" +
                              DidYouMean(*q.kv_cache_dtype, KvDtypeIds()));
    }
    SIZER_RETURN_IF_ERROR(draft.Set("kv_cache_dtype", dtype->id, "--kv-cache-dtype"));
  }
  if (q.context) {
    StatusOr<int64_t> tokens = ParseTokenCount(*q.context);
    if (!tokens.ok()) return WithFlag("--context", tokens.status());
    SIZER_RETURN_IF_ERROR(draft.Set("context_tokens", std::to_string(*tokens), "--context"));
  }
  const std::pair<const std::optional<std::string>*, const char*> ints[] = {
      {&q.concurrency, "concurrency"}, {&q.prompt_tokens, "prompt_tokens"},
      {&q.output_tokens, "output_tokens"}};
  for (const auto& [value, key] : ints) {
    if (!*value) continue;
    std::string flag = "--" + std::string(key);
    std::replace(flag.begin(), flag.end(), '_', '-');
    SIZER_ASSIGN_OR_RETURN(int64_t n, ParsePositiveInt(flag, **value, 1000000000));
    SIZER_RETURN_IF_ERROR(draft.Set(key, std::to_string(n), flag));
  }
  if (q.min_decode) {
    SIZER_ASSIGN_OR_RETURN(double rate, ParsePositiveNumber("--min-decode", *q.min_decode));
    SIZER_RETURN_IF_ERROR(
        draft.Set("gates.min_decode_tokens_per_s", FormatShortest(rate), "--min-decode"));
  }
  return Status();
}

// A --memory/--bandwidth device as an inline candidate.
StatusOr<std::string> CustomDevice(const Question& q) {
  if (!q.memory || !q.bandwidth) {
    return Status::InvalidArgument("--memory and --bandwidth describe one device together: give both");
  }
  SIZER_RETURN_IF_ERROR(CheckPositiveAmount("--memory", *q.memory, false));
  SIZER_RETURN_IF_ERROR(CheckPositiveAmount("--bandwidth", *q.bandwidth, true));
  double tflops = kCustomDeviceDefaultTflops;
  if (q.tflops) {
    SIZER_ASSIGN_OR_RETURN(tflops, ParsePositiveNumber("--tflops", *q.tflops));
  }
  return "[{id: custom, name: custom device, kind: gpu, memory: " + QuoteYaml(Trim(*q.memory)) +
         ", memory_bandwidth: " + QuoteYaml(Trim(*q.bandwidth)) +
         ", fp16_tflops: " + FormatShortest(tflops) + "}]";
}

StatusOr<std::string> NamedDevices(const std::string& flag, const std::string& text,
                                   const Catalog& catalog) {
  StatusOr<std::vector<DeviceCount>> devices = ParseDeviceList(text);
  if (!devices.ok()) return WithFlag(flag, devices.status());
  std::vector<std::string> items;
  for (const DeviceCount& d : *devices) {
    StatusOr<HardwareSpec> hw = catalog.FindHardware(d.hardware_id);
    if (!hw.ok()) return WithFlag(flag, hw.status());
    items.push_back(d.count == 1 ? d.hardware_id
                                 : "{hardware: " + d.hardware_id +
                                       ", count: " + std::to_string(d.count) + "}");
  }
  return "[" + Join(items, ", ") + "]";
}

// The machines: --on, --gpu, a custom device, this machine, or (recommend) the database.
Status DraftCandidates(const Question& q, const Catalog& catalog, JobDraft& draft,
                       std::vector<QuestionDefault>& defaults) {
  const bool named = q.on || q.gpu;
  const bool custom = q.memory || q.bandwidth || q.tflops;
  if (q.on && q.gpu) {
    return Status::InvalidArgument("--on and --gpu both name the machine: give one of them");
  }
  if (named && custom) {
    return Status::InvalidArgument(std::string(q.on ? "--on" : "--gpu") +
                                   " and --memory/--bandwidth name different machines: give one");
  }
  if (q.search_hardware && (named || custom)) {
    return Status::InvalidArgument(
        "recommend searches the hardware database: drop --on/--gpu/--memory (sizer fit judges "
        "named machines; sizer recommend --hardware ID lists what fits one)");
  }
  if (q.gpu) {
    StatusOr<DeviceCount> one = ParseDeviceCount(*q.gpu);
    if (!one.ok()) return WithFlag("--gpu", one.status());
    SIZER_ASSIGN_OR_RETURN(std::string list, NamedDevices("--gpu", *q.gpu, catalog));
    return draft.Set("candidates", list, "--gpu");
  }
  if (q.on) {
    SIZER_ASSIGN_OR_RETURN(std::string list, NamedDevices("--on", *q.on, catalog));
    return draft.Set("candidates", list, "--on");
  }
  if (custom) {
    SIZER_ASSIGN_OR_RETURN(std::string device, CustomDevice(q));
    return draft.Set("candidates", device, "--memory");
  }
  if (draft.Has("candidates")) return Status();
  if (q.search_hardware) {
    std::vector<std::string> ids;
    for (const HardwareSpec& hw : catalog.hardware()) ids.push_back(hw.id);
    defaults.push_back({"candidates", "every hardware_db entry",
                        "recommend searches the database; the job's candidates are not used"});
    return draft.SetDefault("candidates", "[" + Join(ids, ", ") + "]");
  }
  SIZER_RETURN_IF_ERROR(WithFlag("--on", catalog.FindHardware(kThisMachineId).status()));
  defaults.push_back({"candidates", kThisMachineId, "the saved probe of this machine (--on HW to ask about others)"});
  return draft.SetDefault("candidates", std::string("[") + kThisMachineId + "]");
}

// Keys the flags and --set left open: the model's context capped, 1 sequence, the runtime's
// common 4-bit format, f16 KV, a typical request.
void DraftDefaults(const ResolvedModel& model, const RuntimeInfo& runtime, JobDraft& draft,
                   std::vector<QuestionDefault>& defaults) {
  auto fill = [&](const std::string& key, const std::string& value, const std::string& why) {
    if (draft.Has(key)) return;
    (void)draft.SetDefault(key, value);
    defaults.push_back({key, value, why});
  };
  fill("job", QuoteYaml("question-" + model.name_hint), "named after the model");
  if (model.file_quant.empty()) {
    fill("quant", DefaultQuant(runtime), "a common 4-bit format " + runtime.id + " loads");
  }
  fill("kv_cache_dtype", "f16", "the runtimes' default KV cache type");
  const int64_t max_context = model.spec.max_context_tokens;
  const int64_t context = std::min(max_context > 0 ? max_context : kDefaultContextCapTokens,
                                   kDefaultContextCapTokens);
  fill("context_tokens", std::to_string(context),
       "the model's maximum (" + FormatCount(static_cast<double>(max_context)) + ") capped at " +
           FormatCount(static_cast<double>(kDefaultContextCapTokens)) + "; --context to change");
  fill("concurrency", "1", "one sequence at a time; --concurrency to change");
  const int64_t ctx = draft.IntValue("context_tokens").value_or(context);
  fill("prompt_tokens", std::to_string(std::max<int64_t>(1, std::min<int64_t>(1024, ctx / 2))),
       "a typical request: up to 1024 prompt tokens, at most half the context");
  fill("output_tokens", std::to_string(std::max<int64_t>(1, std::min<int64_t>(256, ctx / 4))),
       "up to 256 output tokens, at most a quarter of the context");
}

}  // namespace

StatusOr<DraftedJob> DraftJob(const Question& q, const Catalog& catalog) {
  SIZER_ASSIGN_OR_RETURN(ResolvedModel model, ResolveModel(q.model, catalog));
  SIZER_ASSIGN_OR_RETURN(RuntimeInfo runtime, ResolveRuntime(q.runtime, catalog));
  JobDraft draft;
  SIZER_RETURN_IF_ERROR(DraftWorkload(q, model, runtime, draft));
  for (const std::string& set : q.sets) SIZER_RETURN_IF_ERROR(draft.SetFromFlag(set));
  std::vector<QuestionDefault> defaults;
  if (std::optional<std::string> set_runtime = draft.Value("runtime"); set_runtime && !q.runtime) {
    // --set runtime=...: its default quant is the one that runtime loads.
    SIZER_ASSIGN_OR_RETURN(runtime, ResolveRuntime(Trim(*set_runtime), catalog));
  } else if (!q.runtime) {
    (void)draft.SetDefault("runtime", runtime.id);
    defaults.push_back({"runtime", runtime.id, "the default runtime; --runtime to change"});
  }
  SIZER_RETURN_IF_ERROR(DraftCandidates(q, catalog, draft, defaults));
  DraftDefaults(model, runtime, draft, defaults);
  return DraftedJob{draft.Emit(), std::move(defaults)};
}

namespace {

Status Disagree(const std::string& flag, const std::string& given, const std::string& key,
                const std::string& job_value, const JobSpec& job) {
  return Status::InvalidArgument(flag + " " + given + " disagrees with the job's " + key + ": " +
                                 job_value + " (" + job.file + "); drop the flag or edit the job");
}

Status CheckIntFlag(const std::optional<std::string>& text, const std::string& flag,
                    const std::string& key, int64_t job_value, const JobSpec& job) {
  if (!text) return Status();
  SIZER_ASSIGN_OR_RETURN(int64_t n, ParsePositiveInt(flag, *text, 1000000000));
  if (n != job_value) return Disagree(flag, *text, key, std::to_string(job_value), job);
  return Status();
}

}  // namespace

Status ApplyQuestionToJob(const Question& q, JobSpec& job) {
  if (q.on || q.gpu || q.memory || q.bandwidth || q.tflops) {
    return Status::InvalidArgument("recommend searches the hardware database: drop --on/--gpu/--memory");
  }
  if (!q.sets.empty()) return Status::InvalidArgument("--set with a job file: edit the job instead");
  if (!q.model.empty() && q.model != job.model_ref) {
    return Disagree("--model", q.model, "model", job.model_ref, job);
  }
  if (q.quant) {
    const WeightFormat* f = FindWeightFormat(Trim(*q.quant));
    if (f == nullptr || f->id != job.quant) return Disagree("--quant", *q.quant, "quant", job.quant, job);
  }
  if (q.kv_cache_dtype) {
    const KvDtype* d = FindKvDtype(Trim(*q.kv_cache_dtype));
    if (d == nullptr || d->id != job.kv_cache_dtype) {
      return Disagree("--kv-cache-dtype", *q.kv_cache_dtype, "kv_cache_dtype", job.kv_cache_dtype, job);
    }
  }
  if (q.runtime && !EqualsIgnoreCase(Trim(*q.runtime), job.runtime)) {
    return Disagree("--runtime", *q.runtime, "runtime", job.runtime, job);
  }
  if (q.context) {
    StatusOr<int64_t> tokens = ParseTokenCount(*q.context);
    if (!tokens.ok()) return WithFlag("--context", tokens.status());
    if (*tokens != job.context_tokens) {
      return Disagree("--context", *q.context, "context_tokens", std::to_string(job.context_tokens), job);
    }
  }
  SIZER_RETURN_IF_ERROR(CheckIntFlag(q.concurrency, "--concurrency", "concurrency", job.concurrency, job));
  SIZER_RETURN_IF_ERROR(CheckIntFlag(q.prompt_tokens, "--prompt-tokens", "prompt_tokens", job.prompt_tokens, job));
  SIZER_RETURN_IF_ERROR(CheckIntFlag(q.output_tokens, "--output-tokens", "output_tokens", job.output_tokens, job));
  if (q.min_decode) {
    SIZER_ASSIGN_OR_RETURN(double rate, ParsePositiveNumber("--min-decode", *q.min_decode));
    std::optional<double>& gate = job.gates.min_decode_tokens_per_s;
    if (gate && *gate != rate) {
      return Disagree("--min-decode", *q.min_decode, "gates.min_decode_tokens_per_s",
                      FormatShortest(*gate), job);
    }
    gate = rate;
  }
  return Status();
}

StatusOr<JobSpec> ParseDraftedJob(const DraftedJob& draft, const Catalog& catalog,
                                  const JobParseOptions& options) {
  return ParseJobSpec(draft.yaml, kQuestionFileName, catalog, options);
}

}  // namespace sizer
