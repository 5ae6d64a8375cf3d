// What `sizer probe --json` prints: the machine, its read bandwidth (all threads and one),
// and the kernels' throughput on one core.
#ifndef SIZER_PROBE_MACHINE_JSON_H_
#define SIZER_PROBE_MACHINE_JSON_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "probe/bandwidth.h"
#include "probe/machine.h"

namespace sizer::probe {

struct ProbeResult {
  MachineInfo machine;
  BandwidthResult bandwidth;             // with the threads asked for
  BandwidthResult bandwidth_one_thread;  // what one core alone can stream
  std::vector<KernelThroughput> kernels;
};

nlohmann::json ProbeResultToJson(const ProbeResult& result);

}  // namespace sizer::probe

#endif  // SIZER_PROBE_MACHINE_JSON_H_
