#include "runner/tokenizer.h"

#include <utility>

#include "runner/bpe_tokenizer.h"
#include "runner/pre_tokenizer.h"
#include "runner/spm_tokenizer.h"
#include "runner/tokenizer_keys.h"
#include "runner/unicode_text.h"

namespace sizer::runner {
namespace {

constexpr std::string_view kSentencePiece = "llama";
constexpr std::string_view kByteLevelBpe = "gpt2";

// llama.cpp's defaults for a SentencePiece vocabulary (llama_vocab::load, "llama").
VocabularyDefaults SentencePieceDefaults() {
  VocabularyDefaults d;
  d.bos = 1;
  d.eos = 2;
  d.unk = 0;
  d.ids_must_exist = true;
  d.add_bos = true;
  d.add_space_prefix = true;
  d.infer_types = true;
  return d;
}

// llama.cpp's defaults for a byte-level BPE vocabulary ("gpt2"): bos = eos = 11, no unknown
// token, no space prefix; BOS by default only where the pre-tokenizer says so (Llama 3).
VocabularyDefaults BytePairDefaults(const PreTokenizer& pre) {
  VocabularyDefaults d;
  d.bos = 11;
  d.eos = 11;
  d.unk = -1;
  d.ids_must_exist = false;
  d.add_bos = pre.traits().add_bos_default;
  d.add_space_prefix = false;
  return d;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

}  // namespace

std::vector<std::string> Tokenizer::SupportedModels() {
  return {std::string(kSentencePiece), std::string(kByteLevelBpe)};
}

std::vector<std::string> Tokenizer::SupportedPreTokenizers() { return PreTokenizer::KnownNames(); }

StatusOr<Tokenizer> Tokenizer::FromGguf(const gguf::GgufFile& file) {
  if (file.Find(kModelKey) == nullptr) return Status::Corruption(KeyName(kModelKey) + " is missing");
  SIZER_ASSIGN_OR_RETURN(const std::string model, ReadStringKey(file, kModelKey, ""));
  Tokenizer t;
  if (model == kSentencePiece) {
    SIZER_ASSIGN_OR_RETURN(Vocabulary vocab, ReadVocabulary(file, SentencePieceDefaults()));
    t.vocab_ = std::make_shared<const Vocabulary>(std::move(vocab));
    SIZER_ASSIGN_OR_RETURN(t.model_, SpmTokenizer::Create(t.vocab_));
    return t;
  }
  if (model == kByteLevelBpe) {
    // The pre-tokenizer first: an unknown one is refused before the vocabulary is read.
    SIZER_ASSIGN_OR_RETURN(const std::string pre_name, ReadStringKey(file, kPreKey, ""));
    SIZER_ASSIGN_OR_RETURN(PreTokenizer pre, PreTokenizer::Create(pre_name));
    SIZER_ASSIGN_OR_RETURN(Vocabulary vocab, ReadVocabulary(file, BytePairDefaults(pre)));
    t.vocab_ = std::make_shared<const Vocabulary>(std::move(vocab));
    SIZER_ASSIGN_OR_RETURN(t.model_, BpeTokenizer::Create(file, t.vocab_, std::move(pre)));
    return t;
  }
  return Status::Unsupported("tokenizer model '" + model + "' (" + std::string(kModelKey) +
                             ") is not supported; supported: 'llama' (SentencePiece BPE), "
                             "'gpt2' (byte-level BPE, pre-tokenizers " +
                             JoinNames(SupportedPreTokenizers()) + ")");
}

std::vector<int32_t> Tokenizer::Encode(std::string_view text, const EncodeOptions& options) const {
  std::vector<int32_t> out;
  if (options.add_special && vocab_->add_bos && vocab_->bos >= 0) out.push_back(vocab_->bos);
  bool after_special = true;  // the start of the input counts as "after a special token"
  for (const TextFragment& f : SplitSpecialTokens(text, *vocab_, options.parse_special)) {
    if (f.token >= 0) {
      out.push_back(f.token);
      after_special = true;
    } else {
      model_->EncodeText(f.text, after_special, out);
      after_special = false;
    }
  }
  if (options.add_special && vocab_->add_eos && vocab_->eos >= 0) out.push_back(vocab_->eos);
  return out;
}

std::string Tokenizer::Decode(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= vocab_->size()) return std::string();
  return model_->Piece(id);
}

std::string Tokenizer::Piece(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= vocab_->size()) return std::string();
  const TokenType t = type(id);
  if (t == TokenType::kControl || t == TokenType::kUnknown) return token(id);
  return model_->Piece(id);
}

std::string Tokenizer::DecodeAll(const std::vector<int32_t>& ids,
                                 bool strip_leading_space) const {
  std::string out;
  for (int32_t id : ids) out += Decode(id);
  if (strip_leading_space && !out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

bool Tokenizer::IsEndOfGeneration(int32_t id) const {
  return id >= 0 && static_cast<size_t>(id) < vocab_->size() && vocab_->eog[static_cast<size_t>(id)];
}

std::string TokenTextStream::Push(int32_t id) {
  pending_ += tokenizer_.Decode(id);
  const size_t ready = CompleteUtf8Prefix(pending_);
  std::string out = pending_.substr(0, ready);
  pending_.erase(0, ready);
  return out;
}

std::string TokenTextStream::Finish() { return std::exchange(pending_, std::string()); }

Status CheckVocabularyMatchesEmbedding(const gguf::GgufFile& file, const Tokenizer& tokenizer) {
  const gguf::TensorInfo* embedding = file.FindTensor("token_embd.weight");
  if (embedding == nullptr || embedding->shape.size() < 2) return Status();
  const uint64_t rows = embedding->shape[1];
  if (rows == tokenizer.vocab_size()) return Status();
  return Status::Corruption("byte " + std::to_string(embedding->info_offset) +
                            ": tensor 'token_embd.weight' has " + std::to_string(rows) +
                            " rows, but the vocabulary (" + std::string(kTokensKey) + ") has " +
                            std::to_string(tokenizer.vocab_size()) + " tokens");
}

}  // namespace sizer::runner
