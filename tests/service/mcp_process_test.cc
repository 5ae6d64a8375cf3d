// A scripted MCP client against the real `sizer mcp` process over pipes: the initialize
// handshake, tools/list, a call of every tool (its structured result equals the CLI's --json
// for the same question), then a malformed line, an unknown method, an unknown tool and a bad
// argument, and end of input -> exit 0.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/mcp_server.h"
#include "service_test_support.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;
using testing::RunCli;

// `sizer mcp ARGS` with its stdin and stdout on pipes (stderr to a file the test can read).
class McpProcess {
 public:
  explicit McpProcess(const std::vector<std::string>& args) {
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return;
    err_path_ = (std::filesystem::temp_directory_path() / ("sizer_mcp_err_" + std::to_string(getpid()))).string();
    pid_ = fork();
    if (pid_ == 0) {
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(err, 2);
      close(to_child[1]);
      close(from_child[0]);
      if (chdir(testing::SourceDir().c_str()) != 0) _exit(127);
      std::vector<std::string> argv_text = {testing::CliPath(), "mcp"};
      argv_text.insert(argv_text.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& a : argv_text) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    in_ = fdopen(to_child[1], "w");
    out_ = fdopen(from_child[0], "r");
  }
  ~McpProcess() {
    if (in_ != nullptr) fclose(in_);
    if (out_ != nullptr) fclose(out_);
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::remove(err_path_.c_str());
  }
  bool started() const { return pid_ > 0 && in_ != nullptr && out_ != nullptr; }

  void Send(const std::string& line) {
    fputs((line + "\n").c_str(), in_);
    fflush(in_);
  }
  // The next line the server writes, parsed (null at end of output).
  json Receive() {
    std::string line;
    for (int c; (c = fgetc(out_)) != EOF && c != '\n';) line += static_cast<char>(c);
    if (line.empty()) return json();
    return json::parse(line);
  }
  json Request(const std::string& line) {
    Send(line);
    return Receive();
  }
  // Closes stdin and returns the exit status.
  int CloseAndWait() {
    fclose(in_);
    in_ = nullptr;
    const bool more_output = fgetc(out_) != EOF;
    EXPECT_FALSE(more_output) << "output after the last reply";
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  bool waited_ = false;
  FILE* in_ = nullptr;
  FILE* out_ = nullptr;
  std::string err_path_;
};

std::string Call(int id, const std::string& tool, const json& arguments) {
  return json({{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"},
               {"params", {{"name", tool}, {"arguments", arguments}}}})
      .dump();
}

// The structured result of a successful tool call.
json Structured(const json& reply) {
  EXPECT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["result"]["isError"], false) << reply.dump();
  if (reply["result"]["isError"] != false) return json();
  // The text content is the same JSON.
  EXPECT_EQ(json::parse(reply["result"]["content"][0]["text"].get<std::string>()),
            reply["result"]["structuredContent"].contains("models") ||
                    reply["result"]["structuredContent"].contains("hardware")
                ? reply["result"]["structuredContent"].begin().value()
                : reply["result"]["structuredContent"]);
  return reply["result"]["structuredContent"];
}

TEST(McpProcess, AScriptedClientSession) {
  const std::string models = testing::TestDataDir() + "/models";
  McpProcess mcp({"--models-dir", models});
  ASSERT_TRUE(mcp.started());

  json init = mcp.Request(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                          R"("capabilities":{},"clientInfo":{"name":"sizer-test","version":"1"}}})");
  EXPECT_EQ(init["id"], 0);
  EXPECT_EQ(init["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(init["result"]["serverInfo"]["name"], "sizer");
  EXPECT_TRUE(init["result"]["capabilities"].contains("tools"));
  mcp.Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");

  json list = mcp.Request(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  std::map<std::string, json> required;
  for (const json& tool : list["result"]["tools"]) required[tool["name"]] = tool["inputSchema"]["required"];
  EXPECT_EQ(required.size(), 6u);
  EXPECT_EQ(required["plan"], json({"job"}));
  EXPECT_EQ(required["fit"], json({"model"}));
  EXPECT_EQ(required["recommend"], json::array());
  EXPECT_EQ(required["inspect"], json({"model"}));
  EXPECT_EQ(required["list_hardware"], json::array());
  EXPECT_EQ(required["list_models"], json::array());

  // Each tool, against the CLI's JSON for the same question.
  const json job = {{"job", "mcp"}, {"model", "llama-3.1-8b"}, {"quant", "Q4_K_M"}, {"context_tokens", 8192},
                    {"runtime", "llama.cpp"}, {"prompt_tokens", 1000}, {"output_tokens", 200},
                    {"candidates", {"rtx-4090", "rtx-3060-12gb"}}};
  testing::ScratchDir dir("mcp_plan");
  dir.Write("(request)", job.dump());
  EXPECT_EQ(Structured(mcp.Request(Call(2, "plan", {{"job", job}}))),
            testing::ParsedOut(testing::RunCliIn(dir.path(), "plan '(request)' --json")));
  EXPECT_EQ(Structured(mcp.Request(Call(3, "fit", {{"model", "llama-3.1-70b"}, {"context", "32k"},
                                                   {"on", "rtx-4090,2x rtx-4090,h100-sxm"}}))),
            testing::ParsedOut(RunCli("fit llama-3.1-70b --context 32k --on 'rtx-4090,2x rtx-4090,h100-sxm' --json")));
  EXPECT_EQ(Structured(mcp.Request(Call(4, "recommend", {{"model", "llama-3.1-8b"}, {"context", 8192},
                                                         {"top", 3}, {"date", "2026-01-01"}}))),
            testing::ParsedOut(RunCli("recommend --model llama-3.1-8b --context 8192 --top 3 --date 2026-01-01 --json")));
  EXPECT_EQ(Structured(mcp.Request(Call(5, "inspect", {{"model", "stories260K.gguf"}}))),
            testing::ParsedOut(testing::RunCliIn(models, "inspect stories260K.gguf --json")));
  EXPECT_EQ(Structured(mcp.Request(Call(6, "list_hardware", json::object())))["hardware"],
            testing::ParsedOut(RunCli("db list hardware --json")));
  EXPECT_EQ(Structured(mcp.Request(Call(7, "list_models", json::object())))["models"],
            testing::ParsedOut(RunCli("db list models --json")));

  // Errors: each answered, none fatal.
  EXPECT_EQ(mcp.Request("{\"jsonrpc\": \"2.0\", \"id\": 8, ")["error"]["code"], service::kJsonRpcParseError);
  EXPECT_EQ(mcp.Request(R"({"jsonrpc":"2.0","id":9,"method":"resources/list"})")["error"]["code"],
            service::kJsonRpcMethodNotFound);
  json unknown_tool = mcp.Request(Call(10, "deploy", json::object()));
  EXPECT_EQ(unknown_tool["id"], 10);
  EXPECT_EQ(unknown_tool["error"]["code"], service::kJsonRpcInvalidParams);
  json bad_argument = mcp.Request(Call(11, "fit", {{"model", 70}}));
  EXPECT_EQ(bad_argument["error"]["code"], service::kJsonRpcInvalidParams);
  EXPECT_THAT(bad_argument["error"]["message"].get<std::string>(), HasSubstr("'model' must be string"));
  json refused = mcp.Request(Call(12, "fit", {{"model", "llama-3.1-8b"}, {"on", "rtx-4091"}}));
  EXPECT_EQ(refused["result"]["isError"], true);
  const testing::CliResult cli = RunCli("fit llama-3.1-8b --on rtx-4091");
  EXPECT_EQ(refused["result"]["content"][0]["text"], testing::CliMessage(cli));
  // Still answering after all that.
  EXPECT_EQ(mcp.Request(R"({"jsonrpc":"2.0","id":"last","method":"ping"})")["result"], json::object());
  EXPECT_EQ(mcp.CloseAndWait(), 0);
}

TEST(McpProcess, HelpNamesTheToolsAndTheRules) {
  testing::CliResult r = RunCli("mcp --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"stdio", "JSON-RPC", "plan", "fit", "recommend", "inspect", "list_hardware",
                           "list_models", "--models-dir", "'..'", "1 MiB"}) {
    EXPECT_THAT(r.out, HasSubstr(word));
  }
}

TEST(McpProcess, AMissingModelsFolderIsABadStart) {
  testing::CliResult r = RunCli("mcp --models-dir /no/such/folder </dev/null");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("not a folder"));
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace sizer
