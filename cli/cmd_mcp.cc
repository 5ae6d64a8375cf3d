// sizer mcp: the Model Context Protocol server over stdio (service/mcp_server.h does the
// protocol; this is the loop that feeds it stdin and writes its replies to stdout).
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "service/mcp_server.h"
#include "version.h"

namespace sizer::cli {
namespace {

po::options_description McpOptions() {
  po::options_description options(
      "usage: sizer mcp [--db DIR] [--models-dir DIR] [--threads N]\n\n"
      "A Model Context Protocol server for coding agents, on stdin/stdout: JSON-RPC 2.0, one\n"
      "message per line (MCP's stdio transport; the agent starts this command). Answers\n"
      "initialize, ping, tools/list and tools/call; stdout carries only protocol messages,\n"
      "diagnostics go to stderr; exits 0 at the end of input.\n\n"
      "tools (each with a JSON Schema for its arguments; results are the --json output of the\n"
      "matching command, as text and as structuredContent):\n"
      "  plan           a job (JSON object or YAML text)       = sizer plan JOB --json\n"
      "  fit            model + the flags of sizer fit          = sizer fit MODEL ... --json\n"
      "  recommend      model or job + the flags of recommend   = sizer recommend ... --json\n"
      "  inspect        a .gguf under --models-dir, or an id    = sizer inspect FILE --json\n"
      "  list_hardware  the hardware database                   = sizer db list hardware --json\n"
      "  list_models    the model database                      = sizer db list models --json\n\n"
      "safety: a request reads no file but a model file under --models-dir (no absolute paths,\n"
      "no '..', no symlinks that lead outside it; without --models-dir, no model files at all),\n"
      "never writes one, and takes no price, calibration or output files. A line over 1 MiB,\n"
      "JSON nested deeper than 64 levels, malformed JSON, unknown methods and tools and\n"
      "arguments that do not match a tool's schema get JSON-RPC errors (-32700, -32600, -32601,\n"
      "-32602); a question the planner refuses gets isError with the CLI's one-line message.\n\n"
      "example (an MCP client's configuration):\n"
      "  {\"mcpServers\": {\"sizer\": {\"command\": \"sizer\", \"args\": [\"mcp\", \"--models-dir\", \"/models\"]}}}\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("models-dir", po::value<std::string>()->value_name("DIR"),
       "the folder whose .gguf files requests may name (default: none)")
      ("threads", po::value<int>()->default_value(1)->value_name("N"),
       "planning threads of one recommend call (1 to 256)");
  AddDbOption(options);
  return options;
}

}  // namespace

int RunMcp(const std::vector<std::string>& args) {
  po::options_description options = McpOptions();
  po::positional_options_description positional;
  auto vm = ParseOptions("mcp", args, options, positional);
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  const int threads = (*vm)["threads"].as<int>();
  if (threads < 1 || threads > 256) {
    return ReportError(Status::InvalidArgument("--threads: expected 1 to 256"), "mcp");
  }
  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  service::ServiceContext ctx;
  ctx.catalog = &*catalog;
  ctx.search_threads = threads;
  if (vm->count("models-dir")) {
    ctx.models_dir = (*vm)["models-dir"].as<std::string>();
    std::error_code ec;
    if (!std::filesystem::is_directory(ctx.models_dir, ec)) {
      return ReportError(Status::NotFound("--models-dir " + ctx.models_dir.string() + ": not a folder"), "mcp");
    }
  }
  service::McpServer server(ctx, SIZER_VERSION_STRING);
  std::cerr << "sizer: mcp server ready on stdin/stdout ("
            << (ctx.models_dir.empty() ? "no model files" : "model files under " + ctx.models_dir.string())
            << ")\n";
  for (std::string line; std::getline(std::cin, line);) {
    std::optional<std::string> reply = server.HandleLine(line);
    if (!reply) continue;
    std::cout << *reply << "\n";
    std::cout.flush();
    if (!std::cout) return ReportError(Status::IOError("cannot write to standard output"), "mcp");
  }
  return kExitOk;
}

}  // namespace sizer::cli
