// A tiny LLaVA-style mmproj GGUF (general.architecture "clip", projector type "mlp") laid out
// as llama.cpp's converter writes one: 2-D weights in F16, biases and norms in F32, zero data.
#ifndef SIZER_TESTS_TESTING_MMPROJ_BUILDER_H_
#define SIZER_TESTS_TESTING_MMPROJ_BUILDER_H_

#include <cstdint>

#include "testing/gguf_builder.h"

namespace sizer::testing {

struct MmprojOptions {
  uint64_t d = 64;         // clip.vision.embedding_length
  uint64_t ff = 128;       // clip.vision.feed_forward_length
  uint64_t layers = 2;     // clip.vision.block_count
  uint64_t heads = 4;
  uint64_t patch = 4;      // clip.vision.patch_size
  uint64_t image = 16;     // clip.vision.image_size
  uint64_t projection = 2048;  // clip.vision.projection_dim (the text model's d_model)
};

GgufBuilder MmprojBuilder(const MmprojOptions& options = {});

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_MMPROJ_BUILDER_H_
