// What `sizer inspect` reports about a GGUF artifact: the architecture, exact weight bytes by
// tensor type, the embedding/output split and the KV bytes per token.
#ifndef SIZER_PLAN_ARTIFACT_SUMMARY_H_
#define SIZER_PLAN_ARTIFACT_SUMMARY_H_

#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/model_from_gguf.h"

namespace sizer {

struct TypeHistogramRow {
  std::string type;  // ggml type name
  int64_t tensors = 0;
  double params = 0;
  double bytes = 0;
  double bits_per_weight = 0;  // 8 x bytes / params
};

struct ArtifactSummary {
  ModelSpec model;
  ArtifactSpec artifact;
  std::vector<TypeHistogramRow> histogram;  // largest bytes first
  double total_params = 0;
  double total_bytes = 0;                   // == artifact.tensor_data_bytes
  double embedding_bytes = 0;
  std::string embedding_type;
  double output_bytes = 0;                  // 0 when tied
  std::string output_type;
  double kv_bytes_per_token_f16 = 0;
  double kv_bytes_per_token_q8_0 = 0;
  double linear_state_bytes_per_sequence = 0;  // hybrid models, f32 state
};

ArtifactSummary SummarizeArtifact(const ModelSpec& model, const ArtifactSpec& artifact);

}  // namespace sizer

#endif  // SIZER_PLAN_ARTIFACT_SUMMARY_H_
