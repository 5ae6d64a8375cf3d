// libFuzzer target for the request-body path of `sizer mcp` / `sizer serve` (service/api.h):
// the same bytes go to PlanJson (a job as JSON or YAML), to FitJson and RecommendJson's
// parameter reading once they parse as JSON, and to McpServer::HandleLine (a JSON-RPC line).
// Models may be named under tests/data/models. Never a crash, a hang, a sanitizer report or an
// internal error; every refusal has a message; every MCP reply is one line of JSON-RPC 2.0.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "service/api.h"
#include "service/mcp_server.h"

namespace {

const sizer::service::ServiceContext& Context() {
  static const sizer::service::ServiceContext* ctx = [] {
    auto* c = new sizer::service::ServiceContext();
    c->catalog = &sizer::fuzz::LoadCatalogOnce();
    c->models_dir = std::string(SIZER_FUZZ_SOURCE_DIR) + "/tests/data/models";
    return c;
  }();
  return *ctx;
}

void CheckRefusal(const sizer::Status& status, const char* what) {
  if (status.ok()) return;
  if (status.message().empty() || status.code() == sizer::StatusCode::kInternal) {
    std::fprintf(stderr, "fuzz: %s: internal or empty error: '%s'\n", what, status.message().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Context();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const sizer::service::ServiceContext& ctx = Context();
  CheckRefusal(sizer::service::PlanJson(ctx, text).status(), "PlanJson");

  // Only shallow documents, as the MCP server admits them (it refuses nesting past 64).
  bool too_deep = false;
  nlohmann::json::parser_callback_t limit = [&too_deep](int depth, nlohmann::json::parse_event_t,
                                                        nlohmann::json&) {
    too_deep = too_deep || depth > 64;
    return !too_deep;
  };
  nlohmann::json params = nlohmann::json::parse(text, limit, /*allow_exceptions=*/false);
  if (!params.is_discarded() && !too_deep) {
    CheckRefusal(sizer::service::FitJson(ctx, params).status(), "FitJson");
    // Recommend's search is seconds per question: only its parameter checks are fuzzed (an
    // input that names no model or job never reaches the search).
    if (params.is_object() && !params.contains("model") && !params.contains("job") && !params.contains("hardware")) {
      CheckRefusal(sizer::service::RecommendJson(ctx, params).status(), "RecommendJson");
    }
  }

  // A tools/call of recommend would run the search (seconds under the sanitizers): lines that
  // name it are left to the parameter checks above.
  if (text.find("recommend") != std::string::npos) return 0;
  sizer::service::McpServer server(ctx, "fuzz");
  const std::optional<std::string> reply = server.HandleLine(text);
  if (reply) {
    const nlohmann::json r = nlohmann::json::parse(*reply, nullptr, false);
    if (r.is_discarded() || reply->find('\n') != std::string::npos || r["jsonrpc"] != "2.0") {
      std::fprintf(stderr, "fuzz: McpServer reply is not one JSON-RPC line: '%s'\n", reply->c_str());
      std::abort();
    }
  }
  return 0;
}
