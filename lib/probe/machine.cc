#include "probe/machine.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "base/thread_pool.h"
#include "kernels/vec_dot_simd.h"

namespace sizer::probe {
namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// "48K" -> 49152, "2048K" -> 2097152, "1M" -> 1048576.
uint64_t ParseCacheSize(const std::string& text) {
  if (text.empty()) return 0;
  uint64_t value = 0;
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  const char unit = i < text.size() ? text[i] : ' ';
  if (unit == 'K') return value << 10;
  if (unit == 'M') return value << 20;
  if (unit == 'G') return value << 30;
  return value;
}

// "MemTotal:       24684084 kB" -> bytes.
uint64_t MeminfoBytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream fields(line.substr(key.size() + 1));
      uint64_t kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

}  // namespace

uint64_t MachineInfo::last_level_cache_bytes() const {
  uint64_t best = 0;
  int level = 0;
  for (const CacheLevel& c : caches) {
    if (c.type != "Instruction" && c.level >= level) {
      level = c.level;
      best = c.bytes;
    }
  }
  return best;
}

MachineInfo DescribeMachine() {
  MachineInfo m;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::set<std::string> flags;
  while (std::getline(cpuinfo, line)) {
    if (m.cpu_model.empty() && line.rfind("model name", 0) == 0) {
      m.cpu_model = line.substr(line.find(':') + 2);
    }
    if (flags.empty() && line.rfind("flags", 0) == 0) {
      std::istringstream words(line.substr(line.find(':') + 1));
      std::string w;
      while (words >> w) flags.insert(w);
    }
  }
  for (const char* f : {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
                        "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "asimd", "sve"}) {
    if (flags.count(f)) m.simd_features.push_back(f);
  }
  m.simd_target = kernels::ActiveSimdTarget();
  m.physical_cores = PhysicalCoreCount();
  m.logical_cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  m.memory_total_bytes = MeminfoBytes("MemTotal");
  m.memory_available_bytes = MeminfoBytes("MemAvailable");
  for (int index = 0; index < 16; ++index) {
    const std::string base = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    const std::string level = ReadFirstLine(base + "level");
    if (level.empty()) break;
    m.caches.push_back({std::atoi(level.c_str()), ReadFirstLine(base + "type"),
                        ParseCacheSize(ReadFirstLine(base + "size"))});
  }
  return m;
}

}  // namespace sizer::probe
