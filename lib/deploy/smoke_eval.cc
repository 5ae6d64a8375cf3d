// smoke_eval.sh: the job's golden questions against the OpenAI-compatible endpoint. Needs
// bash, curl, grep and awk only (what an operator's machine and the runtime images have).
// The request bodies are rendered here as JSON files, so the script never builds JSON; it
// writes smoke-results.json in the format `sizer check` reads (eval.results).
#include <cmath>

#include "deploy/bundle.h"

namespace sizer {
namespace {

using Json = nlohmann::ordered_json;

std::string SingleQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The expected answer as it appears inside the JSON response (escaped like any string).
std::string JsonEscaped(const std::string& s) {
  std::string quoted = Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::string ServedModel(const Deployment& d) {
  for (const DeploySetting& s : d.settings) {
    if (s.name == "served_model_name") return s.value;
  }
  const JobSpec& job = d.job();
  return job.model_ref == "inline" ? job.model.id : job.model_ref;
}

// The script's header and its run_case function (curl, expected-text match, latency gate).
std::string SmokeScriptPreamble(const Deployment& d) {
  const JobSpec& job = d.job();
  return
      "#!/usr/bin/env bash\n"
      "# Smoke eval for release " + d.release_name + ": sends the job's golden questions\n"
      "# (smoke_eval in " + job.file + ") to the OpenAI-compatible endpoint and fails on a\n"
      "# wrong answer or a latency over the case's gate. Writes smoke-results.json for\n"
      "# `sizer check release.yaml`.\n"
      "# Usage: ./smoke_eval.sh [BASE_URL] (default http://localhost:" + std::to_string(d.port) + ")\n"
      "set -uo pipefail\n"
      "HERE=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n"
      "BASE_URL=\"${1:-${BASE_URL:-http://localhost:" + std::to_string(d.port) + "}}\"\n"
      "RESULTS=\"${RESULTS:-$HERE/smoke-results.json}\"\n"
      "failures=0\n"
      "entries=()\n\n"
      "# run_case NAME EXPECT MAX_LATENCY_MS: EXPECT is matched, ignoring case, in the JSON reply.\n"
      "run_case() {\n"
      "  local name=\"$1\" expect=\"$2\" gate_ms=\"$3\" out seconds ms correct=false\n"
      "  out=\"$(mktemp)\"\n"
      "  if ! seconds=\"$(curl -sS --max-time 600 -o \"$out\" -w '%{time_total}' \\\n"
      "      -H 'Content-Type: application/json' \\\n"
      "      --data-binary \"@$HERE/smoke/$name.json\" \"$BASE_URL" + d.runtime.endpoints.openai_base +
      "/chat/completions\")\"; then\n"
      "    echo \"FAIL $name: request failed\"\n"
      "    failures=$((failures + 1))\n"
      "    entries+=(\"{\\\"name\\\": \\\"$name\\\", \\\"correct\\\": false}\")\n"
      "    rm -f \"$out\"\n"
      "    return\n"
      "  fi\n"
      "  ms=\"$(awk -v s=\"$seconds\" 'BEGIN { printf \"%d\", s * 1000 + 0.5 }')\"\n"
      "  if grep -qiF -- \"$expect\" \"$out\"; then correct=true; fi\n"
      "  rm -f \"$out\"\n"
      "  if [[ $correct != true ]]; then\n"
      "    echo \"FAIL $name: the answer does not contain the expected text\"\n"
      "    failures=$((failures + 1))\n"
      "  elif ((ms > gate_ms)); then\n"
      "    echo \"FAIL $name: ${ms} ms is over the gate of ${gate_ms} ms\"\n"
      "    failures=$((failures + 1))\n"
      "  else\n"
      "    echo \"ok   $name: ${ms} ms (gate ${gate_ms} ms)\"\n"
      "  fi\n"
      "  entries+=(\"{\\\"name\\\": \\\"$name\\\", \\\"correct\\\": $correct, \\\"latency_ms\\\": $ms}\")\n"
      "}\n\n";
}

// Writes smoke-results.json for `sizer check` and exits 1 on any failed case.
std::string SmokeScriptEpilogue() {
  return
      "\n{\n"
      "  printf '{\"cases\": [\\n'\n"
      "  for i in \"${!entries[@]}\"; do\n"
      "    sep=','; ((i == ${#entries[@]} - 1)) && sep=''\n"
      "    printf '  %s%s\\n' \"${entries[$i]}\" \"$sep\"\n"
      "  done\n"
      "  printf ']}\\n'\n"
      "} > \"$RESULTS\"\n"
      "echo \"results: $RESULTS\"\n"
      "if ((failures > 0)); then\n"
      "  echo \"smoke eval failed: $failures case(s)\" >&2\n"
      "  exit 1\n"
      "fi\n"
      "echo 'smoke eval passed'\n";
}

}  // namespace

double SmokeLatencyGateMs(const Deployment& d, const SmokeCase& c) {
  if (c.max_latency_ms) return *c.max_latency_ms;
  const CandidateWorksheet& ws = d.worksheet();
  // Worksheet: time to first token + max_tokens x the p95 token latency, rounded up.
  return std::ceil(ws.gate_ttft_ms + static_cast<double>(c.max_tokens) * ws.gate_p95_token_latency_ms);
}

std::vector<BundleFile> RenderSmokeEval(const Deployment& d) {
  const JobSpec& job = d.job();
  std::vector<BundleFile> files;
  std::string script = SmokeScriptPreamble(d);
  if (job.smoke_eval.empty()) {
    script += "echo 'the job has no smoke_eval questions: add smoke_eval to the job and run sizer deploy again' >&2\n"
              "exit 2\n";
  }
  for (const SmokeCase& c : job.smoke_eval) {
    const double gate = SmokeLatencyGateMs(d, c);
    script += "# " + c.where + (c.max_latency_ms ? std::string(": gate from the job")
                                                  : ": gate = worksheet TTFT + " + std::to_string(c.max_tokens) +
                                                        " x p95 token latency") + "\n";
    script += "run_case " + c.name + " " + SingleQuoted(JsonEscaped(c.expect)) + " " +
              std::to_string(static_cast<int64_t>(gate)) + "\n";
    Json body;
    body["model"] = ServedModel(d);
    body["messages"] = Json::array({Json{{"role", "user"}, {"content", c.question}}});
    body["max_tokens"] = c.max_tokens;
    body["temperature"] = 0;
    files.push_back({"smoke/" + c.name + ".json", body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n", false});
  }
  if (!job.smoke_eval.empty()) script += SmokeScriptEpilogue();
  files.insert(files.begin(), BundleFile{"smoke_eval.sh", script, true});
  return files;
}

}  // namespace sizer
