// The file container a model's weights come in. A catalog fact (runtime_db lists the
// containers each runtime loads), below the planner's weight-format table that uses it.
#ifndef SIZER_CATALOG_WEIGHT_CONTAINER_H_
#define SIZER_CATALOG_WEIGHT_CONTAINER_H_

#include <string_view>

namespace sizer {

enum class WeightContainer { kGguf, kSafetensors, kMlx };

// "gguf", "safetensors", "mlx": the spelling runtime_db and the job files use.
std::string_view WeightContainerName(WeightContainer container);

}  // namespace sizer

#endif  // SIZER_CATALOG_WEIGHT_CONTAINER_H_
