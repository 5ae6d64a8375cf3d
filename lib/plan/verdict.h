// Typed outcomes of the planner: what was decided (Verdict, ArtifactOutcome), on which figures
// (Basis) and, for a rejection, which check failed on which numbers (Reason). Each enum has one
// stable spelling (for --json); the people's text of a reason is its `message` formula,
// rendered outside the arithmetic (base/formula.h RenderFormula, report/quantity_text.h).
#ifndef SIZER_PLAN_VERDICT_H_
#define SIZER_PLAN_VERDICT_H_

#include <string_view>
#include <vector>

#include "base/formula.h"

namespace sizer {

enum class Verdict { kAdmit, kReject };
std::string_view VerdictName(Verdict verdict);  // "admit", "reject"

// An artifact's verdict: the smallest kPass artifact is the recommendation.
enum class ArtifactOutcome {
  kPass,          // passes the quality gate and fits at least one candidate
  kFailsQuality,  // below gates.min_quality
  kFitsNowhere,   // admitted by no candidate
};
std::string_view ArtifactOutcomeName(ArtifactOutcome outcome);  // "pass", "fails-quality", ...

// Where a gated figure comes from.
enum class Basis {
  kEstimate,  // the worksheet's formulas (calibrated efficiencies included)
  kMeasured,  // the candidate's measured figures in the job
};
std::string_view BasisName(Basis basis);  // "estimate", "measured"

// The check a candidate failed, in check order.
enum class Check {
  kRuntimeHardwareKind,  // the runtime does not run on this kind of hardware
  kRuntimeVendor,        // ... or on this vendor's hardware
  kFormat,               // the runtime does not load the weight format's container
  kKvCacheDtype,         // the runtime has no such KV cache type
  kOffload,              // CPU offload with a runtime that does not offload
  kMultiNode,            // a multi-node layout the runtime or hardware cannot serve
  kMultiDevice,          // several CPU or unified machines
  kKvPool,               // a given gpu_memory_utilization leaves too small a KV pool
  kMemory,               // the planned bytes exceed the usable bytes on a device
  kDecodeSpeed,          // gates.min_decode_tokens_per_s
  kTtft,                 // gates.max_ttft_ms
  kTokenLatency,         // gates.max_p95_token_latency_ms
  kQuality,              // gates.min_quality
};
std::string_view CheckName(Check check);  // "memory", "decode-speed", "kv-pool", ...

// One failed check: the figure judged (`value`), the bound it broke (`limit`) in `unit`, the
// basis of the figure, and the message for people (a formula: the plan formats nothing).
// Checks without figures (compatibility) leave value and limit 0 and unit kNone.
struct Reason {
  Check check = Check::kMemory;
  double value = 0;
  double limit = 0;
  Unit unit = Unit::kNone;
  Basis basis = Basis::kEstimate;
  Formula message;
};

// The rendered messages of `reasons`, in order ("memory: needs 30.1 GB on ...").
std::vector<std::string> ReasonTexts(const std::vector<Reason>& reasons);

}  // namespace sizer

#endif  // SIZER_PLAN_VERDICT_H_
