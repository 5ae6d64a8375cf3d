// A ModelSpec read from a GGUF artifact's metadata, and the artifact's real tensor list, so a
// job can plan from the file itself: weights are read, not estimated.
#ifndef SIZER_CATALOG_MODEL_FROM_GGUF_H_
#define SIZER_CATALOG_MODEL_FROM_GGUF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "gguf/artifact.h"
#include "catalog/model.h"
#include "catalog/weight_container.h"

namespace sizer {

struct ArtifactTensor {
  std::string name;
  std::string type;  // ggml type name
  uint64_t elements = 0;
  uint64_t bytes = 0;
};

// What the planner keeps of a GGUF file (or of a Hugging Face checkpoint's safetensors
// headers, catalog/model_from_hf.h) once it is closed.
struct ArtifactSpec {
  WeightContainer container = WeightContainer::kGguf;
  std::string path;
  std::vector<std::string> files;  // every split part
  uint64_t file_bytes = 0;
  uint64_t tensor_data_bytes = 0;
  std::string architecture;
  std::string file_type;  // "Q4_K_M" from general.file_type, or "unknown"
  std::vector<ArtifactTensor> tensors;
};

// llama_ftype (general.file_type) as a name: 15 -> "Q4_K_M". "ftype N" when unknown.
std::string GgufFileTypeName(uint64_t file_type);

// The architecture families sizer maps (others fail with kUnsupported naming these).
const std::vector<std::string>& SupportedGgufArchitectures();

// Reads general.architecture and the family's keys. kCorruption for a key of the wrong type
// or impossible values, kUnsupported for an architecture sizer does not know.
StatusOr<ModelSpec> ModelFromGguf(const gguf::Artifact& artifact);
ArtifactSpec DescribeArtifact(const gguf::Artifact& artifact);

}  // namespace sizer

#endif  // SIZER_CATALOG_MODEL_FROM_GGUF_H_
