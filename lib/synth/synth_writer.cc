#include "synth/synth_writer.h"

#include <cmath>

#include "base/thread_pool.h"
#include "gguf/writer.h"
#include "kernels/quantize.h"
#include "catalog/model_from_gguf.h"
#include "synth/synth_vocabulary.h"

namespace sizer::synth {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// llama.cpp's LLAMA_FTYPE of a preset name (general.file_type), or -1.
int64_t FileTypeOf(const std::string& quant) {
  for (uint64_t id = 0; id < 64; ++id) {
    if (GgufFileTypeName(id) == quant) return static_cast<int64_t>(id);
  }
  return -1;
}

StatusOr<gguf::GgufWriter> MakeWriter(const SynthShape& s, const std::vector<SynthTensor>& tensors,
                                      const std::string& quant) {
  SIZER_ASSIGN_OR_RETURN(SynthVocabulary vocab, MakeSynthVocabulary(s.vocab_size));
  gguf::GgufWriter w;
  w.AddString("general.architecture", "llama");
  w.AddString("general.name", s.name);
  w.AddU32("general.quantization_version", 2);
  if (const int64_t file_type = FileTypeOf(quant); file_type >= 0) {
    w.AddU32("general.file_type", static_cast<uint32_t>(file_type));
  }
  w.AddU32("llama.block_count", static_cast<uint32_t>(s.n_layers));
  w.AddU32("llama.context_length", static_cast<uint32_t>(s.context_tokens));
  w.AddU32("llama.embedding_length", static_cast<uint32_t>(s.d_model));
  w.AddU32("llama.feed_forward_length", static_cast<uint32_t>(s.d_ff));
  w.AddU32("llama.attention.head_count", static_cast<uint32_t>(s.n_heads));
  w.AddU32("llama.attention.head_count_kv", static_cast<uint32_t>(s.n_kv_heads));
  if (s.HeadDim() * s.n_heads != s.d_model) {
    w.AddU32("llama.attention.key_length", static_cast<uint32_t>(s.HeadDim()));
    w.AddU32("llama.attention.value_length", static_cast<uint32_t>(s.HeadDim()));
  }
  w.AddU32("llama.rope.dimension_count", static_cast<uint32_t>(s.HeadDim()));
  w.AddF32("llama.rope.freq_base", s.rope_base);
  w.AddF32("llama.attention.layer_norm_rms_epsilon", s.rms_eps);
  w.AddU32("llama.vocab_size", static_cast<uint32_t>(s.vocab_size));
  w.AddString("tokenizer.ggml.model", "llama");
  w.AddStringArray("tokenizer.ggml.tokens", vocab.tokens);
  w.AddF32Array("tokenizer.ggml.scores", vocab.scores);
  w.AddI32Array("tokenizer.ggml.token_type", vocab.token_types);
  w.AddU32("tokenizer.ggml.unknown_token_id", static_cast<uint32_t>(vocab.unk_id));
  w.AddU32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(vocab.bos_id));
  w.AddU32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(vocab.eos_id));
  w.AddBool("tokenizer.ggml.add_bos_token", true);
  w.AddBool("tokenizer.ggml.add_space_prefix", true);
  for (const SynthTensor& t : tensors) SIZER_RETURN_IF_ERROR(w.AddTensor(t.name, t.shape, t.ggml_type));
  return w;
}

}  // namespace

StatusOr<uint64_t> SynthFileBytes(const SynthShape& shape, const std::vector<SynthTensor>& tensors,
                                  const std::string& quant) {
  SIZER_ASSIGN_OR_RETURN(gguf::GgufWriter w, MakeWriter(shape, tensors, quant));
  return w.FileBytes();
}

StatusOr<SynthResult> WriteSynthGguf(const SynthShape& shape, const std::vector<SynthTensor>& tensors,
                                     const std::string& path, const SynthOptions& options) {
  SIZER_ASSIGN_OR_RETURN(gguf::GgufWriter writer, MakeWriter(shape, tensors, options.quant));
  ThreadPool pool(options.threads > 0 ? options.threads : PhysicalCoreCount());
  auto fill = [&](size_t index, uint64_t row_begin, uint64_t row_end, uint8_t* out) -> Status {
    const SynthTensor& t = tensors[index];
    const gguf::GgufWriter::TensorInfo& info = writer.tensors()[index];
    const int64_t width = static_cast<int64_t>(t.shape[0]);
    const float half_range = std::sqrt(3.0f / static_cast<float>(width));
    pool.ParallelFor(static_cast<int64_t>(row_end - row_begin), [&](int64_t begin, int64_t end) {
      std::vector<float> row(static_cast<size_t>(width));
      for (int64_t r = begin; r < end; ++r) {
        const uint64_t global_row = row_begin + static_cast<uint64_t>(r);
        if (t.is_norm) {
          for (float& v : row) v = 1.0f;
        } else {
          uint64_t state = options.seed * 0x2545F4914F6CDD1Dull ^ (index << 40) ^ global_row;
          for (int64_t i = 0; i < width; i += 2) {
            const uint64_t bits = SplitMix64(state);
            // Two 24-bit uniforms in [-1, 1) from one 64-bit draw.
            const float u0 = static_cast<float>(bits & 0xFFFFFF) * (2.0f / 16777216.0f) - 1.0f;
            const float u1 = static_cast<float>((bits >> 24) & 0xFFFFFF) * (2.0f / 16777216.0f) - 1.0f;
            row[static_cast<size_t>(i)] = u0 * half_range;
            if (i + 1 < width) row[static_cast<size_t>(i + 1)] = u1 * half_range;
          }
        }
        kernels::QuantizeRowReference(t.ggml_type, row.data(),
                                      out + static_cast<uint64_t>(r) * info.row_bytes, width);
      }
    });
    return Status();
  };
  SIZER_RETURN_IF_ERROR(writer.Write(path, fill, options.progress));
  SynthResult result;
  result.file_bytes = writer.FileBytes();
  result.parameters = CountParameters(tensors);
  return result;
}

}  // namespace sizer::synth
