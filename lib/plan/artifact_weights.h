// Weights read from a GGUF artifact's tensor list instead of estimated: exact bytes by tensor
// type, the same WeightPlan shape the estimate produces, so the rest of the planner does not
// care where the figures came from.
#ifndef SIZER_PLAN_ARTIFACT_WEIGHTS_H_
#define SIZER_PLAN_ARTIFACT_WEIGHTS_H_

#include <string_view>

#include "plan/weights.h"
#include "catalog/model.h"
#include "catalog/model_from_gguf.h"

namespace sizer {

// The role of a tensor from its GGUF name ("blk.3.ffn_down_exps.weight" -> kExpertDown).
TensorClass ClassifyTensor(std::string_view name);
// The block index in "blk.N.", or -1.
int64_t LayerOfTensor(std::string_view name);

WeightPlan WeightsFromArtifact(const ModelSpec& model, const ArtifactSpec& artifact);

}  // namespace sizer

#endif  // SIZER_PLAN_ARTIFACT_WEIGHTS_H_
