// Writes a synthetic GGUF: the tensors PlanSynthTensors chose, filled with seeded random
// weights quantized by the project's own reference quantizers (kernels/quantize.h), plus the
// llama metadata and a small SentencePiece vocabulary, so `sizer run` / `sizer validate` can
// run it. Random weights cost the same bytes and the same kernels as trained ones, which is
// all a speed measurement needs.
//
// Values: uniform in [-a, a] with standard deviation 1/sqrt(row width) (a = sqrt(3 / width)),
// so a matrix-vector product keeps activations near unit scale; norms are ones. Each row has
// its own generator seeded from (seed, tensor index, row), so the file does not depend on
// the thread count or the chunking.
#ifndef SIZER_SYNTH_SYNTH_WRITER_H_
#define SIZER_SYNTH_SYNTH_WRITER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "synth/synth_model.h"

namespace sizer::synth {

struct SynthOptions {
  uint64_t seed = 1;
  int threads = 0;             // 0: the machine's physical cores
  std::string quant;           // recorded as general.file_type when it is a llama ftype
  std::function<void(uint64_t done_bytes, uint64_t total_bytes)> progress;
};

struct SynthResult {
  uint64_t file_bytes = 0;
  int64_t parameters = 0;
};

// Bytes the file will have, without writing it.
StatusOr<uint64_t> SynthFileBytes(const SynthShape& shape, const std::vector<SynthTensor>& tensors,
                                  const std::string& quant);

StatusOr<SynthResult> WriteSynthGguf(const SynthShape& shape,
                                     const std::vector<SynthTensor>& tensors,
                                     const std::string& path, const SynthOptions& options);

}  // namespace sizer::synth

#endif  // SIZER_SYNTH_SYNTH_WRITER_H_
