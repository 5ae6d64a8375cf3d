// sizer bench: the micro-runner's decode speed against this machine's read bandwidth, on
// synthetic llama-shaped models of about 1 B parameters (the shape of the llama.cpp reference
// in tests/data/reference/llama-cpp-reference.yaml). A benchmark, not a test: it prints figures.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/format.h"
#include "base/thread_pool.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/progress.h"
#include "gguf/ggml_types.h"
#include "probe/bandwidth.h"
#include "probe/machine.h"
#include "runner/benchmark.h"
#include "runner/session.h"
#include "synth/synth_model.h"
#include "synth/synth_writer.h"

namespace sizer::cli {
namespace {

namespace fs = std::filesystem;

// dim 2048, 16 layers, 32 heads, 8 KV heads (head dim 64), FFN 8192, vocab 512: 975 M params.
constexpr const char* kReferenceDims =
    "d_model=2048,n_layers=16,n_heads=32,n_kv_heads=8,d_ff=8192,vocab=512,context=4096";

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int RunBench(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer bench [--types F16,Q8_0,Q4_0,Q4_K_M,Q6_K] [--dir DIR] [--tokens N]\n"
      "                  [--threads N] [--runs N] [--dims SPEC] [--json]\n\n"
      "Benchmarks the micro-runner against this machine's memory bandwidth. Writes (once, then\n"
      "reuses) synthetic llama models of about 1 B parameters (dim 2048, 16 layers, 32 heads,\n"
      "8 KV heads, FFN 8192, vocab 512) in each type under --dir, measures the read bandwidth\n"
      "in the same run, then decodes --tokens tokens greedily per run (after a warm-up pass)\n"
      "and prints per type: file bytes, decode tokens/s (median of --runs), effective GB/s\n"
      "(bytes read per token x tokens/s) and that as a fraction of the measured bandwidth.\n"
      "The files take about 5 GB; the Q4_K_M and Q6_K quantizers take a minute or two each.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("types", po::value<std::string>()->default_value("F16,Q8_0,Q4_0,Q4_K_M,Q6_K"), "weight formats")
      ("dir", po::value<std::string>()->default_value((fs::temp_directory_path() / "sizer-bench").string()),
       "where the synthetic models are kept")
      ("dims", po::value<std::string>()->default_value(kReferenceDims), "model shape (see sizer synth)")
      ("tokens,n", po::value<int64_t>()->default_value(64), "tokens decoded per run (llama-bench tg64)")
      ("runs", po::value<int>()->default_value(3), "runs per type; the median is reported")
      ("threads,t", po::value<int>()->default_value(0), "threads (default: physical cores)")
      ("buffer-mb", po::value<int64_t>()->default_value(0),
       "bandwidth buffer in MiB (default: max(1 GiB, 8 x LLC), as sizer probe)")
      ("json", "print the table as JSON");
  auto vm = ParseOptions("bench", args, options, {});
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  const int64_t tokens = (*vm)["tokens"].as<int64_t>();
  const int runs = (*vm)["runs"].as<int>();
  const int threads = (*vm)["threads"].as<int>() > 0 ? (*vm)["threads"].as<int>() : PhysicalCoreCount();
  if (tokens < 1 || runs < 1 || (*vm)["threads"].as<int>() < 0) {
    PrintError("bench: --tokens and --runs must be at least 1, --threads not negative");
    return kExitBadInput;
  }
  StatusOr<synth::SynthShape> shape = synth::ParseDims((*vm)["dims"].as<std::string>());
  if (!shape.ok()) {
    PrintError("bench: " + shape.status().message());
    return kExitBadInput;
  }
  const fs::path dir = (*vm)["dir"].as<std::string>();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) {
    PrintError("bench: cannot create " + dir.string());
    return kExitBadInput;
  }
  const std::vector<std::string> types = Split((*vm)["types"].as<std::string>());
  std::vector<std::vector<synth::SynthTensor>> plans;
  for (const std::string& type : types) {
    StatusOr<std::vector<synth::SynthTensor>> tensors = synth::PlanSynthTensors(*shape, type);
    if (!tensors.ok()) {
      PrintError("bench: " + tensors.status().message());
      return kExitBadInput;
    }
    plans.push_back(*tensors);
  }

  // 1. The files, written once per shape and type (a file of the expected size is reused).
  std::vector<std::string> paths;
  for (size_t i = 0; i < types.size(); ++i) {
    const fs::path path = dir / ("synth-" + std::to_string(shape->d_model) + "x" +
                                 std::to_string(shape->n_layers) + "-" + types[i] + ".gguf");
    paths.push_back(path.string());
    const uint64_t want = *synth::SynthFileBytes(*shape, plans[i], types[i]);
    if (fs::exists(path, ec) && fs::file_size(path, ec) == want) continue;
    ProgressBar bar("synth " + path.filename().string(), 0);
    synth::SynthOptions synth_options;
    synth_options.quant = types[i];
    synth_options.progress = [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); };
    StatusOr<synth::SynthResult> written = synth::WriteSynthGguf(*shape, plans[i], path.string(), synth_options);
    if (!written.ok()) {
      PrintError("bench: " + written.status().message());
      return kExitCheckFailed;
    }
  }

  // 2. The bandwidth, measured now, with the threads the runner will use.
  const probe::MachineInfo machine = probe::DescribeMachine();
  const int64_t buffer_mb = std::max<int64_t>(0, (*vm)["buffer-mb"].as<int64_t>());
  const probe::BandwidthResult bw = probe::MeasureReadBandwidth(
      buffer_mb > 0 ? static_cast<uint64_t>(buffer_mb) << 20 : probe::DefaultBandwidthBufferBytes(machine),
      threads, 5);
  if (!bw.note.empty()) PrintWarning("bench: bandwidth buffer " + bw.note);

  // 3. Decode, per type.
  nlohmann::json rows = nlohmann::json::array();
  if (!vm->count("json")) {
    std::cout << "machine: " << machine.cpu_model << ", " << threads << " threads, runner "
              << machine.simd_target << "\nread bandwidth: " << FormatBytesPerSecond(bw.best_bytes_per_s)
              << " best, " << FormatBytesPerSecond(bw.median_bytes_per_s) << " median of 5 ("
              << FormatBytes(static_cast<double>(bw.buffer_bytes)) << ", " << threads << " threads)\n\n"
              << "type     file bytes      bytes/token    tokens/s   effective GB/s   of bandwidth\n";
  }
  for (size_t i = 0; i < types.size(); ++i) {
    runner::SessionOptions session_options;
    session_options.threads = threads;
    session_options.context_tokens = tokens + 2;
    StatusOr<std::unique_ptr<runner::Session>> session = runner::Session::Open(paths[i], session_options);
    if (!session.ok()) {
      PrintError("bench: " + session.status().message());
      return kExitCheckFailed;
    }
    // Bytes one decode step reads: every tensor but the token embedding (one row of it).
    double bytes_per_token = 0;
    uint64_t file_bytes = fs::file_size(paths[i], ec);
    for (size_t t = 0; t < plans[i].size(); ++t) {
      const synth::SynthTensor& tensor = plans[i][t];
      double elements = 1;
      for (uint64_t ne : tensor.shape) elements *= static_cast<double>(ne);
      const gguf::GgmlTypeInfo type = *gguf::FindGgmlType(tensor.ggml_type);
      const double bytes = elements / type.block_elements * type.block_bytes;
      bytes_per_token += tensor.name == "token_embd.weight" ? bytes / static_cast<double>(shape->vocab_size) : bytes;
    }
    std::vector<double> rates;
    StatusOr<runner::BenchmarkStats> warm = runner::RunBenchmark(**session, 1, 1);  // page in
    for (int r = 0; r < runs && warm.ok(); ++r) {
      StatusOr<runner::BenchmarkStats> stats = runner::RunBenchmark(**session, 1, tokens);
      if (!stats.ok()) {
        PrintError("bench: " + stats.status().message());
        return kExitCheckFailed;
      }
      rates.push_back(stats->decode_tokens_per_s);
    }
    const double tps = Median(rates);
    const double effective = bytes_per_token * tps;
    const double fraction = effective / bw.best_bytes_per_s;
    rows.push_back({{"type", types[i]}, {"file_bytes", file_bytes}, {"bytes_per_token", bytes_per_token},
                    {"decode_tokens_per_s", tps}, {"runs_tokens_per_s", rates},
                    {"effective_bytes_per_s", effective}, {"fraction_of_bandwidth", fraction}});
    if (!vm->count("json")) {
      char line[160];
      std::snprintf(line, sizeof(line), "%-8s %-15llu %-14s %8.2f   %14.2f   %11.1f%%\n",
                    types[i].c_str(), static_cast<unsigned long long>(file_bytes),
                    FormatBytes(bytes_per_token).c_str(), tps, effective / 1e9, 100 * fraction);
      std::cout << line << std::flush;
    }
  }
  if (vm->count("json")) {
    nlohmann::json j = {{"cpu_model", machine.cpu_model}, {"threads", threads},
                        {"simd_target", machine.simd_target},
                        {"bandwidth_best_bytes_per_s", bw.best_bytes_per_s},
                        {"bandwidth_median_bytes_per_s", bw.median_bytes_per_s},
                        {"tokens", tokens}, {"runs", runs}, {"types", rows}};
    std::cout << j.dump(2) << "\n";
  }
  return kExitOk;
}

}  // namespace sizer::cli
