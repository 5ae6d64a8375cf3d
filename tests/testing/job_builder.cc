#include "testing/job_builder.h"

#include <gtest/gtest.h>

#include "base/edit_distance.h"
#include "knowledge/weight_format.h"

namespace sizer::testing {

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
JobBuilder& JobBuilder::Assumptions(const AssumptionOverrides& overrides) {
  job_.assumptions = overrides;
  return *this;
}

JobBuilder& JobBuilder::Candidate(const std::string& id, int64_t count) {
  StatusOr<HardwareSpec> hw = catalog_.FindHardware(id);
  EXPECT_TRUE(hw.ok()) << hw.status().message();
  if (!hw.ok()) return *this;
  sizer::Candidate c;
  c.hardware = *hw;
  c.count = count;
  c.label = count > 1 ? std::to_string(count) + "x " + id : id;
  c.where = job_.file;
  job_.candidates.push_back(std::move(c));
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
