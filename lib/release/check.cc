#include "release/check.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "base/format.h"
#include "base/sha256.h"
#include "plan/planner.h"

namespace sizer {
namespace {

CheckResult Pass(std::string name, std::string message) {
  return {std::move(name), CheckStatus::kPass, std::move(message), {}};
}
CheckResult Fail(std::string name, std::string message, std::vector<std::string> details = {}) {
  return {std::move(name), CheckStatus::kFail, std::move(message), std::move(details)};
}

// "" when the file's SHA-256 is `ref.sha256`, else why not.
std::string ChecksumProblem(const ArtifactRef& ref, const CheckOptions& options) {
  if (ref.path.empty()) return "no local path (only " + ref.uri + "): cannot verify";
  StatusOr<std::string> digest = Sha256File(ref.path, [&](uint64_t done, uint64_t total) {
    if (options.progress) options.progress(ref.path, done, total);
  });
  if (!digest.ok()) return digest.status().message();
  if (*digest != ref.sha256) {
    return ref.path + ": sha256 " + *digest + " does not match the manifest's " + ref.sha256;
  }
  return "";
}

CheckResult ArtifactCheck(const ReleaseManifest& m, const CheckOptions& options) {
  if (options.skip_checksum) {
    if (m.artifact.path.empty() || !std::filesystem::exists(m.artifact.path)) {
      return Fail("artifact", "the artifact " + (m.artifact.path.empty() ? m.artifact.uri : m.artifact.path) +
                                  " is not available locally");
    }
    return {"artifact", CheckStatus::kSkip, "checksum not verified (--skip-checksum)", {}};
  }
  std::string problem = ChecksumProblem(m.artifact, options);
  if (!problem.empty()) return Fail("artifact", problem);
  return Pass("artifact", m.artifact.path + ": sha256 matches");
}

CheckResult FitCheck(const ReleaseManifest& m, const Plan* plan) {
  if (!m.plan_blocker.empty()) return Fail("fit", m.plan_blocker);
  if (plan == nullptr) return Fail("fit", "the release could not be planned");
  std::vector<std::string> details;
  bool all = true;
  for (const CandidateWorksheet& ws : plan->candidates) {
    const DeviceBudget& d = ws.memory.binding_device();
    std::string line = ws.candidate.label + ": " + std::string(VerdictName(ws.verdict)) + ", " +
                       FormatBytes(d.planned_bytes) + " planned of " + FormatBytes(d.usable_bytes) +
                       " usable (reserve " + FormatPercent(m.job.gates.reserve_fraction) + ")";
    for (const std::string& r : ReasonTexts(ws.reasons)) line += "; " + r;
    details.push_back(line);
    all = all && ws.admitted();
  }
  if (!all) return Fail("fit", "the release is not admitted on every target", details);
  return {"fit", CheckStatus::kPass,
          "admitted on " + std::to_string(plan->candidates.size()) + " target(s) with the reserve",
          details};
}

CheckResult RollbackCheck(const ReleaseManifest& m, const CheckOptions& options,
                          std::vector<std::string>& warnings) {
  if (!m.previous) {
    return Fail("rollback", "no previous release: the manifest names nothing to roll back to");
  }
  const PreviousRelease& p = *m.previous;
  if (options.skip_checksum) {
    if (p.artifact.path.empty() || !std::filesystem::exists(p.artifact.path)) {
      return Fail("rollback", "the previous release " + p.model_version + "'s artifact is not available locally");
    }
  } else {
    std::string problem = ChecksumProblem(p.artifact, options);
    if (!problem.empty()) return Fail("rollback", "previous release " + p.model_version + ": " + problem);
  }
  // Would the previous release still fit the target? Only a GGUF can be planned here.
  if (!p.artifact.path.empty() && p.artifact.path.size() > 5 &&
      p.artifact.path.compare(p.artifact.path.size() - 5, 5, ".gguf") == 0) {
    StatusOr<gguf::Artifact> gguf = gguf::Artifact::Open(p.artifact.path);
    StatusOr<ModelSpec> model = gguf.ok() ? ModelFromGguf(*gguf) : StatusOr<ModelSpec>(gguf.status());
    if (!model.ok()) {
      warnings.push_back("rollback: cannot tell whether the previous release " + p.model_version +
                         " still fits: " + model.status().message());
    } else {
      JobSpec previous = m.job;
      previous.model = *model;
      previous.model_file = DescribeArtifact(*gguf);
      previous.quant = previous.model_file->file_type;
      StatusOr<Plan> plan = MakePlan(previous);
      if (!plan.ok()) {
        warnings.push_back("rollback: cannot plan the previous release " + p.model_version + ": " +
                           plan.status().message());
      } else if (!plan->recommended) {
        warnings.push_back("rollback: the previous release " + p.model_version +
                           " would no longer fit the target with these settings");
      }
    }
  }
  return Pass("rollback", "previous release " + p.model_version +
                              (options.skip_checksum ? " is present" : "'s artifact checksum holds"));
}

CheckResult EvalCheck(const ReleaseManifest& m) {
  if (!m.eval) return Fail("eval", "no smoke eval: the manifest carries no eval cases");
  const EvalSpec& e = *m.eval;
  if (e.cases.empty()) return Fail("eval", "the smoke eval has no cases");
  auto required = [&](const std::string& field) {
    return std::find(e.required_fields.begin(), e.required_fields.end(), field) != e.required_fields.end();
  };
  std::vector<std::string> problems;
  for (const EvalCase& c : e.cases) {
    if (!c.correct) {
      problems.push_back(c.name + ": no 'correct' field");
    } else if (!*c.correct) {
      problems.push_back(c.name + ": answer was wrong");
    }
    const bool citation_required = e.require_citation || required("has_citation");
    if (citation_required && !c.has_citation) {
      problems.push_back(c.name + ": no 'has_citation' field");
    } else if (e.require_citation && c.has_citation && !*c.has_citation) {
      problems.push_back(c.name + ": answer carried no citation");
    }
    if ((e.max_latency_ms || required("latency_ms")) && !c.latency_ms) {
      problems.push_back(c.name + ": no 'latency_ms' field");
    } else if (e.max_latency_ms && c.latency_ms && *c.latency_ms > *e.max_latency_ms) {
      problems.push_back(c.name + ": " + FormatFixed(*c.latency_ms, 0) + " ms exceeds the gate of " +
                         FormatFixed(*e.max_latency_ms, 0) + " ms");
    }
  }
  if (!problems.empty()) {
    return Fail("eval", std::to_string(problems.size()) + " problem(s) in " +
                            std::to_string(e.cases.size()) + " case(s)", problems);
  }
  return Pass("eval", std::to_string(e.cases.size()) + " case(s) correct" +
                          (e.require_citation ? ", cited" : "") +
                          (e.max_latency_ms ? ", within " + FormatFixed(*e.max_latency_ms, 0) + " ms" : ""));
}

CheckResult ContextCheck(const ReleaseManifest& m) {
  if (!m.plan_blocker.empty()) return Fail("context", "unknown model maximum: " + m.plan_blocker);
  const int64_t max = m.job.model.max_context_tokens;
  if (m.job.context_tokens > max) {
    return Fail("context", "context_tokens " + std::to_string(m.job.context_tokens) +
                               " exceeds the model's maximum of " + std::to_string(max));
  }
  return Pass("context", "context_tokens " + std::to_string(m.job.context_tokens) + " within the model's " +
                             std::to_string(max));
}

}  // namespace

std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass: return "pass";
    case CheckStatus::kFail: return "fail";
    case CheckStatus::kSkip: return "skip";
  }
  return "?";
}

bool CheckReport::passed() const {
  for (const CheckResult& c : checks) {
    if (c.status == CheckStatus::kFail) return false;
  }
  return !checks.empty();
}

CheckReport CheckRelease(const ReleaseManifest& m, const CheckOptions& options) {
  CheckReport report;
  report.subject = m.file;
  report.model_version = m.model_version;
  report.checks.push_back(ArtifactCheck(m, options));
  std::optional<Plan> plan;
  if (m.plan_blocker.empty()) {
    StatusOr<Plan> made = MakePlan(m.job);
    if (made.ok()) plan = std::move(made).value();
  }
  report.checks.push_back(FitCheck(m, plan ? &*plan : nullptr));
  report.checks.push_back(RollbackCheck(m, options, report.warnings));
  report.checks.push_back(EvalCheck(m));
  report.checks.push_back(ContextCheck(m));
  report.warnings.insert(report.warnings.end(), m.job.warnings.begin(), m.job.warnings.end());
  return report;
}

StatusOr<CheckReport> CheckJobAdmits(const JobSpec& job, const std::string& hardware) {
  SIZER_ASSIGN_OR_RETURN(Plan plan, MakePlan(job));
  CheckReport report;
  report.subject = job.file;
  for (const CandidateWorksheet& ws : plan.candidates) {
    if (ws.candidate.hardware.id != hardware && ws.candidate.label != hardware) continue;
    const DeviceBudget& d = ws.memory.binding_device();
    std::string summary = FormatBytes(d.planned_bytes) + " planned of " + FormatBytes(d.usable_bytes) + " usable";
    report.checks.push_back(ws.admitted() ? Pass("admit:" + ws.candidate.label, "admitted: " + summary)
                                        : Fail("admit:" + ws.candidate.label, "rejected: " + summary, ReasonTexts(ws.reasons)));
  }
  if (report.checks.empty()) {
    std::string labels;
    for (const CandidateWorksheet& ws : plan.candidates) labels += (labels.empty() ? "" : ", ") + ws.candidate.label;
    return Status::NotFound("no candidate '" + hardware + "' in " + job.file + " (candidates: " + labels + ")");
  }
  report.warnings = RenderFormulas(plan.warnings);
  return report;
}

}  // namespace sizer
