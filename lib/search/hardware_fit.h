// The inverse question (`sizer recommend --hardware ID`): which models of the database fit
// one machine, in which formats, and how fast; the largest models first.
#ifndef SIZER_SEARCH_HARDWARE_FIT_H_
#define SIZER_SEARCH_HARDWARE_FIT_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/question.h"
#include "search/search.h"

namespace sizer {

struct ModelFit {
  std::string model_id;
  double params_total = 0;
  int64_t context_tokens = 0;
  std::vector<std::string> formats;  // admitted, in database order
  SearchPoint best;  // the largest admitted format (the most bits: the best quality)
};

struct HardwareFitResult {
  std::string machine;  // "2x rtx-4090"
  std::vector<ModelFit> fits;        // largest model first
  std::vector<std::string> no_fit;   // models with no admitted format
  int64_t plans = 0;
  std::vector<QuestionDefault> defaults;  // of the first model's question
};

// Plans every model_db model on `machine` ("rtx-4090", "2x rtx-4090") with the question's
// other flags (its model is ignored; --context above a model's maximum is planned with a
// warning), over `quants` (empty: the runtime's default 4-bit format; {"auto"}: every format
// the runtime loads).
StatusOr<HardwareFitResult> SearchModels(const Catalog& catalog, const Question& question,
                                         const std::string& machine,
                                         const std::vector<std::string>& quants, int threads);

}  // namespace sizer

#endif  // SIZER_SEARCH_HARDWARE_FIT_H_
