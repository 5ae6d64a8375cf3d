// sizer: deployment planning and hardware sizing for local LLMs.
// main: the command table, global flags, exit codes, and the single top-level catch.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/data_dir.h"
#include "base/edit_distance.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "version.h"

namespace sizer::cli {
namespace {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"plan", "size a job: admit/reject worksheets for every candidate machine", RunPlan},
      {"fit", "will MODEL fit these machines at this context? flags only, no job file", RunFit},
      {"recommend", "search the hardware database for the cheapest machines that pass", RunRecommend},
      {"deploy", "write a deployment bundle (compose/k8s, health, smoke eval, release manifest)", RunDeploy},
      {"runtimes", "list serving runtimes and their capabilities; --require filters them", RunRuntimes},
      {"report", "the plan as a Markdown or self-contained HTML report with charts", RunReport},
      {"check", "the release gate for CI: checksum, fit, rollback, smoke eval, context", RunCheck},
      {"inspect", "read a GGUF file: architecture, weight bytes by type, KV per token", RunInspect},
      {"run", "run a GGUF model on this CPU with the micro-runner and time it", RunRun},
      {"tokenize", "token ids of a text with a GGUF model's own tokenizer (as llama.cpp)", RunTokenize},
      {"probe", "describe this machine and measure its memory bandwidth", RunProbe},
      {"synth", "write a random-weight GGUF of a real model's shape for speed tests", RunSynth},
      {"validate", "run a model here and compare the planner's prediction with the measurement", RunValidate},
      {"bench", "benchmark the micro-runner against this machine's memory bandwidth", RunBench},
      {"serve", "the planner over HTTP: the JSON API, /metrics and a planner page", RunServe},
      {"db", "list or show models, hardware, runtimes and weight formats", RunDb},
      {"mcp", "a Model Context Protocol server on stdio: plan/fit/recommend tools for agents", RunMcp},
  };
  return kCommands;
}

void PrintUsage(std::ostream& out) {
  out << "usage: sizer <command> [options]\n\n"
         "sizer plans local LLM deployments: whether a model fits each candidate machine,\n"
         "how fast it will decode, and when it beats a hosted API on cost.\n\ncommands:\n";
  for (const Command& c : Commands()) {
    std::string name = c.name;
    out << "  " << name << std::string(10 - name.size(), ' ') << c.summary << "\n";
  }
  out << "  help      show this list, or 'sizer help COMMAND' for a command's options\n\n"
         "global flags: --help, --version\n"
         "exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 3 internal error (a bug or\n"
         "  out of memory; report it)\n"
         "example: sizer plan worksheets/chat-assistant-8b.yaml\n";
}

int Dispatch(const std::vector<std::string>& argv) {
  if (argv.empty()) {
    PrintUsage(std::cerr);
    return kExitBadInput;
  }
  const std::string& name = argv[0];
  if (name == "--help" || name == "-h") {
    PrintUsage(std::cout);
    return kExitOk;
  }
  if (name == "help") {
    if (argv.size() == 1) {
      PrintUsage(std::cout);
      return kExitOk;
    }
    return Dispatch({argv[1], "--help"});
  }
  if (name == "--version" || name == "version") {
    // One line (scripts read the second word); the data directory and the rule that chose
    // it answer "which databases is this binary reading?" without a --db experiment.
    const DataDir data = ResolveDataDir("");
    std::cout << "sizer " << SIZER_VERSION_STRING << " (data: " << data.path << ", from "
              << DataDirRuleName(data.rule) << ")\n";
    return kExitOk;
  }
  std::vector<std::string> names;
  for (const Command& c : Commands()) {
    if (name == c.name) return c.run(std::vector<std::string>(argv.begin() + 1, argv.end()));
    names.push_back(c.name);
  }
  PrintError("unknown command '" + name + "'" + DidYouMean(name, names) +
             " (see 'sizer help')");
  return kExitBadInput;
}

// Test-only: SIZER_TEST_INTERNAL_ERROR makes sizer fail the way a bug would, so the tests can
// pin exit code 3 and its message: "throw" (or "1") throws an exception, "bad_alloc" runs out
// of memory, "status" returns a Status::Internal through the error reporter. Read only here.
int FailForTestIfAsked() {
  const char* mode = std::getenv("SIZER_TEST_INTERNAL_ERROR");
  if (mode == nullptr || *mode == '\0') return kExitOk;
  const std::string m = mode;
  if (m == "bad_alloc") throw std::bad_alloc();
  if (m == "status") {
    return ReportError(Status::Internal("test failure requested by SIZER_TEST_INTERNAL_ERROR"));
  }
  throw std::runtime_error("test failure requested by SIZER_TEST_INTERNAL_ERROR");
}

}  // namespace
}  // namespace sizer::cli

// The single top-level catch: anything that escapes a command is a bug or exhausted memory,
// exit 3, never 1 (which means "a check said no").
int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (int failed = sizer::cli::FailForTestIfAsked(); failed != sizer::cli::kExitOk) return failed;
    return sizer::cli::Dispatch(args);
  } catch (const std::bad_alloc&) {
    sizer::cli::PrintInternalError("out of memory");
  } catch (const std::exception& e) {
    sizer::cli::PrintInternalError(e.what());
  } catch (...) {
    sizer::cli::PrintInternalError("unknown exception");
  }
  return sizer::cli::kExitInternal;
}
