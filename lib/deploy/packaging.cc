// compose.yaml, Kubernetes manifests (multi-node vLLM on LeaderWorkerSet) or run.sh.
#include <cctype>

#include "base/format.h"
#include "deploy/bundle.h"
#include "deploy/yaml_text.h"

namespace sizer {
namespace {

using Json = nlohmann::ordered_json;

std::string Int(int64_t v) { return std::to_string(v); }

std::string HealthUrl(const Deployment& d) {
  return "http://localhost:" + Int(d.port) + d.runtime.endpoints.health;
}

// A shell word: plain flags, numbers and paths pass; anything else is single-quoted.
std::string ShellQuote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string("-_./:=,+@%").find(c) == std::string::npos) {
      plain = false;
    }
  }
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Header(const Deployment& d, const std::string& what) {
  const CandidateWorksheet& ws = d.worksheet();
  std::string text = what + " for release " + d.release_name + ", written by `sizer deploy` from " +
                     d.job().file + "\n(candidate " + ws.candidate.label + ", runtime " + d.runtime.id +
                     " " + d.runtime.version + "). Every flag comes from the plan: see README.md.\n"
                     "Regenerate rather than edit, so the flags never drift from the worksheet.\n";
  for (const std::string& note : d.notes) text += "  " + note + "\n";
  return YamlComment(text);
}

Json Healthcheck(const Deployment& d) {
  // The runtime's own health endpoint; start_period covers loading the weights.
  return Json{{"test", Json::array({"CMD", "curl", "-fsS", HealthUrl(d)})},
              {"interval", "30s"},
              {"timeout", "5s"},
              {"retries", 3},
              {"start_period", "600s"}};
}

BundleFile Compose(const Deployment& d) {
  Json service;
  service["image"] = d.image;
  service["command"] = d.args;
  service["ports"] = Json::array({Int(d.port) + ":" + Int(d.port)});
  service["volumes"] = Json::array({Json{{"type", "bind"},
                                         {"source", d.model_host_path},
                                         {"target", d.model_container_path},
                                         {"read_only", true}}});
  if (d.runtime.id == "vllm") service["ipc"] = "host";  // PyTorch shares tensors through /dev/shm
  if (d.gpus_per_node > 0) {
    service["deploy"] = Json{
        {"resources",
         {{"reservations",
           {{"devices", Json::array({Json{{"driver", "nvidia"},
                                          {"count", d.gpus_per_node},
                                          {"capabilities", Json::array({"gpu"})}}})}}}}}};
  }
  if (!d.runtime.endpoints.health.empty()) service["healthcheck"] = Healthcheck(d);
  service["restart"] = "unless-stopped";
  Json labels;
  labels["sizer.release"] = d.release_name;
  labels["sizer.candidate"] = d.worksheet().candidate.label;
  if (!d.runtime.endpoints.metrics.empty()) {
    labels["sizer.metrics"] = "http://localhost:" + Int(d.port) + d.runtime.endpoints.metrics;
  }
  service["labels"] = labels;
  Json compose;
  compose["name"] = DeployName(d);
  compose["services"] = Json{{"llm", service}};
  return {"compose.yaml", Header(d, "docker compose file") + ToYamlText(compose), false};
}

// vLLM across nodes, after vLLM's LWS deployment guide (docs/deployment/frameworks/lws.md):
// the leader starts the Ray head and the API server, the workers join the Ray cluster;
// tensor parallel = GPUs per node, pipeline parallel = nodes.
std::vector<BundleFile> Kubernetes(const Deployment& d) {
  const std::string name = DeployName(d);
  const std::string gpus = Int(d.gpus_per_node);
  std::string server = "python3 -m vllm.entrypoints.openai.api_server";
  for (const std::string& a : d.args) server += " " + ShellQuote(a);
  Json mounts = Json::array({Json{{"name", "dshm"}, {"mountPath", "/dev/shm"}},
                             Json{{"name", "model"}, {"mountPath", "/models"}, {"readOnly", true}}});
  Json volumes = Json::array(
      {Json{{"name", "dshm"}, {"emptyDir", {{"medium", "Memory"}, {"sizeLimit", "16Gi"}}}},
       Json{{"name", "model"},
            {"persistentVolumeClaim", {{"claimName", name + "-model"}, {"readOnly", true}}}}});
  Json limits = {{"nvidia.com/gpu", gpus}};
  Json leader = {
      {"name", "vllm-leader"},
      {"image", d.image},
      {"command",
       Json::array({"sh", "-c",
                    "bash /vllm-workspace/examples/online_serving/multi-node-serving.sh leader "
                    "--ray_cluster_size=$(LWS_GROUP_SIZE); exec " + server})},
      {"resources", {{"limits", limits}}},
      {"ports", Json::array({Json{{"containerPort", d.port}, {"name", "http"}}})},
      {"readinessProbe",
       {{"httpGet", {{"path", d.runtime.endpoints.health}, {"port", d.port}}},
        {"initialDelaySeconds", 60},
        {"periodSeconds", 10}}},
      {"livenessProbe",
       {{"httpGet", {{"path", d.runtime.endpoints.health}, {"port", d.port}}},
        {"initialDelaySeconds", 900},
        {"periodSeconds", 30},
        {"failureThreshold", 3}}},
      {"volumeMounts", mounts}};
  Json worker = {
      {"name", "vllm-worker"},
      {"image", d.image},
      {"command", Json::array({"sh", "-c",
                               "bash /vllm-workspace/examples/online_serving/multi-node-serving.sh "
                               "worker --ray_address=$(LWS_LEADER_ADDRESS)"})},
      {"resources", {{"limits", limits}}},
      {"volumeMounts", mounts}};
  Json annotations = {{"prometheus.io/scrape", "true"},
                      {"prometheus.io/port", Int(d.port)},
                      {"prometheus.io/path", d.runtime.endpoints.metrics}};
  Json lws = {
      {"apiVersion", "leaderworkerset.x-k8s.io/v1"},
      {"kind", "LeaderWorkerSet"},
      {"metadata", {{"name", name}, {"labels", {{"sizer.io/release", d.release_name}}}}},
      {"spec",
       {{"replicas", 1},
        {"leaderWorkerTemplate",
         {{"size", d.nodes},
          {"restartPolicy", "RecreateGroupOnPodRestart"},
          {"leaderTemplate",
           {{"metadata", {{"labels", {{"role", "leader"}}}, {"annotations", annotations}}},
            {"spec", {{"containers", Json::array({leader})}, {"volumes", volumes}}}}},
          {"workerTemplate",
           {{"spec", {{"containers", Json::array({worker})}, {"volumes", volumes}}}}}}}}}};
  Json service = {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata", {{"name", name}}},
      {"spec",
       {{"type", "ClusterIP"},
        {"selector", {{"leaderworkerset.sigs.k8s.io/name", name}, {"role", "leader"}}},
        {"ports", Json::array({Json{{"name", "http"}, {"port", d.port}, {"targetPort", d.port}}})}}}};
  return {{"k8s/lws.yaml", Header(d, "LeaderWorkerSet (kubectl apply -f k8s/)") + ToYamlText(lws), false},
          {"k8s/service.yaml", Header(d, "Service in front of the leader") + ToYamlText(service), false}};
}

BundleFile RunScript(const Deployment& d) {
  std::string text = "#!/usr/bin/env bash\n" + Header(d, "Native start script") +
                     "# No container image can reach this machine's GPU (Metal), so the server\n"
                     "# runs natively: install " + d.executable + " " + d.runtime.version +
                     " (" + d.runtime.source + ").\n"
                     "set -euo pipefail\n"
                     "cd \"$(dirname \"${BASH_SOURCE[0]}\")\"\n"
                     "MODEL=" + ShellQuote(d.model_host_path) + "\n"
                     "exec " + d.executable;
  for (const DeploySetting& s : d.settings) {
    text += " \\\n  " + s.flag;
    if (s.name == "model") {
      text += " \"$MODEL\"";
    } else if (!s.value.empty()) {
      text += " " + ShellQuote(s.value);
    }
  }
  return {"run.sh", text + "\n", true};
}

}  // namespace

std::string DeployName(const Deployment& d) {
  std::string out;
  for (char c : d.job().name) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lower))) {
      out += lower;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out.front()))) out = "llm-" + out;
  if (out.size() > 40) out.resize(40);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::vector<BundleFile> RenderPackaging(const Deployment& d) {
  switch (d.packaging) {
    case Packaging::kCompose: return {Compose(d)};
    case Packaging::kKubernetes: return Kubernetes(d);
    case Packaging::kNative: return {RunScript(d)};
  }
  return {};
}

BundleFile RenderHealthcheck(const Deployment& d) {
  std::string text =
      "#!/usr/bin/env bash\n"
      "# Health check for release " + d.release_name + ": waits until " + d.runtime.id +
      " answers on its health endpoint.\n"
      "# Usage: ./healthcheck.sh [BASE_URL] (default http://localhost:" + Int(d.port) + ")\n"
      "set -euo pipefail\n"
      "BASE_URL=\"${1:-${BASE_URL:-http://localhost:" + Int(d.port) + "}}\"\n"
      "HEALTH_PATH=" + ShellQuote(d.runtime.endpoints.health.empty() ? d.runtime.endpoints.openai_base + "/models"
                                                                     : d.runtime.endpoints.health) + "\n"
      "TRIES=\"${TRIES:-60}\"\n"
      "for ((i = 1; i <= TRIES; i++)); do\n"
      "  if curl -fsS --max-time 5 \"$BASE_URL$HEALTH_PATH\" > /dev/null; then\n"
      "    echo \"healthy: $BASE_URL$HEALTH_PATH\"\n"
      "    exit 0\n"
      "  fi\n"
      "  sleep 10\n"
      "done\n"
      "echo \"unhealthy after $TRIES tries: $BASE_URL$HEALTH_PATH\" >&2\n"
      "exit 1\n";
  return {"healthcheck.sh", text, true};
}

}  // namespace sizer
