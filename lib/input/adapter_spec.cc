// `adapters:`: LoRA adapters from a GGUF LoRA file (llama.cpp convert_lora_to_gguf.py), a PEFT
// folder (adapter_config.json + adapter_model.safetensors) or rank + target_modules.
#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/edit_distance.h"
#include "base/file.h"
#include "base/format.h"
#include "gguf/artifact.h"
#include "input/job_extras.h"
#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

// GGUF tensor names -> the HF projection names (llama.cpp gguf-py tensor_mapping).
std::string HfModuleOf(std::string_view gguf_name) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {".attn_q.", "q_proj"},       {".attn_k.", "k_proj"},   {".attn_v.", "v_proj"},
      {".attn_output.", "o_proj"},  {".ffn_gate.", "gate_proj"}, {".ffn_up.", "up_proj"},
      {".ffn_down.", "down_proj"},
  };
  for (const auto& [key, hf] : kMap) {
    if (gguf_name.find(key) != std::string_view::npos) return std::string(hf);
  }
  return "";
}

// A GGUF LoRA: exact tensor bytes; the rank from a lora_a tensor (ne = {in, rank}).
Status FromGguf(const YamlValue& node, const std::string& path, AdapterSpec& a) {
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  if (!artifact.ok()) return node.Error(artifact.status().message(), artifact.status().code());
  StatusOr<std::string> type = artifact->metadata().GetString("general.type");
  if (!type.ok() || *type != "adapter") {
    return node.Error(path + ": not a GGUF LoRA adapter (general.type is not 'adapter')");
  }
  for (const gguf::TensorInfo* t : artifact->tensors()) {
    const std::string_view name = t->name;
    if (name.size() < 7 || name.substr(name.size() - 7) != ".lora_a" || t->shape.size() < 2) continue;
    a.rank = std::max<int64_t>(a.rank, static_cast<int64_t>(t->shape[1]));
    std::string module = HfModuleOf(name);
    if (!module.empty() && std::find(a.target_modules.begin(), a.target_modules.end(), module) ==
                               a.target_modules.end()) {
      a.target_modules.push_back(module);
    }
  }
  if (a.rank <= 0) return node.Error(path + ": the adapter has no lora_a tensor");
  a.file_bytes = static_cast<double>(artifact->tensor_data_bytes());
  return Status();
}

// A PEFT folder: r and target_modules from adapter_config.json; the weights file's size
// (never its contents).
Status FromPeft(const YamlValue& node, const std::string& dir, AdapterSpec& a) {
  const std::string config_path = (std::filesystem::path(dir) / "adapter_config.json").string();
  StatusOr<std::string> text = ReadFileToString(config_path);
  if (!text.ok()) return node.Error(text.status().message(), text.status().code());
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return node.Error(config_path + ": not a JSON object");
  auto r = j.find("r");
  if (r == j.end() || !r->is_number_integer()) return node.Error(config_path + ": 'r' (the rank) is missing");
  a.rank = r->get<int64_t>();
  auto t = j.find("target_modules");
  if (t != j.end() && t->is_array()) {
    for (const auto& m : *t) {
      if (m.is_string()) a.target_modules.push_back(m.get<std::string>());
    }
  } else if (t != j.end() && t->is_string() && t->get<std::string>() == "all-linear") {
    a.target_modules = LoraTargetModules();
  }
  for (const char* file : {"adapter_model.safetensors", "adapter_model.bin"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(std::filesystem::path(dir) / file, ec);
    if (!ec) {
      a.file_bytes = static_cast<double>(size);
      break;
    }
  }
  return Status();
}

Status ParseAdapter(const YamlValue& item, size_t index, const ModelFileResolver& resolver,
                    AdapterSpec& a) {
  a.where = item.Where();
  a.name = "adapter" + std::to_string(index + 1);
  if (item.IsMap()) {
    SIZER_RETURN_IF_ERROR(item.CheckKeys({"name", "path", "rank", "target_modules", "dtype"}));
    SIZER_RETURN_IF_ERROR(ReadIfPresent(item, "name", &YamlValue::AsString, a.name));
  }
  // Never assign to a YamlValue: yaml-cpp's Node::operator= writes through to the node.
  const YamlValue path_node = item.IsMap() ? item.GetOptional("path") : item;
  if (!path_node.IsNull()) {
    SIZER_ASSIGN_OR_RETURN(std::string path, path_node.AsString());
    SIZER_ASSIGN_OR_RETURN(a.path, OpenableJobPath(path_node, path, resolver));
    std::error_code ec;
    if (std::filesystem::is_directory(a.path, ec)) {
      SIZER_RETURN_IF_ERROR(FromPeft(path_node, a.path, a));
    } else if (std::filesystem::path(a.path).filename() == "adapter_config.json") {
      SIZER_RETURN_IF_ERROR(FromPeft(path_node, std::filesystem::path(a.path).parent_path().string(), a));
    } else {
      SIZER_RETURN_IF_ERROR(FromGguf(path_node, a.path, a));
    }
  }
  if (item.IsMap()) {
    if (item.Has("rank")) {
      YamlValue r = item.GetOptional("rank");
      SIZER_ASSIGN_OR_RETURN(double rank, r.AsNumber());
      if (rank <= 0 || rank != static_cast<double>(static_cast<int64_t>(rank))) {
        return r.Error("rank must be a positive integer (the LoRA rank r)");
      }
      a.rank = static_cast<int64_t>(rank);
    }
    if (item.Has("target_modules")) {
      YamlValue t = item.GetOptional("target_modules");
      SIZER_ASSIGN_OR_RETURN(a.target_modules, t.AsStringList());
    }
    if (item.Has("dtype")) {
      YamlValue d = item.GetOptional("dtype");
      SIZER_ASSIGN_OR_RETURN(std::string dtype, d.AsString());
      if (dtype == "f32") a.bytes_per_element = 4;
      else if (dtype == "f16" || dtype == "bf16") a.bytes_per_element = 2;
      else return d.Error("unknown adapter dtype '" + dtype + "' (known: f32, f16, bf16)");
    }
  }
  if (a.rank <= 0) return item.Error("rank must be a positive integer (the LoRA rank r)");
  if (a.target_modules.empty()) return item.Error("target_modules is empty: name the projections the adapter changes");
  for (const std::string& m : a.target_modules) {
    const auto& known = LoraTargetModules();
    if (std::find(known.begin(), known.end(), m) == known.end()) {
      return item.Error("unknown target module '" + m + "'" + DidYouMean(m, known) +
                        " (known: " + Join(known, ", ") + ")");
    }
  }
  return Status();
}

}  // namespace

Status ParseAdapters(const YamlValue& node, std::vector<AdapterSpec>& out,
                     const ModelFileResolver& resolver) {
  if (!node.IsSequence()) return node.Error("adapters must be a list");
  const std::vector<YamlValue> items = node.Items();
  if (items.empty()) return node.Error("adapters is empty");
  for (size_t i = 0; i < items.size(); ++i) {
    AdapterSpec a;
    SIZER_RETURN_IF_ERROR(ParseAdapter(items[i], i, resolver, a));
    out.push_back(std::move(a));
  }
  return Status();
}

}  // namespace sizer
