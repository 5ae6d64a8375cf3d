// McpServer (service/mcp_server.h) line by line: the JSON-RPC corner cases without a process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/mcp_server.h"
#include "service_test_support.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class McpServerTest : public ::testing::Test {
 protected:
  McpServerTest() : server_(testing::RealService(), "9.9.9") {}

  // The reply to `line`, parsed; fails the test when there is none.
  json Reply(const std::string& line) {
    std::optional<std::string> reply = server_.HandleLine(line);
    EXPECT_TRUE(reply.has_value()) << line;
    if (!reply) return json();
    EXPECT_EQ(reply->find('\n'), std::string::npos) << "one line";
    return json::parse(*reply);
  }
  int ErrorCode(const std::string& line) {
    json r = Reply(line);
    EXPECT_EQ(r["jsonrpc"], "2.0");
    return r.contains("error") ? r["error"]["code"].get<int>() : 0;
  }

  service::McpServer server_;
};

TEST_F(McpServerTest, InitializeAnswersTheVersionAndCapabilities) {
  json r = Reply(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26",)"
                 R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
  EXPECT_EQ(r["id"], 1);
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-03-26");
  EXPECT_EQ(r["result"]["capabilities"], json({{"tools", json::object()}}));
  EXPECT_EQ(r["result"]["serverInfo"], json({{"name", "sizer"}, {"version", "9.9.9"}}));
  // A revision the server does not know gets its own.
  r = Reply(R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}})");
  EXPECT_EQ(r["result"]["protocolVersion"], service::kMcpProtocolVersion);
}

TEST_F(McpServerTest, IdsKeepTheirType) {
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":"abc","method":"ping"})")["id"], "abc");
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":7,"method":"ping"})")["id"], 7);
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":-2.5,"method":"ping"})")["id"], -2.5);
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":"abc","method":"ping"})")["result"], json::object());
  // null, objects and booleans are not ids.
  for (const char* id : {"null", "{}", "true", "[1]"}) {
    json r = Reply(std::string(R"({"jsonrpc":"2.0","method":"ping","id":)") + id + "}");
    EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidRequest) << id;
    EXPECT_TRUE(r["id"].is_null());
  }
}

TEST_F(McpServerTest, NotificationsResponsesAndBlankLinesGetNoReply) {
  EXPECT_FALSE(server_.initialized());
  EXPECT_EQ(server_.HandleLine(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"), std::nullopt);
  EXPECT_TRUE(server_.initialized());
  EXPECT_EQ(server_.HandleLine(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})"),
            std::nullopt);
  EXPECT_EQ(server_.HandleLine(R"({"jsonrpc":"2.0","method":"no/such/notification"})"), std::nullopt);
  EXPECT_EQ(server_.HandleLine(R"({"jsonrpc":"2.0","id":5,"result":{}})"), std::nullopt);
  EXPECT_EQ(server_.HandleLine(""), std::nullopt);
  EXPECT_EQ(server_.HandleLine("  \r"), std::nullopt);
}

TEST_F(McpServerTest, ProtocolErrors) {
  EXPECT_EQ(ErrorCode("{\"jsonrpc\":"), service::kJsonRpcParseError);
  EXPECT_EQ(ErrorCode("not json"), service::kJsonRpcParseError);
  EXPECT_EQ(ErrorCode(std::string(100, '[') + std::string(100, ']')), service::kJsonRpcParseError);
  EXPECT_EQ(ErrorCode("42"), service::kJsonRpcInvalidRequest);
  EXPECT_EQ(ErrorCode(R"({"id":1,"method":"ping"})"), service::kJsonRpcInvalidRequest);  // no jsonrpc
  EXPECT_EQ(ErrorCode(R"({"jsonrpc":"1.0","id":1,"method":"ping"})"), service::kJsonRpcInvalidRequest);
  EXPECT_EQ(ErrorCode(R"({"jsonrpc":"2.0","id":1,"method":5})"), service::kJsonRpcInvalidRequest);
  EXPECT_EQ(ErrorCode(R"({"jsonrpc":"2.0","id":1})"), service::kJsonRpcInvalidRequest);
  EXPECT_EQ(ErrorCode(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":3})"), service::kJsonRpcInvalidRequest);
  EXPECT_EQ(ErrorCode(R"({"jsonrpc":"2.0","id":1,"method":"tools/delete"})"), service::kJsonRpcMethodNotFound);
  EXPECT_EQ(ErrorCode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"" +
                      std::string(service::kMaxRequestBodyBytes, 'a') + "\"}"),
            service::kJsonRpcInvalidRequest);
}

TEST_F(McpServerTest, BatchesAreRefusedAsOneInvalidRequest) {
  json r = Reply(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}])");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidRequest);
  EXPECT_THAT(r["error"]["message"].get<std::string>(), HasSubstr("batches are not supported"));
  EXPECT_TRUE(r["id"].is_null());
}

TEST_F(McpServerTest, ToolCallErrors) {
  auto call = [&](const std::string& params) {
    return Reply(R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":)" + params + "}");
  };
  json r = call(R"({"name":"fitt","arguments":{"model":"llama-3.1-8b"}})");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidParams);
  EXPECT_THAT(r["error"]["message"].get<std::string>(), HasSubstr("fit"));
  r = call(R"({"name":"fit","arguments":{}})");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidParams);
  EXPECT_THAT(r["error"]["message"].get<std::string>(), HasSubstr("missing required argument 'model'"));
  r = call(R"({"name":"fit","arguments":{"model":"llama-3.1-8b","max_context":"yes"}})");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidParams);
  EXPECT_THAT(r["error"]["message"].get<std::string>(), HasSubstr("'max_context' must be boolean"));
  r = call(R"({"name":"fit","arguments":{"model":"llama-3.1-8b","prices":"p.yaml"}})");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidParams);
  EXPECT_THAT(r["error"]["message"].get<std::string>(), HasSubstr("unknown argument 'prices'"));
  r = call(R"({"name":"list_models","arguments":[]})");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidParams);
  r = call(R"({"arguments":{}})");
  EXPECT_EQ(r["error"]["code"], service::kJsonRpcInvalidParams);
  // The planner's refusal is a tool result with isError and the CLI's message.
  r = call(R"({"name":"fit","arguments":{"model":"llama-3.1-8b","context":"0","on":"rtx-4090"}})");
  ASSERT_TRUE(r.contains("result")) << r.dump();
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_THAT(r["result"]["content"][0]["text"].get<std::string>(), HasSubstr("fit: --context"));
  r = call(R"({"name":"inspect","arguments":{"model":"../x.gguf"}})");
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_THAT(r["result"]["content"][0]["text"].get<std::string>(), HasSubstr("'..' is not allowed"));
}

TEST_F(McpServerTest, EveryToolHasAnObjectSchemaWithDescriptions) {
  json r = Reply(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  std::vector<std::string> names;
  for (const json& tool : r["result"]["tools"]) {
    names.push_back(tool["name"]);
    EXPECT_GT(tool["description"].get<std::string>().size(), 40u) << tool["name"];
    EXPECT_EQ(tool["inputSchema"]["type"], "object");
    for (const auto& [key, property] : tool["inputSchema"]["properties"].items()) {
      EXPECT_TRUE(property.contains("type")) << key;
      EXPECT_GT(property["description"].get<std::string>().size(), 10u) << key;
    }
    for (const json& required : tool["inputSchema"]["required"]) {
      EXPECT_TRUE(tool["inputSchema"]["properties"].contains(required.get<std::string>()));
    }
  }
  EXPECT_THAT(names, ::testing::ElementsAre("plan", "fit", "recommend", "inspect", "list_hardware", "list_models"));
}

}  // namespace
}  // namespace sizer
