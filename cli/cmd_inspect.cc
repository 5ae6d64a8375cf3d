// sizer inspect MODEL.gguf: what the file holds, read from its header.
#include <iostream>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "report/inspect_render.h"
#include "service/inspect.h"

namespace sizer::cli {

int RunInspect(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer inspect MODEL.gguf [--json | --emit-model]\n\n"
      "Reads a GGUF file's header (memory-mapped; tensor data is not read) and prints the\n"
      "architecture, the parameter count, the exact weight bytes by tensor type, the\n"
      "embedding/output split and the KV bytes per token. Split files (-00001-of-0000N.gguf)\n"
      "are read as one model. A job may name the file as its model: to plan from it.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("file", po::value<std::string>()->value_name("MODEL.gguf"), "the GGUF file")
      ("json", "print JSON")
      ("emit-model", "print a model_db YAML entry for the file");
  po::positional_options_description positional;
  positional.add("file", 1);
  auto vm = ParseOptions("inspect", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "inspect", "file", "MODEL.gguf")) return *done;
  const std::string path = (*vm)["file"].as<std::string>();
  StatusOr<ArtifactSummary> inspected = service::InspectModelFile(path);
  if (!inspected.ok()) return ReportError(inspected.status());
  const ArtifactSummary& summary = *inspected;
  std::string text = vm->count("json")         ? ArtifactSummaryToJson(summary).dump(2) + "\n"
                     : vm->count("emit-model") ? EmitModelDbYaml(summary)
                                               : RenderArtifactSummaryText(summary);
  Status written = WriteOutput("", text);
  if (!written.ok()) return ReportError(written);
  return kExitOk;
}

}  // namespace sizer::cli
