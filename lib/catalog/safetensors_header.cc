#include "catalog/safetensors_header.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace sizer {
namespace {

using nlohmann::json;

struct DtypeBits {
  std::string_view name;
  int bits;
};

// huggingface/safetensors safetensors/src/tensor.rs, enum Dtype and Dtype::bitsize().
constexpr DtypeBits kDtypes[] = {
    {"BOOL", 8},     {"U8", 8},       {"I8", 8},       {"F8_E4M3", 8},  {"F8_E5M2", 8},
    {"F8_E8M0", 8},  {"I16", 16},     {"U16", 16},     {"F16", 16},     {"BF16", 16},
    {"I32", 32},     {"U32", 32},     {"F32", 32},     {"F64", 64},     {"I64", 64},
    {"U64", 64},     {"C64", 64},     {"F4", 4},       {"F6_E2M3", 6},  {"F6_E3M2", 6},
};

std::string At(const std::string& path, uint64_t offset) {
  return path + ": byte " + std::to_string(offset) + ": ";
}

uint64_t ReadLittleEndian64(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
  return v;
}

// A non-negative integer that fits 64 bits, or an error naming `what`.
StatusOr<uint64_t> Unsigned(const json& v, const std::string& what) {
  if (!v.is_number_unsigned()) {
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
    return Status::Corruption(what + " is not a non-negative integer");
  }
  return v.get<uint64_t>();
}

Status ParseTensor(const std::string& where, const std::string& name, const json& entry,
                   SafetensorsTensor& t) {
  const std::string ctx = where + "tensor '" + name + "': ";
  if (!entry.is_object()) return Status::Corruption(ctx + "expected an object");
  for (const char* key : {"dtype", "shape", "data_offsets"}) {
    if (!entry.contains(key)) return Status::Corruption(ctx + "missing key '" + key + "'");
  }
  if (!entry["dtype"].is_string()) return Status::Corruption(ctx + "'dtype' is not a string");
  t.name = name;
  t.dtype = entry["dtype"].get<std::string>();
  const int bits = SafetensorsDtypeBits(t.dtype);
  if (bits == 0) {
    return Status::Corruption(ctx + "unknown dtype '" + t.dtype + "' (known: " +
                              KnownSafetensorsDtypes() + ")");
  }
  const json& shape = entry["shape"];
  if (!shape.is_array() || shape.size() > 16) {
    return Status::Corruption(ctx + "'shape' is not an array of at most 16 dimensions");
  }
  uint64_t elements = 1;
  for (const json& dim : shape) {
    SIZER_ASSIGN_OR_RETURN(uint64_t d, Unsigned(dim, ctx + "a 'shape' dimension"));
    if (d != 0 && elements > UINT64_MAX / d) {
      return Status::Corruption(ctx + "'shape' overflows 64 bits");
    }
    elements *= d;
    t.shape.push_back(d);
  }
  t.elements = elements;
  const json& offsets = entry["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) {
    return Status::Corruption(ctx + "'data_offsets' is not [begin, end]");
  }
  SIZER_ASSIGN_OR_RETURN(t.begin, Unsigned(offsets[0], ctx + "'data_offsets' begin"));
  SIZER_ASSIGN_OR_RETURN(t.end, Unsigned(offsets[1], ctx + "'data_offsets' end"));
  if (t.end < t.begin) return Status::Corruption(ctx + "'data_offsets' end is before begin");
  if (elements > UINT64_MAX / static_cast<uint64_t>(bits)) {
    return Status::Corruption(ctx + "'shape' x dtype size overflows 64 bits");
  }
  const uint64_t total_bits = elements * static_cast<uint64_t>(bits);
  if (total_bits % 8 != 0 || t.end - t.begin != total_bits / 8) {
    return Status::Corruption(ctx + "'data_offsets' [" + std::to_string(t.begin) + ", " +
                              std::to_string(t.end) + "] span " + std::to_string(t.end - t.begin) +
                              " bytes, but shape x " + t.dtype + " is " +
                              std::to_string(total_bits / 8) + (total_bits % 8 ? " and a part" : "") +
                              " bytes");
  }
  return Status();
}

Status ParseMetadata(const std::string& where, const json& meta, SafetensorsHeader& h) {
  if (!meta.is_object()) return Status::Corruption(where + "'__metadata__' is not an object");
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (!it.value().is_string()) {
      return Status::Corruption(where + "'__metadata__." + it.key() + "' is not a string");
    }
    h.metadata[it.key()] = it.value().get<std::string>();
  }
  return Status();
}

// The data region: tensors in order, each starting where the previous ended (the safetensors
// crate's validate(): no gap, no overlap), the last ending at the data region's end.
Status CheckLayout(SafetensorsHeader& h) {
  std::sort(h.tensors.begin(), h.tensors.end(),
            [](const SafetensorsTensor& a, const SafetensorsTensor& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  const uint64_t data_start = 8 + h.header_bytes;
  uint64_t expected = 0;
  const SafetensorsTensor* previous = nullptr;
  for (const SafetensorsTensor& t : h.tensors) {
    if (t.begin < expected) {
      return Status::Corruption(At(h.path, data_start + t.begin) + "tensor '" + t.name +
                                "' overlaps tensor '" + previous->name + "' (data_offsets [" +
                                std::to_string(t.begin) + ", " + std::to_string(t.end) + "])");
    }
    if (t.begin > expected) {
      return Status::Corruption(At(h.path, data_start + expected) + "a gap of " +
                                std::to_string(t.begin - expected) + " bytes before tensor '" +
                                t.name + "'");
    }
    expected = t.end;
    previous = &t;
  }
  h.data_bytes = expected;
  const uint64_t present = h.file_bytes - data_start;
  // A header-only file (the fixtures): nothing after the header. Otherwise the file must hold
  // exactly the data the offsets describe.
  h.data_present = present != 0 || expected == 0;
  if (h.data_present && present != expected) {
    return Status::Corruption(At(h.path, data_start) + "the data region holds " +
                              std::to_string(present) + " bytes, the tensors' data_offsets " +
                              std::to_string(expected) +
                              (present < expected ? " (truncated file)" : ""));
  }
  return Status();
}

}  // namespace

int SafetensorsDtypeBits(std::string_view dtype) {
  for (const DtypeBits& d : kDtypes) {
    if (d.name == dtype) return d.bits;
  }
  return 0;
}

std::string KnownSafetensorsDtypes() {
  std::string out;
  for (const DtypeBits& d : kDtypes) out += (out.empty() ? "" : " ") + std::string(d.name);
  return out;
}

StatusOr<SafetensorsHeader> ParseSafetensorsHeader(std::string_view prefix, uint64_t file_bytes,
                                                   const std::string& path) {
  SafetensorsHeader h;
  h.path = path;
  h.file_bytes = file_bytes;
  if (prefix.size() < 8 || file_bytes < 8) {
    return Status::Corruption(At(path, 0) + "shorter than the 8-byte header length");
  }
  h.header_bytes = ReadLittleEndian64(prefix);
  if (h.header_bytes > kMaxSafetensorsHeaderBytes) {
    return Status::Corruption(At(path, 0) + "header length " + std::to_string(h.header_bytes) +
                              " exceeds the " + std::to_string(kMaxSafetensorsHeaderBytes) +
                              "-byte limit");
  }
  if (h.header_bytes > file_bytes - 8 || h.header_bytes > prefix.size() - 8) {
    return Status::Corruption(At(path, 0) + "header length " + std::to_string(h.header_bytes) +
                              " runs past the end of the " + std::to_string(file_bytes) +
                              "-byte file");
  }
  const std::string_view text = prefix.substr(8, h.header_bytes);
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return Status::Corruption(At(path, 8 + (e.byte > 0 ? e.byte - 1 : 0)) +
                              "the header is not JSON: " + e.what());
  } catch (const json::exception& e) {
    return Status::Corruption(At(path, 8) + "the header is not JSON: " + e.what());
  }
  if (!root.is_object()) return Status::Corruption(At(path, 8) + "the header is not a JSON object");
  const std::string where = At(path, 8);
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it.key() == "__metadata__") {
      SIZER_RETURN_IF_ERROR(ParseMetadata(where, it.value(), h));
      continue;
    }
    SafetensorsTensor t;
    SIZER_RETURN_IF_ERROR(ParseTensor(where, it.key(), it.value(), t));
    h.tensors.push_back(std::move(t));
  }
  SIZER_RETURN_IF_ERROR(CheckLayout(h));
  return h;
}

StatusOr<SafetensorsHeader> ReadSafetensorsHeader(const std::string& path) {
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::NotFound(path + ": cannot read: " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::string prefix(8, '\0');
  if (size < 8 || !in.read(prefix.data(), 8)) {
    return Status::Corruption(At(path, 0) + "shorter than the 8-byte header length");
  }
  const uint64_t n = ReadLittleEndian64(prefix);
  // The allocation is bounded by the limit and by the file's real size, never by the claim.
  if (n <= kMaxSafetensorsHeaderBytes && n <= size - 8) {
    prefix.resize(8 + n);
    if (!in.read(prefix.data() + 8, static_cast<std::streamsize>(n))) {
      return Status::IOError(At(path, 8) + "read failed");
    }
  }
  return ParseSafetensorsHeader(prefix, size, path);
}

}  // namespace sizer
