// sizer db list models|hardware|runtimes|quants, sizer db show ID.
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/edit_distance.h"
#include "base/format.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "report/table.h"
#include "knowledge/runtime_profile.h"
#include "knowledge/weight_format.h"

namespace sizer::cli {
namespace {

using nlohmann::json;

json ModelJson(const ModelSpec& m) {
  json j = {{"id", m.id}, {"name", m.name}, {"family", m.family}, {"params_total", m.params_total},
            {"params_active", m.params_active}, {"n_layers", m.n_layers}, {"d_model", m.d_model},
            {"n_heads", m.n_heads}, {"n_kv_heads", m.n_kv_heads}, {"head_dim", m.head_dim},
            {"d_ff", m.d_ff}, {"vocab_size", m.vocab_size}, {"tied_embeddings", m.tied_embeddings},
            {"max_context_tokens", m.max_context_tokens}, {"source", m.source}, {"notes", m.notes}};
  json pattern = json::array();
  for (LayerKind k : m.layer_pattern) pattern.push_back(std::string(LayerKindName(k)));
  j["attention"] = {{"pattern", pattern}, {"sliding_window_tokens", m.sliding_window_tokens},
                    {"linear_state_elements", m.linear_state_elements}};
  if (m.has_mla) {
    j["mla"] = {{"kv_lora_rank", m.mla.kv_lora_rank}, {"qk_rope_head_dim", m.mla.qk_rope_head_dim}};
  }
  if (m.has_moe) {
    j["moe"] = {{"n_experts", m.moe.n_experts}, {"n_experts_per_token", m.moe.n_experts_per_token},
                {"n_shared_experts", m.moe.n_shared_experts}, {"expert_d_ff", m.moe.expert_d_ff}};
  }
  return j;
}

json HardwareJson(const HardwareSpec& h) {
  return {{"id", h.id}, {"name", h.name}, {"kind", std::string(HardwareKindName(h.kind))},
          {"vendor", h.vendor}, {"memory_bytes", h.memory_bytes},
          {"memory_bandwidth_bytes_per_s", h.memory_bandwidth_bytes_per_s},
          {"fp16_flop_per_s", h.fp16_flop_per_s}, {"int8_op_per_s", h.int8_op_per_s},
          {"fp8_flop_per_s", h.fp8_flop_per_s}, {"tdp_watts", h.tdp_watts},
          {"price_usd", h.price_usd}, {"price_date", h.price_date},
          {"interconnect", h.interconnect},
          {"interconnect_bandwidth_bytes_per_s", h.interconnect_bandwidth_bytes_per_s},
          {"low_bit_formats", h.low_bit_formats},
          {"gpu_wired_limit_fraction", h.gpu_wired_limit_fraction},
          {"os_reserved_bytes", h.os_reserved_bytes}, {"source", h.source}, {"notes", h.notes}};
}

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
      j.push_back(ModelJson(m));
      t.AddRow({m.id, FormatFixed(m.params_total / 1e9, 1) + "B", FormatFixed(m.params_active / 1e9, 1) + "B",
                std::to_string(m.n_layers), Layout(m), FormatCount(static_cast<double>(m.max_context_tokens)), m.name});
    }
    text = t.RenderText();
  } else if (what == "hardware") {
    Table t({"id", "kind", "memory", "bandwidth", "fp16 TFLOP/s", "price", "name"});
    for (const HardwareSpec& h : catalog.hardware()) {
      j.push_back(HardwareJson(h));
      t.AddRow({h.id, std::string(HardwareKindName(h.kind)), FormatBytes(h.memory_bytes),
                FormatBytesPerSecond(h.memory_bandwidth_bytes_per_s), FormatFixed(h.fp16_flop_per_s / 1e12, 1),
                FormatUsd(h.price_usd) + " (" + h.price_date + ")", h.name});
    }
    text = t.RenderText();
  } else if (what == "runtimes") {
    Table t({"id", "version", "memory model of", "KV allocation", "multi-device", "KV dtypes"});
    for (const RuntimeInfo& info : catalog.runtimes()) {
      const RuntimeProfile r = MakeRuntimeProfile(info);
      std::string alloc = r.kv_allocation == KvAllocation::kUpFront ? "up front"
                          : r.kv_allocation == KvAllocation::kPagedPool ? "paged pool"
                                                                        : "dynamic";
      // "version" is the release runtime_db pins (as in 'sizer runtimes'); the memory model
      // names the build whose allocation behaviour it follows.
      j.push_back({{"id", r.id}, {"version", info.version}, {"memory_model_version", r.version},
                   {"engine", r.engine}, {"source", r.source}, {"kv_allocation", alloc},
                   {"kv_dtypes", r.kv_dtypes}});
      t.AddRow({r.id, info.version, r.version, alloc, std::string(MultiDeviceName(r.multi_device)),
                Join(r.kv_dtypes, ",")});
    }
    text = t.RenderText();
  } else if (what == "quants") {
    Table t({"id", "container", "description"});
    for (const WeightFormat& f : AllWeightFormats()) {
      j.push_back({{"id", f.id}, {"container", std::string(WeightContainerName(f.container))},
                   {"description", f.description}, {"source", f.source}});
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
  json j = model.ok() ? ModelJson(*model) : HardwareJson(*hw);
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
  if (!catalog.ok()) {
    PrintError(catalog.status().message());
    return ExitCodeFor(catalog.status());
  }
  bool as_json = vm->count("json") > 0;
  const std::string what = (*vm)["what"].as<std::string>();
  return action == "list" ? List(*catalog, what, as_json) : Show(*catalog, what, as_json);
}

}  // namespace sizer::cli
