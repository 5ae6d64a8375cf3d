// sizer synth --like MODEL | --dims ... --quant TYPE -o FILE.gguf: a random-weight GGUF of a
// real model's shape, quantized with sizer's own quantizers, for speed measurements.
#include <sys/statvfs.h>

#include <filesystem>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "base/format.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "cli/progress.h"
#include "gguf/ggml_types.h"
#include "synth/synth_model.h"
#include "synth/synth_writer.h"

namespace sizer::cli {
namespace {

// The output's directory must have room for the file, before any work (the path itself is
// checked by ResolveOutputPath).
Status CheckRoom(const std::string& path, uint64_t file_bytes) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  struct statvfs fs_info {};
  if (::statvfs(parent.c_str(), &fs_info) == 0) {
    const uint64_t free_bytes = static_cast<uint64_t>(fs_info.f_bavail) * fs_info.f_frsize;
    if (free_bytes < file_bytes) {
      return Status::InvalidArgument("-o " + path + ": the file needs " +
                                     FormatBytes(static_cast<double>(file_bytes)) + " but " +
                                     parent.string() + " has " +
                                     FormatBytes(static_cast<double>(free_bytes)) + " free");
    }
  }
  return Status();
}

// The shape of --like MODEL_ID or --dims SPEC, with --vocab and --context applied, validated.
StatusOr<synth::SynthShape> ResolveShape(const po::variables_map& vm) {
  StatusOr<synth::SynthShape> shape = Status::Internal("unset");
  if (vm.count("like")) {
    SIZER_ASSIGN_OR_RETURN(Catalog catalog, LoadCatalog(vm));
    SIZER_ASSIGN_OR_RETURN(ModelSpec model, catalog.FindModel(vm["like"].as<std::string>()));
    shape = synth::ShapeOfModel(model);
  } else {
    shape = synth::ParseDims(vm["dims"].as<std::string>());
  }
  if (!shape.ok()) return shape;
  if (vm.count("vocab")) shape->vocab_size = vm["vocab"].as<int64_t>();
  if (vm.count("context")) shape->context_tokens = vm["context"].as<int64_t>();
  SIZER_RETURN_IF_ERROR(synth::ValidateShape(*shape));
  return shape;
}

void PrintResult(const std::string& path, const std::string& quant, uint64_t seed,
                 const std::vector<synth::SynthTensor>& tensors, const synth::SynthResult& result,
                 bool as_json) {
  std::map<std::string, int> type_counts;
  for (const synth::SynthTensor& t : tensors) {
    ++type_counts[std::string(gguf::FindGgmlType(t.ggml_type)->name)];
  }
  if (as_json) {
    nlohmann::json out = {{"path", path},
                          {"quant", quant},
                          {"file_bytes", result.file_bytes},
                          {"parameters", result.parameters},
                          {"tensors", tensors.size()},
                          {"tensor_types", type_counts},
                          {"seed", seed}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::string mix;
  for (const auto& [name, count] : type_counts) {
    mix += (mix.empty() ? "" : ", ") + std::to_string(count) + " " + name;
  }
  std::cout << "wrote " << path << ": " << FormatCount(static_cast<double>(result.parameters))
            << " parameters, " << result.file_bytes << " bytes ("
            << FormatBytes(static_cast<double>(result.file_bytes)) << "), " << quant
            << " tensors: " << mix << "\n";
}

}  // namespace

int RunSynth(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer synth (--like MODEL_ID | --dims SPEC) --quant TYPE -o FILE.gguf [options]\n\n"
      "Writes a llama-architecture GGUF with seeded random weights in the shape of a model_db\n"
      "model (--like) or of given dimensions (--dims), quantized with sizer's own reference\n"
      "quantizers, and a small SentencePiece vocabulary, so `sizer run` and `sizer validate`\n"
      "can measure decode speed without downloading gigabytes. Random weights read the same\n"
      "bytes and run the same kernels as trained ones; the text they produce is noise.\n\n"
      "  --dims d_model=2048,n_layers=16,n_heads=32,n_kv_heads=8,d_ff=8192,vocab=512\n"
      "         (also head_dim=, context=, tied=1)\n"
      "  --quant a GGUF preset (F16, BF16, Q8_0, Q4_0, Q4_K_M, Q6_K, ...: llama-quantize's\n"
      "         per-tensor mix) or a ggml type for every matrix (Q5_1, IQ4_NL, ...)\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("like", po::value<std::string>()->value_name("MODEL_ID"), "the shape of this model_db model")
      ("dims", po::value<std::string>()->value_name("SPEC"), "explicit dimensions (see above)")
      ("quant,q", po::value<std::string>()->value_name("TYPE"), "weight format or ggml type")
      ("output,o", po::value<std::string>()->value_name("FILE"), "the GGUF file to write")
      ("vocab", po::value<int64_t>()->value_name("N"), "vocabulary size (default: the model's; 512 with --dims)")
      ("context", po::value<int64_t>()->value_name("N"), "context length recorded in the file")
      ("seed", po::value<uint64_t>()->default_value(1), "random seed (the file is a function of it)")
      ("threads,t", po::value<int>()->default_value(0), "quantizer threads (default: physical cores)")
      ("json", "print what was written as JSON");
  AddDbOption(options);
  auto vm = ParseOptions("synth", args, options, {});
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  if ((vm->count("like") > 0) == (vm->count("dims") > 0)) {
    PrintError("synth: give exactly one of --like MODEL_ID and --dims SPEC (see sizer synth --help)");
    return kExitBadInput;
  }
  if (!vm->count("quant") || !vm->count("output")) {
    PrintError("synth: --quant TYPE and -o FILE.gguf are required (see sizer synth --help)");
    return kExitBadInput;
  }
  if ((*vm)["threads"].as<int>() < 0) {
    PrintError("synth: --threads must not be negative");
    return kExitBadInput;
  }
  const std::string path = (*vm)["output"].as<std::string>();
  StatusOr<OutputPath> output = ResolveOutputPath("-o", path, OutputKind::kFile);
  if (output.ok() && output->to_stdout()) {
    output = Status::InvalidArgument("-o " + path + ": a GGUF file cannot go to standard output");
  }
  if (!output.ok()) return ReportError(output.status(), "synth");
  StatusOr<synth::SynthShape> shape = ResolveShape(*vm);
  if (!shape.ok()) return ReportError(shape.status(), "synth");
  const std::string quant = (*vm)["quant"].as<std::string>();
  StatusOr<std::vector<synth::SynthTensor>> tensors = synth::PlanSynthTensors(*shape, quant);
  StatusOr<uint64_t> file_bytes = tensors.ok() ? synth::SynthFileBytes(*shape, *tensors, quant)
                                               : StatusOr<uint64_t>(tensors.status());
  Status ready = file_bytes.ok() ? CheckRoom(path, *file_bytes) : file_bytes.status();
  if (!ready.ok()) return ReportError(Status::InvalidArgument(ready.message()), "synth");
  ProgressBar bar("synth " + path, 64u << 20);
  synth::SynthOptions synth_options;
  synth_options.seed = (*vm)["seed"].as<uint64_t>();
  synth_options.threads = (*vm)["threads"].as<int>();
  synth_options.quant = quant;
  synth_options.progress = [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); };
  StatusOr<synth::SynthResult> result = synth::WriteSynthGguf(*shape, *tensors, path, synth_options);
  if (!result.ok()) return ReportError(result.status(), "synth");
  PrintResult(path, quant, synth_options.seed, *tensors, *result, vm->count("json") > 0);
  return kExitOk;
}

}  // namespace sizer::cli
