#include "testing/job_builder.h"

#include <gtest/gtest.h>

#include "base/edit_distance.h"
#include "knowledge/weight_format.h"

namespace sizer::testing {
namespace {

// As input/job.cc labels a candidate: "h100-sxm", "8x h100-sxm", "2 nodes x 8x h100-sxm",
// "rtx-4090 + offload".
std::string LabelOf(const sizer::Candidate& c) {
  std::string label = c.count > 1 ? std::to_string(c.count) + "x " + c.hardware.id : c.hardware.id;
  if (c.nodes > 1) label = std::to_string(c.nodes) + " nodes x " + label;
  if (c.offload) label += " + offload";
  return label;
}

}  // namespace

JobBuilder::JobBuilder(const Catalog& catalog) : catalog_(catalog) {
  job_.name = "test";
  job_.file = "built-in-test";
  job_.context_tokens = 8192;
  job_.prompt_tokens = 500;
  job_.output_tokens = 100;
}

JobBuilder& JobBuilder::Model(const std::string& id) {
  StatusOr<ModelSpec> model = catalog_.FindModel(id);
  EXPECT_TRUE(model.ok()) << model.status().message();
  if (model.ok()) {
    job_.model = *model;
    job_.model_ref = id;
  }
  return *this;
}

JobBuilder& JobBuilder::InlineModel(const ModelSpec& model) {
  job_.model = model;
  job_.model_ref = "inline";
  return *this;
}

JobBuilder& JobBuilder::Quant(const std::string& id) {
  const WeightFormat* format = FindWeightFormat(id);
  EXPECT_NE(format, nullptr) << "unknown quant " << id;
  if (format != nullptr) job_.quant = format->id;
  return *this;
}

JobBuilder& JobBuilder::Runtime(const std::string& id) {
  for (const RuntimeInfo& info : catalog_.runtimes()) {
    if (EqualsIgnoreCase(info.id, id)) {
      job_.runtime = info.id;
      job_.runtime_info = info;
      return *this;
    }
  }
  ADD_FAILURE() << "unknown runtime " << id;
  return *this;
}

JobBuilder& JobBuilder::KvCacheDtype(const std::string& id) {
  const KvDtype* dtype = FindKvDtype(id);
  EXPECT_NE(dtype, nullptr) << "unknown kv dtype " << id;
  if (dtype != nullptr) job_.kv_cache_dtype = dtype->id;
  return *this;
}

JobBuilder& JobBuilder::FlashAttention(bool on) {
  job_.flash_attention = on;
  return *this;
}
JobBuilder& JobBuilder::Context(int64_t tokens) {
  job_.context_tokens = tokens;
  return *this;
}
JobBuilder& JobBuilder::Concurrency(int64_t sequences) {
  job_.concurrency = sequences;
  return *this;
}
JobBuilder& JobBuilder::Prompt(int64_t tokens) {
  job_.prompt_tokens = tokens;
  return *this;
}
JobBuilder& JobBuilder::Output(int64_t tokens) {
  job_.output_tokens = tokens;
  return *this;
}
JobBuilder& JobBuilder::Sparse(double fraction, const std::string& structure) {
  job_.sparsity = Sparsity{fraction, structure};
  return *this;
}

JobBuilder& JobBuilder::Reserve(double fraction) {
  job_.gates.reserve_fraction = fraction;
  return *this;
}
JobBuilder& JobBuilder::MinDecode(double tokens_per_s) {
  job_.gates.min_decode_tokens_per_s = tokens_per_s;
  return *this;
}
JobBuilder& JobBuilder::MaxTtft(double ms) {
  job_.gates.max_ttft_ms = ms;
  return *this;
}
JobBuilder& JobBuilder::MinQuality(double quality) {
  job_.gates.min_quality = quality;
  return *this;
}

JobBuilder& JobBuilder::Candidate(const std::string& id, int64_t count) {
  StatusOr<HardwareSpec> hw = catalog_.FindHardware(id);
  EXPECT_TRUE(hw.ok()) << hw.status().message();
  if (!hw.ok()) return *this;
  sizer::Candidate c;
  c.hardware = *hw;
  c.count = count;
  c.label = LabelOf(c);
  c.where = job_.file;
  job_.candidates.push_back(std::move(c));
  return *this;
}

sizer::Candidate& JobBuilder::Last() {
  if (job_.candidates.empty()) {
    ADD_FAILURE() << "JobBuilder: a candidate setter before any Candidate()";
    return scratch_;
  }
  return job_.candidates.back();
}

JobBuilder& JobBuilder::Parallelism(MultiDevice mode) {
  Last().parallelism = mode;
  return *this;
}

JobBuilder& JobBuilder::Nodes(int64_t nodes) {
  sizer::Candidate& c = Last();
  c.nodes = nodes;
  c.label = LabelOf(c);
  return *this;
}

JobBuilder& JobBuilder::NodeLink(const std::string& name, double bandwidth_bytes_per_s) {
  sizer::NodeLink& link = Last().node_link;
  link.name = name;
  link.bandwidth_bytes_per_s = bandwidth_bytes_per_s;
  link.given = true;
  return *this;
}

JobBuilder& JobBuilder::Offload(int64_t gpu_layers, const std::string& host_id) {
  StatusOr<HardwareSpec> host = catalog_.FindHardware(host_id);
  EXPECT_TRUE(host.ok()) << host.status().message();
  if (!host.ok()) return *this;
  EXPECT_EQ(host->kind, HardwareKind::kCpu) << "the offload host must be a cpu-kind entry";
  sizer::Candidate& c = Last();
  c.offload = OffloadSpec{gpu_layers, *host};
  c.label = LabelOf(c);
  return *this;
}

JobBuilder& JobBuilder::MeasuredDecode(double tokens_per_s) {
  Last().measured.decode_tokens_per_s = tokens_per_s;
  return *this;
}

JobBuilder& JobBuilder::Cost(const CostSpec& cost) {
  job_.cost = cost;
  job_.cost.present = true;
  return *this;
}
JobBuilder& JobBuilder::PinMemory(const MemoryOverrides& overrides) {
  job_.memory_overrides = overrides;
  return *this;
}
JobBuilder& JobBuilder::Assumptions(const AssumptionOverrides& overrides) {
  job_.assumptions = overrides;
  return *this;
}

JobBuilder& JobBuilder::Extras(const JobExtras& extras) {
  job_.extras = extras;
  return *this;
}

JobSpec JobBuilder::Build() const {
  EXPECT_FALSE(job_.model.id.empty()) << "JobBuilder: no model";
  EXPECT_FALSE(job_.quant.empty()) << "JobBuilder: no quant";
  EXPECT_FALSE(job_.runtime.empty()) << "JobBuilder: no runtime";
  EXPECT_FALSE(job_.candidates.empty()) << "JobBuilder: no candidate";
  return job_;
}

}  // namespace sizer::testing
