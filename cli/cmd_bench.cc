// sizer bench: the micro-runner's decode speed against this machine's read bandwidth, on
// synthetic llama-shaped models of about 1 B parameters (the shape of the llama.cpp reference
// in tests/data/reference/llama-cpp-reference.yaml). A benchmark, not a test: it prints figures.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "base/format.h"
#include "base/thread_pool.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "cli/progress.h"
#include "probe/bandwidth.h"
#include "probe/machine.h"
#include "runner/benchmark.h"
#include "runner/benchmark_json.h"
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

struct BenchFile {
  std::string type;
  std::string path;
  std::vector<synth::SynthTensor> tensors;
};

// The tensors of each type, planned before anything is written (a bad type is bad input).
StatusOr<std::vector<BenchFile>> PlanFiles(const synth::SynthShape& shape,
                                           const std::vector<std::string>& types,
                                           const fs::path& dir) {
  std::vector<BenchFile> files;
  for (const std::string& type : types) {
    SIZER_ASSIGN_OR_RETURN(std::vector<synth::SynthTensor> tensors,
                           synth::PlanSynthTensors(shape, type));
    const fs::path path = dir / ("synth-" + std::to_string(shape.d_model) + "x" +
                                 std::to_string(shape.n_layers) + "-" + type + ".gguf");
    files.push_back({type, path.string(), std::move(tensors)});
  }
  return files;
}

// Writes each file once per shape and type (a file of the expected size is reused).
Status WriteMissingFiles(const synth::SynthShape& shape, const std::vector<BenchFile>& files) {
  for (const BenchFile& f : files) {
    std::error_code ec;
    const uint64_t want = *synth::SynthFileBytes(shape, f.tensors, f.type);
    if (fs::exists(f.path, ec) && fs::file_size(f.path, ec) == want) continue;
    ProgressBar bar("synth " + fs::path(f.path).filename().string(), 0);
    synth::SynthOptions synth_options;
    synth_options.quant = f.type;
    synth_options.progress = [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); };
    SIZER_RETURN_IF_ERROR(synth::WriteSynthGguf(shape, f.tensors, f.path, synth_options).status());
  }
  return Status();
}

// Decodes `tokens` tokens `runs` times (after a warm-up pass that pages the file in).
StatusOr<runner::DecodeBenchRow> BenchFileDecode(const BenchFile& f, const synth::SynthShape& shape,
                                                 int threads, int64_t tokens, int runs,
                                                 double bandwidth) {
  runner::SessionOptions session_options;
  session_options.threads = threads;
  session_options.context_tokens = tokens + 2;
  SIZER_ASSIGN_OR_RETURN(std::unique_ptr<runner::Session> session,
                         runner::Session::Open(f.path, session_options));
  runner::DecodeBenchRow row;
  row.type = f.type;
  std::error_code ec;
  row.file_bytes = fs::file_size(f.path, ec);
  row.bytes_per_token = synth::DecodeBytesPerToken(shape, f.tensors);
  StatusOr<runner::BenchmarkStats> warm = runner::RunBenchmark(*session, 1, 1);
  for (int r = 0; r < runs && warm.ok(); ++r) {
    SIZER_ASSIGN_OR_RETURN(runner::BenchmarkStats stats, runner::RunBenchmark(*session, 1, tokens));
    row.runs_tokens_per_s.push_back(stats.decode_tokens_per_s);
  }
  row.decode_tokens_per_s = Median(row.runs_tokens_per_s);
  row.effective_bytes_per_s = row.bytes_per_token * row.decode_tokens_per_s;
  row.fraction_of_bandwidth = row.effective_bytes_per_s / bandwidth;
  return row;
}

void PrintHeader(const runner::DecodeBenchReport& report, uint64_t buffer_bytes) {
  std::cout << "machine: " << report.cpu_model << ", " << report.threads << " threads, runner "
            << report.simd_target << "\nread bandwidth: "
            << FormatBytesPerSecond(report.bandwidth_best_bytes_per_s) << " best, "
            << FormatBytesPerSecond(report.bandwidth_median_bytes_per_s) << " median of 5 ("
            << FormatBytes(static_cast<double>(buffer_bytes)) << ", " << report.threads
            << " threads)\n\n"
            << "type     file bytes      bytes/token    tokens/s   effective GB/s   of bandwidth\n";
}

void PrintRow(const runner::DecodeBenchRow& row) {
  char line[160];
  std::snprintf(line, sizeof(line), "%-8s %-15llu %-14s %8.2f   %14.2f   %11.1f%%\n",
                row.type.c_str(), static_cast<unsigned long long>(row.file_bytes),
                FormatBytes(row.bytes_per_token).c_str(), row.decode_tokens_per_s,
                row.effective_bytes_per_s / 1e9, 100 * row.fraction_of_bandwidth);
  std::cout << line << std::flush;
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
  StatusOr<OutputPath> dir =
      ResolveOutputPath("--dir", (*vm)["dir"].as<std::string>(), OutputKind::kDirectory);
  if (!dir.ok()) return ReportError(dir.status(), "bench");
  StatusOr<synth::SynthShape> shape = synth::ParseDims((*vm)["dims"].as<std::string>());
  if (!shape.ok()) return ReportError(Status::InvalidArgument(shape.status().message()), "bench");
  StatusOr<std::vector<BenchFile>> files =
      PlanFiles(*shape, Split((*vm)["types"].as<std::string>()), dir->path);
  if (!files.ok()) return ReportError(Status::InvalidArgument(files.status().message()), "bench");

  // 1. The files. 2. The bandwidth, measured now, with the threads the runner will use.
  std::error_code ec;
  fs::create_directory(dir->path, ec);
  if (Status written = WriteMissingFiles(*shape, *files); !written.ok()) {
    PrintError("bench: " + written.message());
    return kExitCheckFailed;
  }
  const probe::MachineInfo machine = probe::DescribeMachine();
  const int64_t buffer_mb = std::max<int64_t>(0, (*vm)["buffer-mb"].as<int64_t>());
  const probe::BandwidthResult bw = probe::MeasureReadBandwidth(
      buffer_mb > 0 ? static_cast<uint64_t>(buffer_mb) << 20 : probe::DefaultBandwidthBufferBytes(machine),
      threads, 5);
  if (!bw.note.empty()) PrintWarning("bench: bandwidth buffer " + bw.note);
  runner::DecodeBenchReport report{machine.cpu_model, threads, machine.simd_target,
                                   bw.best_bytes_per_s, bw.median_bytes_per_s, tokens, runs, {}};
  const bool as_json = vm->count("json") > 0;
  if (!as_json) PrintHeader(report, bw.buffer_bytes);

  // 3. Decode, per type.
  for (const BenchFile& f : *files) {
    StatusOr<runner::DecodeBenchRow> row =
        BenchFileDecode(f, *shape, threads, tokens, runs, bw.best_bytes_per_s);
    if (!row.ok()) {
      PrintError("bench: " + row.status().message());
      return kExitCheckFailed;
    }
    if (!as_json) PrintRow(*row);
    report.rows.push_back(std::move(row).value());
  }
  if (as_json) std::cout << runner::DecodeBenchReportToJson(report).dump(2) << "\n";
  return kExitOk;
}

}  // namespace sizer::cli
