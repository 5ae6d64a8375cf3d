// sizer runtimes [--require a,b] [--json]: what each serving runtime offers (runtime_db/).
#include <iostream>

#include "base/edit_distance.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "report/table.h"
#include "service/listings.h"
#include "catalog/runtime_info.h"

namespace sizer::cli {
namespace {

using nlohmann::ordered_json;

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text + ",") {
    if (c == ',') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  return out;
}

std::string Names(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

int RunRuntimes(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer runtimes [--require CAP,CAP...] [--json]\n\n"
      "Lists the serving runtimes of runtime_db/ with what each offers: artifact formats,\n"
      "hardware kinds, the pinned image, endpoints and capabilities. --require keeps only\n"
      "the runtimes that have every named capability, e.g.\n"
      "  sizer runtimes --require openai_api,batching,metrics,gpu_serving\n"
      "A job can require capabilities too (runtime_requires: [...]); the plan warns when its\n"
      "runtime lacks one.\n\ncapabilities: openai_api, batching, metrics, health, tensor_parallel,\n"
      "  pipeline_parallel, multi_node, kv_cache_quantization, cpu_offload, sparse_kernels,\n"
      "  gpu_serving\n\noptions");
  options.add_options()
      ("help,h", "show this help")
      ("require,r", po::value<std::string>()->value_name("CAPS"), "comma-separated capabilities")
      ("json", "print JSON (every fact with its source)");
  AddDbOption(options);
  po::positional_options_description positional;
  auto vm = ParseOptions("runtimes", args, options, positional);
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  std::vector<std::string> required;
  if (vm->count("require")) {
    required = SplitCommas((*vm)["require"].as<std::string>());
    if (required.empty()) {
      PrintError("runtimes: --require needs at least one capability (see 'sizer runtimes --help')");
      return kExitBadInput;
    }
    for (const std::string& cap : required) {
      if (!IsRuntimeCapability(cap)) {
        PrintError("runtimes: unknown capability '" + cap + "'" +
                   DidYouMean(cap, RuntimeCapabilityNames()) + " (see 'sizer runtimes --help')");
        return kExitBadInput;
      }
    }
  }
  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  const ordered_json j = service::RuntimeListJson(*catalog, required);
  Table t({"id", "version", "formats", "hardware", "port", "capabilities"});
  for (const RuntimeInfo& r : catalog->runtimes()) {
    bool keep = true;
    for (const std::string& cap : required) keep = keep && r.Has(cap);
    if (!keep) continue;
    std::vector<std::string> formats, kinds;
    for (WeightContainer c : r.artifact_formats) formats.emplace_back(WeightContainerName(c));
    for (HardwareKind k : r.hardware_kinds) kinds.emplace_back(HardwareKindName(k));
    t.AddRow({r.id, r.version, Names(formats), Names(kinds), std::to_string(r.endpoints.port),
              Names(r.Supported())});
  }
  if (vm->count("json")) {
    std::cout << j.dump(2) << "\n";
  } else if (j.empty()) {
    std::cout << "no runtime has every capability in --require " << Names(required) << "\n";
  } else {
    std::cout << t.RenderText();
  }
  return kExitOk;
}

}  // namespace sizer::cli
