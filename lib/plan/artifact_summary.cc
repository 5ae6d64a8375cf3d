#include "plan/artifact_summary.h"

#include <algorithm>

#include "plan/kv_cache.h"
#include "knowledge/weight_format.h"

namespace sizer {

ArtifactSummary SummarizeArtifact(const ModelSpec& model, const ArtifactSpec& artifact) {
  ArtifactSummary s;
  s.model = model;
  s.artifact = artifact;
  for (const ArtifactTensor& t : artifact.tensors) {
    auto row = std::find_if(s.histogram.begin(), s.histogram.end(),
                            [&](const TypeHistogramRow& r) { return r.type == t.type; });
    if (row == s.histogram.end()) {
      s.histogram.push_back({t.type});
      row = s.histogram.end() - 1;
    }
    ++row->tensors;
    row->params += static_cast<double>(t.elements);
    row->bytes += static_cast<double>(t.bytes);
    s.total_params += static_cast<double>(t.elements);
    s.total_bytes += static_cast<double>(t.bytes);
    if (t.name == "token_embd.weight") {
      s.embedding_bytes = static_cast<double>(t.bytes);
      s.embedding_type = t.type;
    }
    if (t.name == "output.weight") {
      s.output_bytes = static_cast<double>(t.bytes);
      s.output_type = t.type;
    }
  }
  for (TypeHistogramRow& r : s.histogram) {
    r.bits_per_weight = r.params > 0 ? 8 * r.bytes / r.params : 0;
  }
  std::sort(s.histogram.begin(), s.histogram.end(),
            [](const TypeHistogramRow& a, const TypeHistogramRow& b) { return a.bytes > b.bytes; });
  s.kv_bytes_per_token_f16 = KvBytesPerToken(model, FindKvDtype("f16")->bytes_per_element);
  s.kv_bytes_per_token_q8_0 = KvBytesPerToken(model, FindKvDtype("q8_0")->bytes_per_element);
  s.linear_state_bytes_per_sequence =
      LinearStateBytes(model, 4.0) * static_cast<double>(model.CountLayers(LayerKind::kLinear));
  return s;
}

}  // namespace sizer
