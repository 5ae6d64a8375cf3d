// A GGUF model artifact on disk: one file, or a split set (name-00001-of-00003.gguf ...)
// read as one model. Owns the memory maps; the parsed views stay valid while it lives.
#ifndef SIZER_GGUF_ARTIFACT_H_
#define SIZER_GGUF_ARTIFACT_H_

#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/status.h"
#include "gguf/reader.h"

namespace sizer::gguf {

class Artifact {
 public:
  // Opens `path`. A split name (any part) opens every part; a missing part, a part whose
  // split.no/split.count disagree, or a tensor name found in two parts is an error. Errors
  // carry the file name: "model.gguf: byte 123: tensor 'x': ...".
  static StatusOr<Artifact> Open(const std::string& path);

  // The first part: it holds the model's metadata.
  const GgufFile& metadata() const { return parts_.front(); }
  const std::vector<GgufFile>& parts() const { return parts_; }
  const std::vector<std::string>& paths() const { return paths_; }
  // Every tensor of every part, in part order.
  std::vector<const TensorInfo*> tensors() const;
  const TensorInfo* FindTensor(std::string_view name) const;
  uint64_t file_bytes() const;
  uint64_t tensor_data_bytes() const;

 private:
  std::vector<std::unique_ptr<MappedFile>> maps_;
  std::vector<GgufFile> parts_;
  std::vector<std::string> paths_;
};

// "model-00002-of-00005.gguf" -> {prefix "model", index 2, count 5}; nullopt if not split.
struct SplitName {
  std::string prefix;
  int index = 0;
  int count = 0;
};
std::optional<SplitName> ParseSplitName(const std::string& path);
std::string SplitPath(const std::string& prefix, int index, int count);

}  // namespace sizer::gguf

#endif  // SIZER_GGUF_ARTIFACT_H_
