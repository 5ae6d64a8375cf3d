#include "catalog/weight_container.h"

namespace sizer {

std::string_view WeightContainerName(WeightContainer container) {
  switch (container) {
    case WeightContainer::kGguf: return "gguf";
    case WeightContainer::kSafetensors: return "safetensors";
    case WeightContainer::kMlx: return "mlx";
  }
  return "?";
}

}  // namespace sizer
