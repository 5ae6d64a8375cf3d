#include "gguf/artifact.h"

#include <cstdio>
#include <regex>
#include <unordered_set>

namespace sizer::gguf {

std::optional<SplitName> ParseSplitName(const std::string& path) {
  // llama.cpp's llama_split_path: "%s-%05d-of-%05d.gguf", parts numbered from 1.
  static const std::regex kSplit(R"(^(.*)-(\d{5})-of-(\d{5})\.gguf$)");
  std::smatch m;
  if (!std::regex_match(path, m, kSplit)) return std::nullopt;
  SplitName s{m[1].str(), std::stoi(m[2].str()), std::stoi(m[3].str())};
  if (s.count < 1 || s.index < 1 || s.index > s.count) return std::nullopt;
  return s;
}

std::string SplitPath(const std::string& prefix, int index, int count) {
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), "-%05d-of-%05d.gguf", index, count);
  return prefix + suffix;
}

StatusOr<Artifact> Artifact::Open(const std::string& path) {
  Artifact a;
  std::optional<SplitName> split = ParseSplitName(path);
  if (split && split->count > 1) {
    for (int i = 1; i <= split->count; ++i) a.paths_.push_back(SplitPath(split->prefix, i, split->count));
  } else {
    a.paths_.push_back(path);
  }
  std::unordered_set<std::string_view> names;
  for (size_t i = 0; i < a.paths_.size(); ++i) {
    const std::string& part_path = a.paths_[i];
    StatusOr<MappedFile> map = MappedFile::Open(part_path);
    if (!map.ok()) {
      if (a.paths_.size() > 1 && map.status().code() == StatusCode::kNotFound) {
        return Status::NotFound(part_path + ": split part " + std::to_string(i + 1) + " of " +
                                std::to_string(a.paths_.size()) + " is missing");
      }
      return map.status();
    }
    a.maps_.push_back(std::make_unique<MappedFile>(std::move(map).value()));
    const MappedFile& m = *a.maps_.back();
    StatusOr<GgufFile> parsed = ParseGguf(m.data(), m.size());
    if (!parsed.ok()) return parsed.status().WithContext(part_path);
    if (a.paths_.size() > 1) {
      // llama.cpp's gguf-split writes split.no (0-based) and split.count into every part.
      StatusOr<uint64_t> no = parsed->GetUint("split.no");
      StatusOr<uint64_t> count = parsed->GetUint("split.count");
      if ((no.ok() && *no != i) || (count.ok() && *count != a.paths_.size())) {
        return Status::Corruption(part_path + ": split.no/split.count (" +
                                  (no.ok() ? std::to_string(*no) : "?") + "/" +
                                  (count.ok() ? std::to_string(*count) : "?") +
                                  ") disagree with the file name");
      }
    }
    for (const TensorInfo& t : parsed->tensors) {
      if (!names.insert(t.name).second) {
        return Status::Corruption(part_path + ": byte " + std::to_string(t.info_offset) +
                                  ": tensor '" + std::string(t.name) +
                                  "' also appears in an earlier split part");
      }
    }
    a.parts_.push_back(std::move(parsed).value());
  }
  return a;
}

std::vector<const TensorInfo*> Artifact::tensors() const {
  std::vector<const TensorInfo*> out;
  for (const GgufFile& part : parts_) {
    for (const TensorInfo& t : part.tensors) out.push_back(&t);
  }
  return out;
}

const TensorInfo* Artifact::FindTensor(std::string_view name) const {
  for (const GgufFile& part : parts_) {
    if (const TensorInfo* t = part.FindTensor(name)) return t;
  }
  return nullptr;
}

uint64_t Artifact::file_bytes() const {
  uint64_t total = 0;
  for (const GgufFile& part : parts_) total += part.file_bytes;
  return total;
}

uint64_t Artifact::tensor_data_bytes() const {
  uint64_t total = 0;
  for (const GgufFile& part : parts_) total += part.tensor_data_bytes;
  return total;
}

}  // namespace sizer::gguf
