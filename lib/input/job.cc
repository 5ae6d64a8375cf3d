#include "input/job.h"

#include <cctype>
#include <cmath>
#include <filesystem>

#include "base/edit_distance.h"
#include "catalog/runtime_info.h"
#include "knowledge/weight_format.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

// Re-raises a catalog lookup failure at the position of the node that named the id.
Status AtNode(const YamlValue& node, const Status& status) {
  if (status.ok()) return status;
  return node.Error(status.message(), status.code());
}

bool EndsWithGguf(const std::string& s) {
  if (s.size() < 5) return false;
  std::string tail = s.substr(s.size() - 5);
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".gguf";
}

// A relative GGUF path is looked up beside the job file first, then from the working directory.
std::string ResolveModelPath(const std::string& path, const std::string& job_file) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  std::filesystem::path beside = std::filesystem::path(job_file).parent_path() / p;
  std::error_code ec;
  if (!beside.parent_path().empty() && std::filesystem::exists(beside, ec)) return beside.string();
  return path;
}

StatusOr<ModelSpec> ParseModelFile(const YamlValue& node, const std::string& path, JobSpec& job,
                                   const ModelFileResolver& resolver) {
  std::string resolved;
  if (resolver) {
    StatusOr<std::string> allowed = resolver(path);
    if (!allowed.ok()) return node.Error(allowed.status().message(), allowed.status().code());
    resolved = std::move(allowed).value();
  } else {
    resolved = ResolveModelPath(path, node.file());
  }
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(resolved);
  if (!artifact.ok()) return node.Error(artifact.status().message(), artifact.status().code());
  StatusOr<ModelSpec> model = ModelFromGguf(*artifact);
  if (!model.ok()) {
    return node.Error(resolved + ": " + model.status().message(), model.status().code());
  }
  job.model_file = DescribeArtifact(*artifact);
  // Through a resolver, the file is shown as the job named it (not where the resolver found it).
  if (resolver) job.model_file->path = path;
  return model;
}

}  // namespace

StatusOr<ModelSpec> ParseJobModel(const YamlValue& node, const Catalog& catalog, JobSpec& job,
                                  const ModelFileResolver& resolver) {
  std::string& model_ref = job.model_ref;
  if (node.IsMap()) {
    model_ref = "inline";
    SIZER_ASSIGN_OR_RETURN(job.model_json, node.ToJsonText());
    return ParseModelSpec(node);
  }
  SIZER_ASSIGN_OR_RETURN(std::string id, node.AsString());
  model_ref = id;
  if (EndsWithGguf(id)) return ParseModelFile(node, id, job, resolver);
  StatusOr<ModelSpec> model = catalog.FindModel(id);
  if (!model.ok()) return AtNode(node, model.status());
  return model;
}

namespace {

StatusOr<HardwareSpec> ParseHardwareRef(const YamlValue& node, const Catalog& catalog) {
  if (node.IsMap()) return ParseHardwareSpec(node);
  SIZER_ASSIGN_OR_RETURN(std::string id, node.AsString());
  StatusOr<HardwareSpec> hw = catalog.FindHardware(id);
  if (!hw.ok()) return AtNode(node, hw.status());
  return hw;
}

Status ParseMeasured(const YamlValue& node, Measured& measured) {
  SIZER_RETURN_IF_ERROR(
      node.CheckKeys({"decode_tokens_per_s", "p95_token_latency_ms", "ttft_ms", "quality"}));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "decode_tokens_per_s", &YamlValue::AsPositiveNumber,
                                      measured.decode_tokens_per_s));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "p95_token_latency_ms", &YamlValue::AsPositiveNumber,
                                      measured.p95_token_latency_ms));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "ttft_ms", &YamlValue::AsPositiveNumber, measured.ttft_ms));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "quality", &YamlValue::AsFraction, measured.quality));
  return Status();
}

}  // namespace

StatusOr<Candidate> ParseJobCandidate(const YamlValue& node, const Catalog& catalog) {
  Candidate candidate;
  candidate.where = node.Where();
  SIZER_ASSIGN_OR_RETURN(candidate.node_json, node.ToJsonText());
  if (node.IsScalar()) {
    SIZER_ASSIGN_OR_RETURN(candidate.hardware, ParseHardwareRef(node, catalog));
  } else if (node.IsMap() && !node.Has("hardware")) {
    // An inline hardware mapping with the hardware_db fields.
    SIZER_ASSIGN_OR_RETURN(candidate.hardware, ParseHardwareSpec(node));
  } else {
    SIZER_RETURN_IF_ERROR(node.CheckKeys(
        {"hardware", "count", "nodes", "node_link", "parallelism", "offload", "measured"}));
    SIZER_ASSIGN_OR_RETURN(YamlValue hardware, node.Get("hardware"));
    SIZER_ASSIGN_OR_RETURN(candidate.hardware, ParseHardwareRef(hardware, catalog));
    SIZER_RETURN_IF_ERROR(
        ReadIfPresent(node, "count", &YamlValue::AsPositiveInt, candidate.count));
    if (candidate.count > 1024) {
      return node.GetOptional("count").Error("count above 1024 is not a single deployment");
    }
    SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "nodes", &YamlValue::AsPositiveInt, candidate.nodes));
    if (candidate.nodes > 256) {
      return node.GetOptional("nodes").Error("nodes above 256 is not a single deployment");
    }
    if (node.Has("node_link")) {
      YamlValue link = node.GetOptional("node_link");
      SIZER_RETURN_IF_ERROR(link.CheckKeys({"name", "bandwidth"}));
      SIZER_RETURN_IF_ERROR(ReadRequired(link, "name", &YamlValue::AsString, candidate.node_link.name));
      SIZER_ASSIGN_OR_RETURN(YamlValue bandwidth, link.Get("bandwidth"));
      SIZER_ASSIGN_OR_RETURN(candidate.node_link.bandwidth_bytes_per_s, bandwidth.AsBytesPerSecond());
      candidate.node_link.given = true;
      if (candidate.nodes == 1) {
        return link.Error("node_link describes the network between nodes: set nodes above 1");
      }
    }
    if (node.Has("parallelism")) {
      YamlValue p = node.GetOptional("parallelism");
      SIZER_ASSIGN_OR_RETURN(std::string mode, p.AsString());
      if (mode == "tensor") {
        candidate.parallelism = MultiDevice::kTensorParallel;
      } else if (mode == "layer") {
        candidate.parallelism = MultiDevice::kLayerSplit;
      } else {
        return p.Error("unknown parallelism '" + mode + "' (expected tensor or layer)");
      }
    }
    if (candidate.nodes > 1 && candidate.parallelism == MultiDevice::kLayerSplit) {
      return node.GetOptional("parallelism").Error(
          "with nodes, the devices of a node are tensor parallel and the nodes are pipeline "
          "stages; drop parallelism: layer");
    }
    if (node.Has("offload")) {
      YamlValue offload = node.GetOptional("offload");
      SIZER_RETURN_IF_ERROR(offload.CheckKeys({"gpu_layers", "host"}));
      OffloadSpec spec;
      SIZER_RETURN_IF_ERROR(
          ReadIfPresent(offload, "gpu_layers", &YamlValue::AsNonNegativeInt, spec.gpu_layers));
      SIZER_ASSIGN_OR_RETURN(YamlValue host, offload.Get("host"));
      SIZER_ASSIGN_OR_RETURN(spec.host, ParseHardwareRef(host, catalog));
      if (spec.host.kind != HardwareKind::kCpu) {
        return host.Error("the offload host must be a cpu-kind entry, got '" + spec.host.id +
                          "' (" + std::string(HardwareKindName(spec.host.kind)) + ")");
      }
      candidate.offload = spec;
    }
    if (node.Has("measured")) {
      SIZER_RETURN_IF_ERROR(ParseMeasured(node.GetOptional("measured"), candidate.measured));
    }
  }
  candidate.label = candidate.count > 1
                        ? std::to_string(candidate.count) + "x " + candidate.hardware.id
                        : candidate.hardware.id;
  if (candidate.nodes > 1) candidate.label = std::to_string(candidate.nodes) + " nodes x " + candidate.label;
  if (candidate.offload) candidate.label += " + offload";
  return candidate;
}

Status ParseJobQuant(const YamlValue& node, std::string& quant) {
  SIZER_ASSIGN_OR_RETURN(quant, node.AsString());
  const WeightFormat* format = FindWeightFormat(quant);
  if (format == nullptr) {
    return node.Error("unknown quant '" + quant + "'" + DidYouMean(quant, WeightFormatIds()));
  }
  quant = format->id;
  return Status();
}

Status ParseJobRuntime(const YamlValue& node, const Catalog& catalog, JobSpec& job) {
  SIZER_ASSIGN_OR_RETURN(std::string runtime, node.AsString());
  std::vector<std::string> ids;
  for (const RuntimeInfo& info : catalog.runtimes()) {
    if (EqualsIgnoreCase(info.id, runtime)) {
      job.runtime = info.id;
      job.runtime_info = info;
      return Status();
    }
    ids.push_back(info.id);
  }
  return node.Error("unknown runtime '" + runtime + "'" + DidYouMean(runtime, ids));
}

namespace {

Status ParseGates(const YamlValue& node, Gates& gates) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"reserve_fraction", "min_decode_tokens_per_s",
                                        "max_ttft_ms", "max_p95_token_latency_ms",
                                        "min_quality"}));
  if (node.Has("reserve_fraction")) {
    YamlValue r = node.GetOptional("reserve_fraction");
    SIZER_ASSIGN_OR_RETURN(double reserve, r.AsNumber());
    if (reserve < 0 || reserve >= 1) {
      return r.Error("reserve_fraction must be in [0, 1), got " + *r.AsString());
    }
    gates.reserve_fraction = reserve;
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "min_decode_tokens_per_s",
                                      &YamlValue::AsPositiveNumber,
                                      gates.min_decode_tokens_per_s));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "max_ttft_ms", &YamlValue::AsPositiveNumber, gates.max_ttft_ms));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "max_p95_token_latency_ms",
                                      &YamlValue::AsPositiveNumber,
                                      gates.max_p95_token_latency_ms));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "min_quality", &YamlValue::AsFraction, gates.min_quality));
  return Status();
}

Status ParseCost(const YamlValue& node, CostSpec& cost) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"requests_per_month", "hosted", "local",
                                        "local_fixed_monthly_usd"}));
  cost.present = true;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "requests_per_month", &YamlValue::AsNonNegativeNumber, cost.requests_per_month));
  SIZER_ASSIGN_OR_RETURN(YamlValue hosted, node.Get("hosted"));
  SIZER_RETURN_IF_ERROR(hosted.CheckKeys({"usd_per_1k_requests", "usd_per_million_input_tokens",
                                          "usd_per_million_output_tokens", "provider"}));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(hosted, "usd_per_1k_requests",
                                      &YamlValue::AsNonNegativeNumber,
                                      cost.hosted_usd_per_1k_requests));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(hosted, "usd_per_million_input_tokens",
                                      &YamlValue::AsNonNegativeNumber,
                                      cost.hosted_usd_per_million_input_tokens));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(hosted, "usd_per_million_output_tokens",
                                      &YamlValue::AsNonNegativeNumber,
                                      cost.hosted_usd_per_million_output_tokens));
  bool per_request = cost.hosted_usd_per_1k_requests.has_value();
  bool per_token = cost.hosted_usd_per_million_input_tokens.has_value() ||
                   cost.hosted_usd_per_million_output_tokens.has_value();
  if (per_request == per_token) {
    return hosted.Error(
        "give either usd_per_1k_requests or usd_per_million_input_tokens and "
        "usd_per_million_output_tokens");
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "local_fixed_monthly_usd",
                                      &YamlValue::AsNonNegativeNumber,
                                      cost.local_fixed_monthly_usd));
  if (node.Has("local")) {
    YamlValue local = node.GetOptional("local");
    SIZER_RETURN_IF_ERROR(local.CheckKeys({"fixed_monthly_usd", "hardware_price_usd",
                                           "amortization_months", "power_utilization",
                                           "electricity_usd_per_kwh", "operations_monthly_usd"}));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(local, "fixed_monthly_usd",
                                        &YamlValue::AsNonNegativeNumber,
                                        cost.local_fixed_monthly_usd));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(local, "hardware_price_usd",
                                        &YamlValue::AsNonNegativeNumber, cost.hardware_price_usd));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(local, "amortization_months",
                                        &YamlValue::AsPositiveNumber, cost.amortization_months));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(local, "power_utilization", &YamlValue::AsFraction,
                                        cost.power_utilization));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(local, "electricity_usd_per_kwh",
                                        &YamlValue::AsNonNegativeNumber,
                                        cost.electricity_usd_per_kwh));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(local, "operations_monthly_usd",
                                        &YamlValue::AsNonNegativeNumber,
                                        cost.operations_monthly_usd));
  }
  return Status();
}

Status ParseMemoryOverrides(const YamlValue& node, MemoryOverrides& m) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"weights_bytes", "kv_cache_bytes", "runtime_bytes",
                                        "activation_bytes", "fragmentation_bytes"}));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "weights_bytes", &YamlValue::AsBytes, m.weights_bytes));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "kv_cache_bytes", &YamlValue::AsBytes, m.kv_cache_bytes));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "runtime_bytes", &YamlValue::AsBytes, m.runtime_bytes));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "activation_bytes", &YamlValue::AsBytes, m.activation_bytes));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "fragmentation_bytes", &YamlValue::AsBytes, m.fragmentation_bytes));
  return Status();
}

Status ParseAssumptions(const YamlValue& node, AssumptionOverrides& a) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys(
      {"decode_efficiency", "prefill_efficiency", "fragmentation_fraction",
       "device_context_bytes", "fixed_runtime_bytes", "micro_batch_tokens",
       "gpu_memory_utilization", "kv_page_tokens", "recurrent_state_bytes_per_element",
       "allreduce_latency_us", "gpu_wired_limit_fraction", "keep_full_sliding_cache"}));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "decode_efficiency", &YamlValue::AsFraction, a.decode_efficiency));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "prefill_efficiency", &YamlValue::AsFraction, a.prefill_efficiency));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "fragmentation_fraction", &YamlValue::AsFraction,
                                      a.fragmentation_fraction));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "device_context_bytes", &YamlValue::AsBytes, a.device_context_bytes));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "fixed_runtime_bytes", &YamlValue::AsBytes, a.fixed_runtime_bytes));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "micro_batch_tokens", &YamlValue::AsPositiveInt, a.micro_batch_tokens));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "gpu_memory_utilization", &YamlValue::AsFraction,
                                      a.gpu_memory_utilization));
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(node, "kv_page_tokens", &YamlValue::AsPositiveInt, a.kv_page_tokens));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "recurrent_state_bytes_per_element",
                                      &YamlValue::AsPositiveNumber,
                                      a.recurrent_state_bytes_per_element));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "allreduce_latency_us",
                                      &YamlValue::AsNonNegativeNumber, a.allreduce_latency_us));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "gpu_wired_limit_fraction", &YamlValue::AsFraction,
                                      a.gpu_wired_limit_fraction));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "keep_full_sliding_cache", &YamlValue::AsBool,
                                      a.keep_full_sliding_cache));
  return Status();
}

Status ParseArtifacts(const YamlValue& node, std::vector<Artifact>& artifacts) {
  if (!node.IsSequence() || node.Items().empty()) {
    return node.Error("expected a non-empty list of artifacts ({quant, quality, file_bytes})");
  }
  for (const YamlValue& item : node.Items()) {
    SIZER_RETURN_IF_ERROR(item.CheckKeys({"quant", "quality", "file_bytes"}));
    Artifact artifact;
    artifact.where = item.Where();
    SIZER_ASSIGN_OR_RETURN(YamlValue quant, item.Get("quant"));
    SIZER_RETURN_IF_ERROR(ParseJobQuant(quant, artifact.quant));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(item, "quality", &YamlValue::AsFraction, artifact.quality));
    SIZER_RETURN_IF_ERROR(
        ReadIfPresent(item, "file_bytes", &YamlValue::AsPositiveBytes, artifact.file_bytes));
    artifacts.push_back(std::move(artifact));
  }
  return Status();
}

Status ParseRuntimeRequires(const YamlValue& node, std::vector<std::string>& requires_out) {
  SIZER_ASSIGN_OR_RETURN(requires_out, node.AsStringList());
  const std::vector<YamlValue> items = node.Items();
  for (size_t i = 0; i < requires_out.size(); ++i) {
    if (!IsRuntimeCapability(requires_out[i])) {
      return items[i].Error("unknown capability '" + requires_out[i] + "'" +
                            DidYouMean(requires_out[i], RuntimeCapabilityNames()) +
                            " (see 'sizer runtimes')");
    }
  }
  return Status();
}

Status ParseSmokeEval(const YamlValue& node, std::vector<SmokeCase>& cases) {
  if (!node.IsSequence() || node.Items().empty()) {
    return node.Error("expected a non-empty list of {question, expect, max_latency_ms}");
  }
  for (const YamlValue& item : node.Items()) {
    SIZER_RETURN_IF_ERROR(item.CheckKeys({"name", "question", "expect", "max_latency_ms", "max_tokens"}));
    SmokeCase c;
    c.where = item.Where();
    SIZER_RETURN_IF_ERROR(ReadRequired(item, "question", &YamlValue::AsString, c.question));
    SIZER_RETURN_IF_ERROR(ReadRequired(item, "expect", &YamlValue::AsString, c.expect));
    if (c.question.empty()) return item.GetOptional("question").Error("must not be empty");
    if (c.expect.empty()) return item.GetOptional("expect").Error("must not be empty");
    c.name = "case-" + std::to_string(cases.size() + 1);
    SIZER_RETURN_IF_ERROR(ReadIfPresent(item, "name", &YamlValue::AsString, c.name));
    for (char ch : c.name) {
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') {
        return item.GetOptional("name").Error("a case name uses letters, digits, '-', '_' and '.' only");
      }
    }
    SIZER_RETURN_IF_ERROR(
        ReadIfPresent(item, "max_latency_ms", &YamlValue::AsPositiveNumber, c.max_latency_ms));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(item, "max_tokens", &YamlValue::AsPositiveInt, c.max_tokens));
    if (c.max_tokens > 4096) return item.GetOptional("max_tokens").Error("a smoke case answers in at most 4096 tokens");
    for (const SmokeCase& other : cases) {
      if (other.name == c.name) return item.Error("duplicate case name '" + c.name + "'");
    }
    cases.push_back(std::move(c));
  }
  return Status();
}

// The weight format: a model file's own (a different quant in the job is a mistake, warned),
// else the job's `quant`, else one of the `artifacts` to choose from.
Status ParseJobWeightFormat(const YamlValue& root, JobSpec& job) {
  if (root.Has("artifacts")) {
    SIZER_RETURN_IF_ERROR(ParseArtifacts(root.GetOptional("artifacts"), job.artifacts));
  }
  if (job.model_file) {
    const std::string file_quant = job.model_file->file_type;
    if (root.Has("quant")) {
      YamlValue q = root.GetOptional("quant");
      SIZER_ASSIGN_OR_RETURN(std::string given, q.AsString());
      if (given != file_quant) {
        job.warnings.push_back(q.Where() + ": quant '" + given + "' ignored: " +
                               job.model_file->path + " is " + file_quant);
      }
    }
    job.quant = file_quant;
  } else if (root.Has("quant")) {
    SIZER_RETURN_IF_ERROR(ParseJobQuant(root.GetOptional("quant"), job.quant));
  } else if (job.artifacts.empty()) {
    return root.Error("missing required key 'quant' (or an 'artifacts' table to choose from)");
  }
  return Status();
}

Status ParseJobKvDtype(const YamlValue& root, JobSpec& job) {
  if (!root.Has("kv_cache_dtype")) return Status();
  YamlValue kv = root.GetOptional("kv_cache_dtype");
  SIZER_ASSIGN_OR_RETURN(job.kv_cache_dtype, kv.AsString());
  const KvDtype* dtype = FindKvDtype(job.kv_cache_dtype);
  if (dtype == nullptr) {
    return kv.Error("unknown kv_cache_dtype '" + job.kv_cache_dtype + "'" +
                    DidYouMean(job.kv_cache_dtype, KvDtypeIds()) + "; known: f16, bf16, fp8, "
                    "q8_0, q4_0, ...");
  }
  job.kv_cache_dtype = dtype->id;
  return Status();
}

Status ParseJobContext(const YamlValue& root, const JobParseOptions& options, JobSpec& job) {
  SIZER_ASSIGN_OR_RETURN(YamlValue context_node, root.Get("context_tokens"));
  SIZER_ASSIGN_OR_RETURN(job.context_tokens, context_node.AsPositiveInt());
  if (job.context_tokens > job.model.max_context_tokens) {
    std::string message = "context_tokens " + std::to_string(job.context_tokens) +
                          " exceeds the model's maximum of " +
                          std::to_string(job.model.max_context_tokens);
    if (options.strict) return context_node.Error(message);
    job.warnings.push_back(context_node.Where() + ": " + message);
  }
  return ReadIfPresent(root, "concurrency", &YamlValue::AsPositiveInt, job.concurrency);
}

// Prompt and output lengths, attention kernel, quality and sparsity of the requests.
Status ParseJobRequestShape(const YamlValue& root, JobSpec& job) {
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "prompt_tokens", &YamlValue::AsPositiveInt, job.prompt_tokens));
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "output_tokens", &YamlValue::AsPositiveInt, job.output_tokens));
  if (job.prompt_tokens + job.output_tokens > job.context_tokens) {
    job.warnings.push_back(root.GetOptional("prompt_tokens").Where() +
                           ": prompt_tokens + output_tokens (" +
                           std::to_string(job.prompt_tokens + job.output_tokens) +
                           ") exceed context_tokens (" + std::to_string(job.context_tokens) +
                           "); requests will be truncated");
  }
  SIZER_RETURN_IF_ERROR(
      ReadIfPresent(root, "flash_attention", &YamlValue::AsBool, job.flash_attention));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "quality", &YamlValue::AsFraction, job.quality));
  if (!root.Has("sparsity")) return Status();
  YamlValue s = root.GetOptional("sparsity");
  SIZER_RETURN_IF_ERROR(s.CheckKeys({"fraction", "structure"}));
  Sparsity sparsity;
  SIZER_RETURN_IF_ERROR(ReadRequired(s, "fraction", &YamlValue::AsFraction, sparsity.fraction));
  sparsity.structure = "unstructured";
  SIZER_RETURN_IF_ERROR(ReadIfPresent(s, "structure", &YamlValue::AsString, sparsity.structure));
  job.sparsity = sparsity;
  return Status();
}

Status ParseJobCandidates(const YamlValue& root, const Catalog& catalog, JobSpec& job) {
  SIZER_ASSIGN_OR_RETURN(YamlValue candidates, root.Get("candidates"));
  if (!candidates.IsSequence() || candidates.Items().empty()) {
    return candidates.Error("expected a non-empty list of hardware ids or mappings");
  }
  for (const YamlValue& item : candidates.Items()) {
    SIZER_ASSIGN_OR_RETURN(Candidate candidate, ParseJobCandidate(item, catalog));
    job.candidates.push_back(std::move(candidate));
  }
  return Status();
}

// The optional policy sections: gates, cost, memory overrides and assumptions.
Status ParseJobPolicies(const YamlValue& root, JobSpec& job) {
  if (root.Has("gates")) SIZER_RETURN_IF_ERROR(ParseGates(root.GetOptional("gates"), job.gates));
  if (root.Has("cost")) SIZER_RETURN_IF_ERROR(ParseCost(root.GetOptional("cost"), job.cost));
  if (root.Has("memory_overrides")) {
    SIZER_RETURN_IF_ERROR(
        ParseMemoryOverrides(root.GetOptional("memory_overrides"), job.memory_overrides));
  }
  if (root.Has("assumptions")) {
    SIZER_RETURN_IF_ERROR(ParseAssumptions(root.GetOptional("assumptions"), job.assumptions));
  }
  return Status();
}

StatusOr<JobSpec> ParseJobRoot(const YamlValue& root, const Catalog& catalog,
                               const JobParseOptions& options) {
  if (!root.IsMap()) return root.Error("a job must be a YAML mapping");
  SIZER_RETURN_IF_ERROR(root.CheckKeys(
      {"job", "description", "model", "quant", "kv_cache_dtype", "context_tokens", "concurrency",
       "runtime", "runtime_requires", "prompt_tokens", "output_tokens", "flash_attention",
       "quality", "sparsity", "candidates", "gates", "artifacts", "cost", "memory_overrides",
       "assumptions", "smoke_eval"}));
  JobSpec job;
  job.file = root.file();
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "job", &YamlValue::AsString, job.name));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "description", &YamlValue::AsString, job.description));
  SIZER_ASSIGN_OR_RETURN(YamlValue model_node, root.Get("model"));
  SIZER_ASSIGN_OR_RETURN(job.model,
                         ParseJobModel(model_node, catalog, job, options.model_file_resolver));
  SIZER_RETURN_IF_ERROR(ParseJobWeightFormat(root, job));
  SIZER_RETURN_IF_ERROR(ParseJobKvDtype(root, job));
  SIZER_RETURN_IF_ERROR(ParseJobContext(root, options, job));
  SIZER_ASSIGN_OR_RETURN(YamlValue runtime_node, root.Get("runtime"));
  SIZER_RETURN_IF_ERROR(ParseJobRuntime(runtime_node, catalog, job));
  if (root.Has("runtime_requires")) {
    SIZER_RETURN_IF_ERROR(ParseRuntimeRequires(root.GetOptional("runtime_requires"), job.runtime_requires));
  }
  if (root.Has("smoke_eval")) {
    SIZER_RETURN_IF_ERROR(ParseSmokeEval(root.GetOptional("smoke_eval"), job.smoke_eval));
  }
  SIZER_RETURN_IF_ERROR(ParseJobRequestShape(root, job));
  SIZER_RETURN_IF_ERROR(ParseJobCandidates(root, catalog, job));
  SIZER_RETURN_IF_ERROR(ParseJobPolicies(root, job));
  return job;
}

}  // namespace

StatusOr<JobSpec> ParseJobSpec(const std::string& text, const std::string& file_name,
                               const Catalog& catalog, const JobParseOptions& options) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Parse(text, file_name));
  return ParseJobRoot(root, catalog, options);
}

StatusOr<JobSpec> LoadJobSpec(const std::string& path, const Catalog& catalog,
                              const JobParseOptions& options) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Load(path));
  return ParseJobRoot(root, catalog, options);
}

}  // namespace sizer
