#include "catalog/hardware.h"

#include <algorithm>

#include "base/units.h"
#include "yaml/yaml_reader.h"

namespace sizer {

std::string_view HardwareKindName(HardwareKind kind) {
  switch (kind) {
    case HardwareKind::kGpu: return "gpu";
    case HardwareKind::kUnified: return "unified";
    case HardwareKind::kCpu: return "cpu";
  }
  return "?";
}

bool HardwareSpec::SupportsFormat(const std::string& format) const {
  return std::find(low_bit_formats.begin(), low_bit_formats.end(), format) !=
         low_bit_formats.end();
}

StatusOr<HardwareSpec> ParseHardwareSpec(const YamlValue& node) {
  SIZER_RETURN_IF_ERROR(node.CheckKeys(
      {"id", "name", "kind", "vendor", "memory", "memory_bandwidth", "fp16_tflops", "int8_tops",
       "fp8_tflops", "tdp_watts", "price_usd", "price_date", "interconnect",
       "interconnect_bandwidth", "low_bit_formats", "gpu_wired_limit_fraction", "os_reserved",
       "cores", "source", "notes"}));
  HardwareSpec hw;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "id", &YamlValue::AsString, hw.id));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "name", &YamlValue::AsString, hw.name));
  if (hw.name.empty()) hw.name = hw.id;
  SIZER_ASSIGN_OR_RETURN(YamlValue kind_node, node.Get("kind"));
  SIZER_ASSIGN_OR_RETURN(std::string kind, kind_node.AsString());
  if (kind == "gpu") {
    hw.kind = HardwareKind::kGpu;
  } else if (kind == "unified") {
    hw.kind = HardwareKind::kUnified;
  } else if (kind == "cpu") {
    hw.kind = HardwareKind::kCpu;
  } else {
    return kind_node.Error("unknown kind '" + kind + "' (expected gpu, unified or cpu)");
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "vendor", &YamlValue::AsString, hw.vendor));
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "memory", &YamlValue::AsPositiveBytes, hw.memory_bytes));
  {
    // "24 GiB": the card is sold in binary units, so reports may print its memory as such.
    SIZER_ASSIGN_OR_RETURN(YamlValue memory, node.Get("memory"));
    StatusOr<std::string> text = memory.AsString();
    hw.memory_in_binary_units = text.ok() && text->find("iB") != std::string::npos;
  }
  SIZER_ASSIGN_OR_RETURN(YamlValue bandwidth, node.Get("memory_bandwidth"));
  SIZER_ASSIGN_OR_RETURN(hw.memory_bandwidth_bytes_per_s, bandwidth.AsBytesPerSecond());
  double fp16_tflops = 0;
  SIZER_RETURN_IF_ERROR(ReadRequired(node, "fp16_tflops", &YamlValue::AsPositiveNumber, fp16_tflops));
  hw.fp16_flop_per_s = fp16_tflops * kTera;
  if (node.Has("int8_tops")) {
    SIZER_ASSIGN_OR_RETURN(double tops, node.GetOptional("int8_tops").AsNonNegativeNumber());
    hw.int8_op_per_s = tops * kTera;
  }
  if (node.Has("fp8_tflops")) {
    SIZER_ASSIGN_OR_RETURN(double tflops, node.GetOptional("fp8_tflops").AsNonNegativeNumber());
    hw.fp8_flop_per_s = tflops * kTera;
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "tdp_watts", &YamlValue::AsPositiveNumber, hw.tdp_watts));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "price_usd", &YamlValue::AsNonNegativeNumber, hw.price_usd));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "price_date", &YamlValue::AsString, hw.price_date));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "interconnect", &YamlValue::AsString, hw.interconnect));
  if (node.Has("interconnect_bandwidth")) {
    SIZER_ASSIGN_OR_RETURN(hw.interconnect_bandwidth_bytes_per_s,
                           node.GetOptional("interconnect_bandwidth").AsBytesPerSecond(true));
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "low_bit_formats", &YamlValue::AsStringList, hw.low_bit_formats));
  if (node.Has("gpu_wired_limit_fraction")) {
    YamlValue v = node.GetOptional("gpu_wired_limit_fraction");
    SIZER_ASSIGN_OR_RETURN(hw.gpu_wired_limit_fraction, v.AsFraction());
    if (hw.gpu_wired_limit_fraction == 0) return v.Error("must be greater than 0");
  }
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "os_reserved", &YamlValue::AsBytes, hw.os_reserved_bytes));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "cores", &YamlValue::AsPositiveInt, hw.cores));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "source", &YamlValue::AsString, hw.source));
  SIZER_RETURN_IF_ERROR(ReadIfPresent(node, "notes", &YamlValue::AsString, hw.notes));
  if (hw.os_reserved_bytes >= hw.memory_bytes) {
    return node.GetOptional("os_reserved").Error("os_reserved must be less than memory");
  }
  return hw;
}

}  // namespace sizer
