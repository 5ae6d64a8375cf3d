// libFuzzer target for the Hugging Face config.json reader and its quantization_config
// (catalog/hf_config.h, catalog/hf_quantization.h). Every error must name the file; a parsed
// model must have the positive dimensions the planner divides by.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "catalog/hf_config.h"
#include "catalog/hf_quantization.h"

namespace {

void Check(const sizer::Status& s) {
  if (!s.ok() && s.message().rfind("fuzz/config.json", 0) != 0) {
    std::fprintf(stderr, "error without the file name: %s\n", s.message().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sizer::StatusOr<sizer::HfConfig> c = sizer::ParseHfConfig(text, "fuzz/config.json");
  Check(c.status());
  if (!c.ok()) return 0;
  const sizer::ModelSpec& m = c->model;
  if (m.n_layers < 1 || m.d_model < 1 || m.n_heads < 1 || m.n_kv_heads < 1 || m.head_dim < 1 ||
      m.layer_pattern.empty()) {
    std::abort();
  }
  Check(sizer::ReadHfQuantization(c->quantization_config, c->torch_dtype, "fuzz/config.json: ")
            .status());
  return 0;
}
