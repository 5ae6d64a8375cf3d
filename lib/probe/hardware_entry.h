// A hardware_db entry (docs/db-schema.md) for the machine at hand, from the probe's
// measurements, with a `source:` that says how each figure was measured.
#ifndef SIZER_PROBE_HARDWARE_ENTRY_H_
#define SIZER_PROBE_HARDWARE_ENTRY_H_

#include <string>
#include <vector>

#include "probe/bandwidth.h"
#include "probe/machine.h"

namespace sizer::probe {

// Compute figures: the runner's F16 / Q8_0 dot-product rates x 2 FLOPs x physical cores.
std::string HardwareEntryYaml(const std::string& id, const MachineInfo& machine,
                              const BandwidthResult& bandwidth,
                              const std::vector<KernelThroughput>& kernels);

}  // namespace sizer::probe

#endif  // SIZER_PROBE_HARDWARE_ENTRY_H_
