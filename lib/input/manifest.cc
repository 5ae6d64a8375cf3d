#include "input/manifest.h"

#include <algorithm>
#include <filesystem>

#include "base/sha256.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

bool IsGgufPath(const std::string& p) {
  return p.size() > 5 && p.compare(p.size() - 5, 5, ".gguf") == 0;
}

std::string Beside(const std::string& manifest, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(manifest).parent_path() / p).lexically_normal().string();
}

StatusOr<ArtifactRef> ParseArtifact(const YamlValue& node, const std::string& manifest) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"path", "uri", "sha256"}));
  ArtifactRef a;
  a.where = node.Where();
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "path", &YamlValue::AsString, a.path));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "uri", &YamlValue::AsString, a.uri));
  if (a.path.empty() && a.uri.empty()) return node.Error("an artifact needs a path or a uri");
  if (!a.path.empty()) a.path = Beside(manifest, a.path);
  SIZER_ASSIGN_OR_RETURN(YamlValue sha, node.Get("sha256"));
  SIZER_ASSIGN_OR_RETURN(a.sha256, sha.AsString());
  std::transform(a.sha256.begin(), a.sha256.end(), a.sha256.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!IsSha256Hex(a.sha256)) return sha.Error("expected 64 hex digits");
  return a;
}

Status ParseCases(const YamlValue& node, EvalSpec& eval) {
  if (!node.IsSequence()) return node.Error("expected a list of cases");
  for (const YamlValue& item : node.Items()) {
    SIZER_RETURN_IF_ERROR(item.CheckKeys({"name", "correct", "has_citation", "latency_ms", "question", "answer"}));
    EvalCase c;
    c.where = item.Where();
    SIZER_RETURN_IF_ERROR(ReadRequired(item, "name", &YamlValue::AsString, c.name));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(item, "correct", &YamlValue::AsBool, c.correct));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(item, "has_citation", &YamlValue::AsBool, c.has_citation));
    SIZER_RETURN_IF_ERROR(
        ReadIfPresent(item, "latency_ms", &YamlValue::AsNonNegativeNumber, c.latency_ms));
    eval.cases.push_back(std::move(c));
  }
  return Status();
}

StatusOr<EvalSpec> ParseEval(const YamlValue& node, const std::string& manifest) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys({"results", "cases", "gates"}));
  EvalSpec eval;
  if (node.Has("results") == node.Has("cases")) {
    return node.Error("give either 'results' (a file of cases) or inline 'cases'");
  }
  if (node.Has("cases")) {
    eval.source = "inline";
    SIZER_RETURN_IF_ERROR(ParseCases(node.GetOptional("cases"), eval));
  } else {
    SIZER_ASSIGN_OR_RETURN(std::string file, node.GetOptional("results").AsString());
    eval.source = Beside(manifest, file);
    StatusOr<YamlValue> results = YamlValue::Load(eval.source);  // YAML, or JSON (a YAML subset)
    if (!results.ok()) return node.GetOptional("results").Error(results.status().message());
    YamlValue cases = results->IsMap() ? results->GetOptional("cases") : *results;
    SIZER_RETURN_IF_ERROR(ParseCases(cases, eval));
  }
  if (node.Has("gates")) {
    YamlValue gates = node.GetOptional("gates");
    SIZER_RETURN_IF_ERROR(gates.CheckKeys({"max_latency_ms", "required_fields", "require_citation"}));
    SIZER_RETURN_IF_ERROR(
        ReadIfPresent(gates, "max_latency_ms", &YamlValue::AsPositiveNumber, eval.max_latency_ms));
    SIZER_RETURN_IF_ERROR(
        ReadIfPresent(gates, "require_citation", &YamlValue::AsBool, eval.require_citation));
    if (gates.Has("required_fields")) {
      YamlValue fields = gates.GetOptional("required_fields");
      SIZER_ASSIGN_OR_RETURN(eval.required_fields, fields.AsStringList());
      for (const std::string& f : eval.required_fields) {
        if (f != "correct" && f != "has_citation" && f != "latency_ms") {
          return fields.Error("unknown field '" + f + "' (expected correct, has_citation, latency_ms)");
        }
      }
    }
  }
  return eval;
}

}  // namespace

namespace {

// The model of the release as a sizing job. When the artifact is a GGUF and `model` is an id,
// the plan still reads the GGUF: its real tensor bytes beat any estimate. A missing or broken
// file is a release defect, not a manifest error: it becomes the plan blocker and checks fail.
Status ParseManifestModel(const YamlValue& root, const Catalog& catalog, ReleaseManifest& m) {
  JobSpec& job = m.job;
  SIZER_ASSIGN_OR_RETURN(YamlValue model_node, root.Get("model"));
  // The GGUF to plan from: `model:` when it names one, else the artifact when it is one.
  std::string gguf_path;
  if (model_node.IsScalar() && IsGgufPath(*model_node.AsString())) {
    gguf_path = Beside(m.file, *model_node.AsString());
    job.model_ref = *model_node.AsString();
  } else {
    SIZER_ASSIGN_OR_RETURN(job.model, ParseJobModel(model_node, catalog, job));
    if (IsGgufPath(m.artifact.path)) gguf_path = m.artifact.path;
  }
  if (gguf_path.empty()) return Status();
  StatusOr<gguf::Artifact> gguf = gguf::Artifact::Open(gguf_path);
  StatusOr<ModelSpec> from_file =
      gguf.ok() ? ModelFromGguf(*gguf) : StatusOr<ModelSpec>(gguf.status());
  if (from_file.ok()) {
    const int64_t db_max_context = job.model.max_context_tokens;
    job.model = *from_file;
    if (db_max_context > 0) {
      job.model.max_context_tokens = std::min(job.model.max_context_tokens, db_max_context);
    }
    job.model_file = DescribeArtifact(*gguf);
  } else if (job.model.n_layers == 0) {
    m.plan_blocker = "cannot read the model file: " + from_file.status().message();
  } else {
    m.plan_blocker = "cannot read the artifact as a GGUF: " + from_file.status().message();
  }
  return Status();
}

// Format, context, runtime and request shape. The gate is about memory; the speed figures use
// a typical request (512 prompt + 128 output tokens) unless the manifest gives one.
Status ParseManifestServing(const YamlValue& root, const Catalog& catalog, ReleaseManifest& m) {
  JobSpec& job = m.job;
  if (job.model_file) {
    job.quant = job.model_file->file_type;
  } else if (root.Has("quant")) {
    SIZER_RETURN_IF_ERROR(ParseJobQuant(root.GetOptional("quant"), job.quant));
  } else if (m.plan_blocker.empty()) {
    return root.Error("missing required key 'quant' (or a GGUF model or artifact to read it from)");
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "kv_cache_dtype", &YamlValue::AsString, job.kv_cache_dtype));
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "context_tokens", &YamlValue::AsPositiveInt, job.context_tokens));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "concurrency", &YamlValue::AsPositiveInt, job.concurrency));
  SIZER_ASSIGN_OR_RETURN(YamlValue runtime, root.Get("runtime"));
  SIZER_RETURN_IF_ERROR(ParseJobRuntime(runtime, catalog, job));
  job.prompt_tokens = 512;
  job.output_tokens = 128;
  SIZER_RETURN_IF_ERROR(ReadIfPresent(root, "prompt_tokens", &YamlValue::AsPositiveInt, job.prompt_tokens));
  return ReadIfPresent(root, "output_tokens", &YamlValue::AsPositiveInt, job.output_tokens);
}

// `target`: one hardware id or mapping, or a list of them; then the reserve policy.
Status ParseManifestTargets(const YamlValue& root, const Catalog& catalog, JobSpec& job) {
  SIZER_ASSIGN_OR_RETURN(YamlValue target, root.Get("target"));
  if (target.IsSequence() && target.Items().empty()) {
    return target.Error("expected at least one target");
  }
  const std::vector<YamlValue> items =
      target.IsSequence() ? target.Items() : std::vector<YamlValue>{target};
  for (const YamlValue& item : items) {
    SIZER_ASSIGN_OR_RETURN(Candidate c, ParseJobCandidate(item, catalog));
    job.candidates.push_back(std::move(c));
  }
  if (!root.Has("reserve_fraction")) return Status();
  YamlValue r = root.GetOptional("reserve_fraction");
  SIZER_ASSIGN_OR_RETURN(double reserve, r.AsNumber());
  if (reserve < 0 || reserve >= 1) return r.Error("reserve_fraction must be in [0, 1)");
  job.gates.reserve_fraction = reserve;
  return Status();
}

StatusOr<PreviousRelease> ParsePreviousRelease(const YamlValue& prev, const std::string& path) {
  SIZER_RETURN_IF_ERROR(prev.CheckKeys({"model_version", "artifact"}));
  PreviousRelease p;
  SIZER_RETURN_IF_ERROR(ReadRequired(prev, "model_version", &YamlValue::AsString, p.model_version));
  SIZER_ASSIGN_OR_RETURN(YamlValue prev_artifact, prev.Get("artifact"));
  SIZER_ASSIGN_OR_RETURN(p.artifact, ParseArtifact(prev_artifact, path));
  return p;
}

}  // namespace

StatusOr<ReleaseManifest> LoadManifest(const std::string& path, const Catalog& catalog) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Load(path));
  if (!root.IsMap()) return root.Error("a release manifest must be a YAML mapping");
  SIZER_RETURN_IF_ERROR(root.CheckKeys(
      {"model_version", "artifact", "model", "quant", "kv_cache_dtype", "context_tokens",
       "concurrency", "runtime", "prompt_tokens", "output_tokens", "target", "reserve_fraction",
       "previous", "eval", "notes"}));
  ReleaseManifest m;
  m.file = path;
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "model_version", &YamlValue::AsString, m.model_version));
  SIZER_ASSIGN_OR_RETURN(YamlValue artifact, root.Get("artifact"));
  SIZER_ASSIGN_OR_RETURN(m.artifact, ParseArtifact(artifact, path));
  m.job.file = path;
  m.job.name = m.model_version;
  SIZER_RETURN_IF_ERROR(ParseManifestModel(root, catalog, m));
  SIZER_RETURN_IF_ERROR(ParseManifestServing(root, catalog, m));
  SIZER_RETURN_IF_ERROR(ParseManifestTargets(root, catalog, m.job));
  if (root.Has("previous")) {
    SIZER_ASSIGN_OR_RETURN(m.previous, ParsePreviousRelease(root.GetOptional("previous"), path));
  }
  if (root.Has("eval")) {
    SIZER_ASSIGN_OR_RETURN(m.eval, ParseEval(root.GetOptional("eval"), path));
  }
  return m;
}

StatusOr<PreviousRelease> LoadReleaseIdentity(const std::string& path) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Load(path));
  if (!root.IsMap()) return root.Error("a release manifest must be a YAML mapping");
  PreviousRelease release;
  SIZER_RETURN_IF_ERROR(ReadRequired(root, "model_version", &YamlValue::AsString, release.model_version));
  SIZER_ASSIGN_OR_RETURN(YamlValue artifact, root.Get("artifact"));
  SIZER_ASSIGN_OR_RETURN(release.artifact, ParseArtifact(artifact, path));
  return release;
}

}  // namespace sizer
