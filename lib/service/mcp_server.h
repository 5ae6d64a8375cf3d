// The Model Context Protocol server of `sizer mcp`: JSON-RPC 2.0 messages, one per line (MCP's
// stdio transport), answered from service/api.h. The class sees lines, not processes: the
// command (cli/cmd_mcp.cc) is a loop that feeds it stdin and writes its replies to stdout.
//
// Methods: initialize, ping, tools/list, tools/call; notifications (notifications/initialized,
// notifications/cancelled, any other) get no reply. Errors: -32700 parse error, -32600 invalid
// request (not an object, no "jsonrpc": "2.0", a method that is not a string, an id that is not
// a string or a number, a batch array: MCP's 2025-06-18 revision has no batches), -32601 unknown
// method, -32602 invalid params (unknown tool, arguments that do not match the tool's
// inputSchema), -32603 internal error. A request the tool itself refuses (an unknown model id,
// a bad context, a model path outside the models folder) is a tool result with isError: true
// and the CLI's one-line message as its text.
#ifndef SIZER_SERVICE_MCP_SERVER_H_
#define SIZER_SERVICE_MCP_SERVER_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "service/api.h"

namespace sizer::service {

// JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object).
inline constexpr int kJsonRpcParseError = -32700;
inline constexpr int kJsonRpcInvalidRequest = -32600;
inline constexpr int kJsonRpcMethodNotFound = -32601;
inline constexpr int kJsonRpcInvalidParams = -32602;
inline constexpr int kJsonRpcInternalError = -32603;

// The revision answered when the client asks for one this server does not know.
inline constexpr const char* kMcpProtocolVersion = "2025-06-18";

// The tools: name, description and inputSchema of each (tools/list), in listing order.
const nlohmann::json& McpTools();

class McpServer {
 public:
  // `version` is the serverInfo version ("0.1.0").
  McpServer(ServiceContext ctx, std::string version);

  // One line of input (without its newline) in; the reply line (one JSON text, no newline)
  // out, or nullopt when there is nothing to send (a notification, a response, a blank line).
  // Never throws.
  std::optional<std::string> HandleLine(std::string_view line);

  // Whether the client has sent notifications/initialized.
  bool initialized() const { return initialized_; }

 private:
  std::optional<nlohmann::json> HandleMessage(const nlohmann::json& message);
  nlohmann::json Initialize(const nlohmann::json& params) const;
  nlohmann::json CallTool(const nlohmann::json& id, const nlohmann::json& params) const;

  ServiceContext ctx_;
  std::string version_;
  bool initialized_ = false;
};

// A JSON-RPC error response, and a result response.
nlohmann::json JsonRpcError(const nlohmann::json& id, int code, const std::string& message);
nlohmann::json JsonRpcResult(const nlohmann::json& id, nlohmann::json result);

// Runs one tool with arguments already checked against its schema: the structured answer,
// or the service's refusal. Unknown names are kNotFound.
StatusOr<nlohmann::json> RunMcpTool(const ServiceContext& ctx, const std::string& name,
                                    const nlohmann::json& arguments);
// Checks `arguments` against the tool's inputSchema (an object; required properties present;
// no other properties; each of the JSON types the schema allows). kInvalidArgument names the
// property.
Status CheckToolArguments(const nlohmann::json& tool, const nlohmann::json& arguments);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_MCP_SERVER_H_
