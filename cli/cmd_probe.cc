// sizer probe: describe and measure the machine at hand; optionally save it as the hardware
// entry `this-machine` that jobs can name as a candidate.
#include <iostream>

#include "base/format.h"
#include "base/thread_pool.h"
#include "base/units.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "probe/bandwidth.h"
#include "probe/hardware_entry.h"
#include "probe/machine.h"
#include "probe/machine_json.h"
#include "catalog/catalog.h"

namespace sizer::cli {
namespace {

void PrintText(const probe::ProbeResult& result) {
  const probe::MachineInfo& m = result.machine;
  const probe::BandwidthResult& bw = result.bandwidth;
  std::cout << "cpu:        " << m.cpu_model << "\n"
            << "cores:      " << m.physical_cores << " physical, " << m.logical_cpus << " logical\n"
            << "simd:       ";
  for (const auto& f : m.simd_features) std::cout << f << " ";
  std::cout << "(runner dispatches to " << m.simd_target << ")\n"
            << "memory:     " << FormatBytes(static_cast<double>(m.memory_total_bytes)) << " total, "
            << FormatBytes(static_cast<double>(m.memory_available_bytes)) << " available\n"
            << "caches:    ";
  for (const auto& c : m.caches) std::cout << " L" << c.level << " " << c.type << " " << FormatBytes(static_cast<double>(c.bytes)) << ";";
  std::cout << "\nbandwidth:  " << FormatBytesPerSecond(bw.best_bytes_per_s) << " best, "
            << FormatBytesPerSecond(bw.median_bytes_per_s) << " median (" << bw.threads
            << " threads, " << FormatBytes(static_cast<double>(bw.buffer_bytes)) << ", " << bw.runs
            << " runs); one thread " << FormatBytesPerSecond(result.bandwidth_one_thread.best_bytes_per_s)
            << "\n"
            << "kernels:    one core, weights in cache:";
  for (const auto& t : result.kernels) {
    std::cout << " " << t.type << " " << FormatFixed(t.weights_per_s / 1e9, 2) << " Gweights/s;";
  }
  std::cout << "\n";
}

}  // namespace

int RunProbe(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer probe [--json] [--emit-hardware] [--save] [--threads N] [--buffer-mb N]\n\n"
      "Describes this machine (CPU, cores, SIMD features, memory, caches) and measures its\n"
      "sustained memory read bandwidth (streaming reads of a buffer far larger than the\n"
      "last-level cache, best of several runs) and the runner's kernel throughput per core.\n"
      "--emit-hardware prints a hardware_db entry; --save stores it as 'this-machine' so a\n"
      "job can name `candidates: [this-machine]`.\n\noptions");
  options.add_options()
      ("help,h", "show this help")
      ("json", "print JSON")
      ("emit-hardware", "print a hardware_db YAML entry for this machine")
      ("save", "save the entry as this-machine (see --help)")
      ("id", po::value<std::string>()->default_value(kThisMachineId), "id of the emitted entry")
      ("threads", po::value<int>()->default_value(0), "threads for the bandwidth test (default: physical cores)")
      ("buffer-mb", po::value<int64_t>()->default_value(0), "bandwidth buffer in MiB (default: max(1 GiB, 8 x LLC))")
      ("runs", po::value<int>()->default_value(5), "repetitions; the best is reported");
  auto vm = ParseOptions("probe", args, options, po::positional_options_description());
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options << "\n";
    return kExitOk;
  }
  const int runs = (*vm)["runs"].as<int>();
  const int64_t buffer_mb = (*vm)["buffer-mb"].as<int64_t>();
  if (runs < 1 || buffer_mb < 0 || (*vm)["threads"].as<int>() < 0) {
    PrintError("probe: --runs must be at least 1, --threads and --buffer-mb not negative");
    return kExitBadInput;
  }
  // Where --save writes is checked before the measurement, which takes a while.
  StatusOr<OutputPath> save = OutputPath();
  if (vm->count("save")) save = ResolveCachePath("--save", ThisMachinePath());
  if (!save.ok()) return ReportError(save.status(), "probe");

  probe::ProbeResult result;
  result.machine = probe::DescribeMachine();
  const probe::MachineInfo& m = result.machine;
  const int threads = (*vm)["threads"].as<int>() > 0 ? (*vm)["threads"].as<int>() : m.physical_cores;
  const uint64_t buffer = buffer_mb > 0 ? static_cast<uint64_t>(buffer_mb) << 20
                                        : probe::DefaultBandwidthBufferBytes(m);
  result.bandwidth = probe::MeasureReadBandwidth(buffer, threads, runs);
  result.bandwidth_one_thread = probe::MeasureReadBandwidth(buffer, 1, runs);
  if (!result.bandwidth.note.empty()) PrintWarning("probe: bandwidth buffer " + result.bandwidth.note);
  if (result.bandwidth.best_bytes_per_s <= 0) {
    PrintError("probe: no memory could be allocated for the bandwidth measurement");
    return kExitCheckFailed;
  }
  result.kernels = probe::MeasureKernelThroughput(runs);

  if (!save->to_stdout()) {
    Status written = WriteOutput(save->path, probe::HardwareEntryYaml(kThisMachineId, m, result.bandwidth,
                                                                      result.kernels));
    if (!written.ok()) return ReportError(written, "probe");
    std::cerr << "sizer: saved this machine as '" << kThisMachineId << "' in " << save->path << "\n";
  }
  if (vm->count("emit-hardware")) {
    std::cout << probe::HardwareEntryYaml((*vm)["id"].as<std::string>(), m, result.bandwidth,
                                          result.kernels);
  } else if (vm->count("json")) {
    std::cout << probe::ProbeResultToJson(result).dump(2) << "\n";
  } else {
    PrintText(result);
  }
  return kExitOk;
}

}  // namespace sizer::cli
