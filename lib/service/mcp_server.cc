#include "service/mcp_server.h"

#include <exception>
#include <utility>

#include "base/edit_distance.h"

namespace sizer::service {
namespace {

using nlohmann::json;

// Deeper input is refused before anything walks it recursively (a job, a dump).
constexpr int kMaxJsonDepth = 64;

// The revisions of the protocol this server speaks; it answers the client's when listed.
const char* const kKnownVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A parse that refuses nesting deeper than kMaxJsonDepth; nullopt and `error` on failure.
std::optional<json> ParseLine(std::string_view line, std::string& error) {
  bool too_deep = false;
  json::parser_callback_t limit = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return !too_deep;
  };
  try {
    json parsed = json::parse(line.begin(), line.end(), limit);
    if (too_deep) {
      error = "Parse error: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return std::nullopt;
    }
    return parsed;
  } catch (const json::parse_error& e) {
    error = std::string("Parse error: ") + e.what();
    return std::nullopt;
  }
}

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line;
}

const json* FindTool(const std::string& name) {
  for (const json& tool : McpTools()) {
    if (tool["name"] == name) return &tool;
  }
  return nullptr;
}

json TextContent(const std::string& text) {
  return json::array({{{"type", "text"}, {"text", text}}});
}

}  // namespace

json JsonRpcError(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json JsonRpcResult(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

McpServer::McpServer(ServiceContext ctx, std::string version)
    : ctx_(std::move(ctx)), version_(std::move(version)) {}

std::optional<std::string> McpServer::HandleLine(std::string_view line) {
  try {
    line = TrimLine(line);
    if (line.empty()) return std::nullopt;
    if (line.size() > kMaxRequestBodyBytes) {
      return Dump(JsonRpcError(nullptr, kJsonRpcInvalidRequest,
                               "request is " + std::to_string(line.size()) + " bytes; the limit is 1 MiB"));
    }
    std::string error;
    std::optional<json> message = ParseLine(line, error);
    if (!message) return Dump(JsonRpcError(nullptr, kJsonRpcParseError, error));
    std::optional<json> reply = HandleMessage(*message);
    if (!reply) return std::nullopt;
    return Dump(*reply);
  } catch (const std::exception& e) {
    return Dump(JsonRpcError(nullptr, kJsonRpcInternalError, std::string("internal error: ") + e.what()));
  }
}

std::optional<json> McpServer::HandleMessage(const json& message) {
  if (message.is_array()) {
    return JsonRpcError(nullptr, kJsonRpcInvalidRequest,
                        "Invalid Request: batches are not supported; send one message per line");
  }
  if (!message.is_object()) {
    return JsonRpcError(nullptr, kJsonRpcInvalidRequest, "Invalid Request: expected a JSON-RPC 2.0 object");
  }
  const auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  if (has_id && !id_it->is_string() && !id_it->is_number()) {
    return JsonRpcError(nullptr, kJsonRpcInvalidRequest, "Invalid Request: id must be a string or a number");
  }
  const json id = has_id ? *id_it : json(nullptr);
  const auto method_it = message.find("method");
  if (method_it == message.end()) {
    // A response to a request of ours (this server sends none): nothing to answer.
    if (message.contains("result") || message.contains("error")) return std::nullopt;
    return JsonRpcError(id, kJsonRpcInvalidRequest, "Invalid Request: no method");
  }
  const auto version_it = message.find("jsonrpc");
  if (version_it == message.end() || *version_it != "2.0") {
    return JsonRpcError(id, kJsonRpcInvalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
  }
  if (!method_it->is_string()) {
    return JsonRpcError(id, kJsonRpcInvalidRequest, "Invalid Request: method must be a string");
  }
  const std::string method = *method_it;
  const auto params_it = message.find("params");
  const json params = params_it == message.end() ? json::object() : *params_it;
  if (!params.is_object() && !params.is_array()) {
    return JsonRpcError(id, kJsonRpcInvalidRequest, "Invalid Request: params must be an object");
  }
  if (!has_id) {  // a notification: never answered
    if (method == "notifications/initialized") initialized_ = true;
    return std::nullopt;
  }
  if (method == "initialize") return JsonRpcResult(id, Initialize(params));
  if (method == "ping") return JsonRpcResult(id, json::object());
  if (method == "tools/list") return JsonRpcResult(id, {{"tools", McpTools()}});
  if (method == "tools/call") return CallTool(id, params);
  return JsonRpcError(id, kJsonRpcMethodNotFound, "Method not found: " + method);
}

json McpServer::Initialize(const json& params) const {
  std::string version = kMcpProtocolVersion;
  const auto asked = params.is_object() ? params.find("protocolVersion") : params.end();
  if (params.is_object() && asked != params.end() && asked->is_string()) {
    for (const char* known : kKnownVersions) {
      if (*asked == known) version = known;
    }
  }
  return {{"protocolVersion", version},
          {"capabilities", {{"tools", json::object()}}},
          {"serverInfo", {{"name", "sizer"}, {"version", version_}}},
          {"instructions",
           "sizer answers LLM hardware-sizing questions with its planner: fit (will this model "
           "fit these machines at this context, how fast), recommend (which hardware to buy), plan "
           "(a whole job), inspect (a model file or database entry), list_models and "
           "list_hardware (the ids the other tools take)."}};
}

json McpServer::CallTool(const json& id, const json& params) const {
  if (!params.is_object()) {
    return JsonRpcError(id, kJsonRpcInvalidParams, "Invalid params: tools/call takes {\"name\", \"arguments\"}");
  }
  const auto name_it = params.find("name");
  if (name_it == params.end() || !name_it->is_string()) {
    return JsonRpcError(id, kJsonRpcInvalidParams, "Invalid params: tools/call needs a tool name");
  }
  const std::string name = *name_it;
  const json* tool = FindTool(name);
  if (tool == nullptr) {
    std::vector<std::string> names;
    for (const json& t : McpTools()) names.push_back(t["name"]);
    return JsonRpcError(id, kJsonRpcInvalidParams, "Unknown tool: " + name + DidYouMean(name, names));
  }
  const auto arguments_it = params.find("arguments");
  const json arguments = arguments_it == params.end() ? json::object() : *arguments_it;
  if (Status checked = CheckToolArguments(*tool, arguments); !checked.ok()) {
    return JsonRpcError(id, kJsonRpcInvalidParams, "Invalid params: " + checked.message());
  }
  StatusOr<json> answer = RunMcpTool(ctx_, name, arguments);
  if (!answer.ok()) {
    return JsonRpcResult(id, {{"content", TextContent(answer.status().message())}, {"isError", true}});
  }
  // structuredContent is an object: a listing (an array) goes under the tool's noun.
  json structured = answer->is_object() ? *answer : json{{name.substr(name.find('_') + 1), *answer}};
  const std::string text = answer->dump(2, ' ', false, json::error_handler_t::replace);
  return JsonRpcResult(id, {{"content", TextContent(text)}, {"structuredContent", std::move(structured)}, {"isError", false}});
}

}  // namespace sizer::service
