// The small SentencePiece-style vocabulary a synthetic GGUF carries, so the micro-runner's
// llama tokenizer can encode a prompt and decode what the random weights produce:
// <unk>, <s>, </s>, the 256 byte-fallback tokens <0x00>..<0xFF>, then word pieces ("▁the",
// single letters, ...) and filler pieces until the vocabulary has the requested size. Scores
// fall with the index, so the SPM merge prefers the earlier (shorter, commoner) pieces.
#ifndef SIZER_SYNTH_SYNTH_VOCABULARY_H_
#define SIZER_SYNTH_SYNTH_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace sizer::synth {

struct SynthVocabulary {
  std::vector<std::string> tokens;
  std::vector<float> scores;
  std::vector<int32_t> token_types;  // llama_token_type: 1 normal, 2 unknown, 3 control, 6 byte
  int32_t unk_id = 0;
  int32_t bos_id = 1;
  int32_t eos_id = 2;
};

// Control tokens plus one byte token per byte value.
inline constexpr int64_t kMinSynthVocabulary = 3 + 256;

// kInvalidArgument below kMinSynthVocabulary or above 2^24 tokens.
StatusOr<SynthVocabulary> MakeSynthVocabulary(int64_t vocab_size);

}  // namespace sizer::synth

#endif  // SIZER_SYNTH_SYNTH_VOCABULARY_H_
