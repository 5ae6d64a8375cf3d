// Measurements of this machine: sustained memory read bandwidth (what decode speed is made
// of) and the runner's kernel throughput per core with the weights in cache (its compute
// ceiling). Both report the best of several runs, the usual convention for peak figures,
// and the median so noise is visible.
#ifndef SIZER_PROBE_BANDWIDTH_H_
#define SIZER_PROBE_BANDWIDTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "probe/machine.h"

namespace sizer::probe {

struct BandwidthResult {
  uint64_t buffer_bytes = 0;
  int threads = 0;
  int runs = 0;
  double best_bytes_per_s = 0;
  double median_bytes_per_s = 0;
  std::string note;  // why the buffer is smaller than asked for; empty when it is not
};

// A buffer far larger than the last-level cache: max(1 GiB, 8 x LLC), at most a quarter of
// the available memory.
uint64_t DefaultBandwidthBufferBytes(const MachineInfo& machine);

// Streams `buffer_bytes` (touched once beforehand, so page faults are not timed) with
// `threads` threads, each summing its own contiguous slice, `runs` times.
BandwidthResult MeasureReadBandwidth(uint64_t buffer_bytes, int threads, int runs);

struct KernelThroughput {
  std::string type;           // ggml type name
  double weights_per_s = 0;   // one thread, weights in L2
  double bytes_per_s = 0;     // weight bytes consumed per second
};

// VecDot throughput of the runner's main weight types on one core (best of `runs`).
std::vector<KernelThroughput> MeasureKernelThroughput(int runs);

}  // namespace sizer::probe

#endif  // SIZER_PROBE_BANDWIDTH_H_
