// sizer db list models|hardware|runtimes|quants, sizer db show ID.
#include <iostream>

#include "base/edit_distance.h"
#include "base/format.h"
#include "catalog/catalog_json.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "report/table.h"
#include "service/listings.h"
#include "knowledge/knowledge_json.h"
#include "knowledge/runtime_profile.h"
#include "knowledge/weight_format.h"

namespace sizer::cli {
namespace {

using nlohmann::json;

std::string Layout(const ModelSpec& m) {
  std::string out;
  for (LayerKind k : m.layer_pattern) out += (out.empty() ? "" : "/") + std::string(LayerKindName(k));
  if (m.has_mla) out += " MLA";
  if (m.has_moe) out += " MoE " + std::to_string(m.moe.n_experts_per_token) + "/" + std::to_string(m.moe.n_experts);
  return out;
}

int List(const Catalog& catalog, const std::string& what, bool as_json) {
  json j = json::array();
  std::string text;
  if (what == "models") {
    Table t({"id", "params", "active", "layers", "layout", "max context", "name"});
    for (const ModelSpec& m : catalog.models()) {
      t.AddRow({m.id, FormatFixed(m.params_total / 1e9, 1) + "B", FormatFixed(m.params_active / 1e9, 1) + "B",
                std::to_string(m.n_layers), Layout(m), FormatCount(static_cast<double>(m.max_context_tokens)), m.name});
    }
    text = t.RenderText();
    j = service::ModelListJson(catalog);
  } else if (what == "hardware") {
    Table t({"id", "kind", "memory", "bandwidth", "fp16 TFLOP/s", "price", "name"});
    for (const HardwareSpec& h : catalog.hardware()) {
      t.AddRow({h.id, std::string(HardwareKindName(h.kind)), FormatBytes(h.memory_bytes),
                FormatBytesPerSecond(h.memory_bandwidth_bytes_per_s), FormatFixed(h.fp16_flop_per_s / 1e12, 1),
                FormatUsd(h.price_usd) + " (" + h.price_date + ")", h.name});
    }
    text = t.RenderText();
    j = service::HardwareListJson(catalog);
  } else if (what == "runtimes") {
    Table t({"id", "version", "memory model of", "KV allocation", "multi-device", "KV dtypes"});
    for (const RuntimeInfo& info : catalog.runtimes()) {
      const RuntimeProfile r = MakeRuntimeProfile(info);
      j.push_back(RuntimeMemoryModelToJson(info));
      t.AddRow({r.id, info.version, r.version, std::string(KvAllocationText(r.kv_allocation)),
                std::string(MultiDeviceName(r.multi_device)), Join(r.kv_dtypes, ",")});
    }
    text = t.RenderText();
  } else if (what == "quants") {
    Table t({"id", "container", "description"});
    for (const WeightFormat& f : AllWeightFormats()) {
      j.push_back(WeightFormatToJson(f));
      t.AddRow({f.id, std::string(WeightContainerName(f.container)), f.description});
    }
    text = t.RenderText();
  } else {
    PrintError("db list: unknown table '" + what + "'" +
               DidYouMean(what, {"models", "hardware", "runtimes", "quants"}) +
               " (expected models, hardware, runtimes or quants)");
    return kExitBadInput;
  }
  std::cout << (as_json ? j.dump(2) + "\n" : text);
  return kExitOk;
}

int Show(const Catalog& catalog, const std::string& id, bool as_json) {
  StatusOr<ModelSpec> model = catalog.FindModel(id);
  StatusOr<HardwareSpec> hw = catalog.FindHardware(id);
  if (!model.ok() && !hw.ok()) {
    std::vector<std::string> ids;
    for (const auto& m : catalog.models()) ids.push_back(m.id);
    for (const auto& h : catalog.hardware()) ids.push_back(h.id);
    PrintError("db show: unknown id '" + id + "'" + DidYouMean(id, ids));
    return kExitBadInput;
  }
  json j = model.ok() ? ModelToJson(*model) : HardwareToJson(*hw);
  if (as_json) {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string value = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    std::cout << it.key() << ": " << value << "\n";
  }
  return kExitOk;
}

}  // namespace

int RunDb(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer db list models|hardware|runtimes|quants [--json]\n"
      "       sizer db show ID [--json]\n\noptions");
  options.add_options()
      ("help,h", "show this help")
      ("json", "print JSON")
      ("action", po::value<std::string>(), "list or show")
      ("what", po::value<std::string>(), "table (list) or id (show)");
  AddDbOption(options);
  po::positional_options_description positional;
  positional.add("action", 1).add("what", 1);
  auto vm = ParseOptions("db", args, options, positional);
  if (!vm) return kExitBadInput;
  if (vm->count("help") || !vm->count("action")) {
    std::cout << options << "\n";
    return vm->count("help") ? kExitOk : kExitBadInput;
  }
  std::string action = (*vm)["action"].as<std::string>();
  if (action != "list" && action != "show") {
    PrintError("db: unknown action '" + action + "' (expected list or show)");
    return kExitBadInput;
  }
  if (!vm->count("what")) {
    PrintError("db " + action + ": missing " + (action == "list" ? "table name" : "id"));
    return kExitBadInput;
  }
  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  bool as_json = vm->count("json") > 0;
  const std::string what = (*vm)["what"].as<std::string>();
  return action == "list" ? List(*catalog, what, as_json) : Show(*catalog, what, as_json);
}

}  // namespace sizer::cli
