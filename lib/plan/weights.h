// Weight bytes from the architecture: every tensor group the model has, stored in the
// format's per-tensor type (so Q4_K_M's Q6_K tensors are counted as Q6_K), embedding and
// output at their own types, tied embeddings once.
#ifndef SIZER_PLAN_WEIGHTS_H_
#define SIZER_PLAN_WEIGHTS_H_

#include <string>
#include <vector>

#include "plan/quantity.h"
#include "catalog/model.h"
#include "knowledge/weight_format.h"

namespace sizer {

struct TensorGroup {
  TensorClass cls;
  std::string type;  // storage type, "Q6_K"
  double params = 0;
  double bytes = 0;
  int64_t tensors = 0;
};

struct WeightPlan {
  std::vector<TensorGroup> groups;  // by (class, type), in inventory order
  double total_bytes = 0;
  double total_params = 0;          // derived + residual
  double derived_params = 0;        // from the dimensions
  double residual_params = 0;       // params_total - derived (biases, linear-attention blocks)
  double token_embedding_bytes = 0;
  double output_bytes = 0;          // 0 when tied
  double routed_expert_bytes = 0;   // all routed experts, all layers
  std::vector<double> layer_bytes;  // (n_layers) bytes inside each block
  // Bytes read from memory per decoded token: everything but the embedding table (a lookup;
  // read whole only when tied, as the output matrix), and only the routed experts a token
  // uses (n_experts_per_token / n_experts of them).
  double read_per_token_bytes = 0;
  // Parameters multiplied per token (2 FLOPs each): the same selection as above.
  double active_params = 0;
  std::vector<Formula> warnings;
  QuantityList rows;
};

WeightPlan PlanWeights(const ModelSpec& model, const WeightFormat& format);

// Rescales every byte figure to `given_bytes` (an artifact's file size or an override), keeping
// the split between tensors; records the rescale in the rows.
void RescaleWeights(WeightPlan& plan, double given_bytes, const std::string& why);

}  // namespace sizer

#endif  // SIZER_PLAN_WEIGHTS_H_
