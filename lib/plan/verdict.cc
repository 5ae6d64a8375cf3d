#include "plan/verdict.h"

namespace sizer {

std::string_view VerdictName(Verdict verdict) {
  return verdict == Verdict::kAdmit ? "admit" : "reject";
}

std::string_view ArtifactOutcomeName(ArtifactOutcome outcome) {
  switch (outcome) {
    case ArtifactOutcome::kPass:
      return "pass";
    case ArtifactOutcome::kFailsQuality:
      return "fails-quality";
    case ArtifactOutcome::kFitsNowhere:
      return "fits-nowhere";
  }
  return "pass";
}

std::string_view BasisName(Basis basis) {
  return basis == Basis::kMeasured ? "measured" : "estimate";
}

std::string_view CheckName(Check check) {
  switch (check) {
    case Check::kRuntimeHardwareKind: return "runtime-hardware-kind";
    case Check::kRuntimeVendor: return "runtime-vendor";
    case Check::kFormat: return "format";
    case Check::kKvCacheDtype: return "kv-cache-dtype";
    case Check::kOffload: return "offload";
    case Check::kMultiNode: return "multi-node";
    case Check::kMultiDevice: return "multi-device";
    case Check::kKvPool: return "kv-pool";
    case Check::kMemory: return "memory";
    case Check::kDecodeSpeed: return "decode-speed";
    case Check::kTtft: return "ttft";
    case Check::kTokenLatency: return "token-latency";
    case Check::kQuality: return "quality";
  }
  return "";
}

std::vector<std::string> ReasonTexts(const std::vector<Reason>& reasons) {
  std::vector<std::string> out;
  out.reserve(reasons.size());
  for (const Reason& r : reasons) out.push_back(RenderFormula(r.message));
  return out;
}

}  // namespace sizer
