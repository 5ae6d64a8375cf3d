// README.md for the operator: how to run the bundle, and every setting with its origin.
#include "base/format.h"
#include "deploy/bundle.h"

namespace sizer {
namespace {

std::string Int(int64_t v) { return std::to_string(v); }

// A Markdown table cell: pipes escaped, newlines flattened.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string HowToRun(const Deployment& d) {
  const std::string base = "http://localhost:" + Int(d.port);
  switch (d.packaging) {
    case Packaging::kCompose:
      return "```sh\n"
             "docker compose up -d            # pulls " + d.image + ", starts the server\n"
             "docker compose ps               # STATUS turns (healthy) once the weights are loaded\n"
             "./healthcheck.sh " + base + "\n"
             "./smoke_eval.sh " + base + "    # golden questions; writes smoke-results.json\n"
             "sizer check release.yaml        # the release gate: checksum, fit, rollback, smoke eval\n"
             "```\n\n"
             "The weights are bind-mounted read-only from `" + d.model_host_path + "` to `" +
             d.model_container_path + "`." +
             (d.gpus_per_node > 0 ? " GPUs are reserved through the NVIDIA Container Toolkit "
                                    "(`deploy.resources.reservations.devices`, " + Int(d.gpus_per_node) +
                                    " device(s))."
                                  : "") +
             "\n";
    case Packaging::kKubernetes:
      return "Prerequisites: the LeaderWorkerSet controller (https://lws.sigs.k8s.io/docs/installation/), " +
             Int(d.nodes) + " nodes with " + Int(d.gpus_per_node) +
             " NVIDIA GPUs each (device plugin: `nvidia.com/gpu`), and a ReadOnlyMany "
             "PersistentVolumeClaim named `" + DeployName(d) + "-model` that holds `" +
             d.model_container_path.substr(std::string("/models/").size()) + "` at its root.\n\n"
             "```sh\n"
             "kubectl apply -f k8s/            # LeaderWorkerSet (leader + workers) and its Service\n"
             "kubectl get pods -w              # the leader turns Ready once /health answers\n"
             "kubectl port-forward svc/" + DeployName(d) + " " + Int(d.port) + ":" + Int(d.port) + " &\n"
             "./smoke_eval.sh " + base + "\n"
             "sizer check release.yaml\n"
             "```\n\n"
             "The leader runs the Ray head and vLLM's API server; each worker joins the Ray "
             "cluster (vLLM docs: deployment/frameworks/lws). Tensor parallel = GPUs per node, "
             "pipeline parallel = nodes.\n";
    case Packaging::kNative:
      return "No container image reaches this machine's GPU (Metal is not exposed to Linux "
             "containers), so the server runs natively. Install `" + d.executable + "` " +
             d.runtime.version + ", then:\n\n"
             "```sh\n"
             "./run.sh &                      # starts " + d.executable + " with the planned flags\n"
             "./healthcheck.sh " + base + "\n"
             "./smoke_eval.sh " + base + "\n"
             "sizer check release.yaml\n"
             "```\n";
  }
  return "";
}

}  // namespace

BundleFile RenderOperatorReadme(const Deployment& d, const BundleContext& context,
                                const std::vector<BundleFile>& files) {
  const JobSpec& job = d.job();
  const CandidateWorksheet& ws = d.worksheet();
  std::string t = "# Deployment bundle: " + d.release_name + "\n\n";
  t += "Written by `sizer deploy` from `" + job.file + "` for the admitted candidate **" +
       ws.candidate.label + "**: " + job.model_ref + " (" + d.plan->quant + ") on " + d.runtime.name +
       " " + d.runtime.version + ", " + std::string(PackagingName(d.packaging)) + ".\n"
       "Every flag below is derived from the plan; regenerate the bundle instead of editing a flag, "
       "so what runs never drifts from what was sized.\n\n";
  t += "## Run it\n\n" + HowToRun(d) + "\n";
  t += "## Settings and where they come from\n\n| setting | flag | value | from |\n|---|---|---|---|\n";
  for (const DeploySetting& s : d.settings) {
    t += "| " + Cell(s.name) + " | `" + Cell(s.flag) + "` | " + (s.value.empty() ? "(switch)" : "`" + Cell(s.value) + "`") +
         " | " + Cell(s.from) + " |\n";
  }
  if (!d.image.empty()) {
    t += "| image | | `" + d.image + "` | runtime_db/" + d.runtime.id + ".yaml (" + Cell(d.image_source) + ") |\n";
  }
  t += "\n## Endpoints\n\n";
  t += "- OpenAI-compatible API: `http://HOST:" + Int(d.port) + d.runtime.endpoints.openai_base + "`\n";
  t += "- Health: " + (d.runtime.endpoints.health.empty() ? std::string("none (the health check probes the API)")
                                                          : "`" + d.runtime.endpoints.health + "`") +
       " (compose healthcheck / readiness probe / `healthcheck.sh`)\n";
  t += "- Metrics: " + (d.runtime.endpoints.metrics.empty() ? std::string("none")
                                                            : "`http://HOST:" + Int(d.port) + d.runtime.endpoints.metrics +
                                                                  "` (Prometheus text format)") + "\n";
  t += "- Source: " + d.runtime.endpoints.source + "\n\n";
  t += "## Memory split and interconnect the plan assumed\n\n";
  for (const std::string& n : d.notes) t += "- " + n + "\n";
  t += "\n## Smoke eval\n\n";
  if (job.smoke_eval.empty()) {
    t += "The job has no `smoke_eval` questions, so `smoke_eval.sh` only reports that; add them to the "
         "job (question, expect, optional max_latency_ms) and run `sizer deploy` again. Until then "
         "`sizer check release.yaml` fails its smoke-eval check.\n";
  } else {
    t += "`smoke_eval.sh` sends each question to `" + d.runtime.endpoints.openai_base +
         "/chat/completions` (temperature 0) and fails when the reply lacks the expected text or "
         "takes longer than the gate. A gate the job does not give is the worksheet's time to "
         "first token plus max_tokens x its p95 token latency.\n\n| case | expect | max tokens | gate (ms) |\n|---|---|---|---|\n";
    for (const SmokeCase& c : job.smoke_eval) {
      t += "| " + Cell(c.name) + " | " + Cell(c.expect) + " | " + Int(c.max_tokens) + " | " +
           FormatFixed(SmokeLatencyGateMs(d, c), 0) + (c.max_latency_ms ? " (job)" : " (plan)") + " |\n";
    }
  }
  t += "\n## Release gate and rollback\n\n"
       "`release.yaml` is a manifest for `sizer check` (see `sizer check --help`): the artifact and its "
       "sha256, the serving settings above, the target, the reserve, the smoke-eval results and the "
       "previous release.\n";
  if (context.previous_release.empty()) {
    t += "No previous release was given (`--previous-release`), so the rollback check fails until "
         "the manifest names one.\n";
  } else {
    t += "Rollback: the previous release is `" + context.previous_model_version + "` (`" +
         context.previous_release + "`); start that bundle again (from its folder: `docker compose up -d`, "
         "`kubectl apply -f k8s/` or `./run.sh`) after stopping this one.\n";
  }
  if (d.model_sha256.empty()) {
    t += "\n`artifact.sha256` is a placeholder (64 zeros) because the weights were not readable "
         "when the bundle was written: run `sha256sum " + d.model_host_path + "` and fill it in.\n";
  }
  if (!d.warnings.empty()) {
    t += "\n## Warnings\n\n";
    for (const std::string& w : d.warnings) t += "- " + w + "\n";
  }
  t += "\n## Files\n\n";
  for (const BundleFile& f : files) t += "- `" + f.path + "`\n";
  t += "- `README.md`\n";
  return {"README.md", t, false};
}

}  // namespace sizer
