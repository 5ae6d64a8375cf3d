// sizer tokenize MODEL.gguf --text TEXT | --file F: the token ids of a text, as llama.cpp's
// llama_tokenize gives them (the model's own tokenizer; tensors are not read, so a
// vocabulary-only GGUF works).
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "gguf/artifact.h"
#include "runner/tokenizer.h"

namespace sizer::cli {
namespace {

// A piece for the terminal: valid UTF-8 as it is; \n, \t, \r, backslash and quote escaped;
// other control bytes and bytes that are not valid UTF-8 (half a character) as \xNN.
std::string Escaped(const std::string& piece) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t pos = 0; pos < piece.size();) {
    const unsigned char c = static_cast<unsigned char>(piece[pos]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    bool valid = len > 0 && pos + len <= piece.size();
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(piece[pos + k]) & 0xC0) == 0x80;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\' || c == '\'') {
      out += std::string("\\") + static_cast<char>(c);
    } else if (!valid || c < 0x20 || c == 0x7F) {
      out += std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
      len = 1;
    } else {
      out.append(piece, pos, len);
    }
    pos += len == 0 ? 1 : len;
  }
  return out;
}

std::string Render(const runner::Tokenizer& tokenizer, const std::vector<int32_t>& ids,
                   bool json, bool ids_only) {
  if (ids_only) {
    std::string out;
    for (int32_t id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
    return out + "\n";
  }
  if (json) {
    nlohmann::json pieces = nlohmann::json::array();
    for (int32_t id : ids) pieces.push_back(tokenizer.Piece(id));
    nlohmann::json doc = {{"ids", ids}, {"pieces", pieces}, {"count", ids.size()}};
    // Half a UTF-8 character (a byte token) reads as U+FFFD in JSON.
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string out;
  for (int32_t id : ids) out += std::to_string(id) + "\t'" + Escaped(tokenizer.Piece(id)) + "'\n";
  return out + std::to_string(ids.size()) + (ids.size() == 1 ? " token\n" : " tokens\n");
}

}  // namespace

int RunTokenize(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer tokenize MODEL.gguf (--text TEXT | --file F) [--json | --ids-only]\n"
      "                      [--no-bos] [--parse-special]\n\n"
      "Tokenizes the text with the model's own tokenizer, exactly as llama.cpp does\n"
      "(SentencePiece 'llama' and byte-level BPE 'gpt2' vocabularies; tensors are not read, so a\n"
      "vocabulary-only GGUF works), and prints each id with its piece, then the count. Use the\n"
      "count as a job's prompt_tokens.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("model", po::value<std::string>()->value_name("MODEL.gguf"), "the GGUF file")
      ("text", po::value<std::string>(), "the text to tokenize")
      ("file", po::value<std::string>(), "tokenize this file's exact bytes")
      ("json", "print {\"ids\": [...], \"pieces\": [...], \"count\": N}")
      ("ids-only", "print only the ids, separated by spaces")
      ("no-bos", "add neither BOS nor EOS (default: as the vocabulary asks)")
      ("parse-special", "text spelling a control token (<|im_end|>) becomes that token");
  po::positional_options_description positional;
  positional.add("model", 1);
  auto vm = ParseOptions("tokenize", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "tokenize", "model", "MODEL.gguf")) return *done;
  if (vm->count("text") == vm->count("file")) {
    PrintError("tokenize: give exactly one of --text and --file (see 'sizer help tokenize')");
    return kExitBadInput;
  }
  if (vm->count("json") && vm->count("ids-only")) {
    PrintError("tokenize: --json and --ids-only exclude each other");
    return kExitBadInput;
  }
  std::string text = StringOption(*vm, "text");
  if (vm->count("file")) {
    StatusOr<std::string> bytes = ReadFileToString(StringOption(*vm, "file"));
    if (!bytes.ok()) return ReportError(bytes.status(), "--file");
    text = std::move(bytes).value();
  }
  const std::string path = StringOption(*vm, "model");
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  if (!artifact.ok()) return ReportError(artifact.status());
  StatusOr<runner::Tokenizer> tokenizer = runner::Tokenizer::FromGguf(artifact->metadata());
  if (!tokenizer.ok()) return ReportError(tokenizer.status(), path);
  const runner::EncodeOptions encode{!vm->count("no-bos"), vm->count("parse-special") > 0};
  const std::vector<int32_t> ids = tokenizer->Encode(text, encode);
  Status written =
      WriteOutput("", Render(*tokenizer, ids, vm->count("json") > 0, vm->count("ids-only") > 0));
  if (!written.ok()) return ReportError(written);
  return kExitOk;
}

}  // namespace sizer::cli
