// Jobs for tests, built as structs rather than as YAML text: a test names what it varies and
// the builder fills the rest with the defaults a job file would get. Ids resolve against a
// catalog (the shipped one, or FixtureCatalog() for planner tests that must not depend on
// the databases); an unknown id fails the test that asked for it.
#ifndef SIZER_TESTS_TESTING_JOB_BUILDER_H_
#define SIZER_TESTS_TESTING_JOB_BUILDER_H_

#include <cstdint>
#include <string>

#include "catalog/catalog.h"
#include "input/job.h"

namespace sizer::testing {

class JobBuilder {
 public:
  // The catalog must outlive Build(). Defaults: context 8192, one sequence, prompt 500 and
  // output 100 tokens, KV f16, reserve 0.20, no other gates.
  explicit JobBuilder(const Catalog& catalog);

  JobBuilder& Model(const std::string& id);
  // A model given in the job itself (a job file's inline `model:` mapping).
  JobBuilder& InlineModel(const ModelSpec& model);
  JobBuilder& Quant(const std::string& id);
  JobBuilder& Runtime(const std::string& id);
  JobBuilder& KvCacheDtype(const std::string& id);
  JobBuilder& FlashAttention(bool on);
  JobBuilder& Context(int64_t tokens);
  JobBuilder& Concurrency(int64_t sequences);
  JobBuilder& Prompt(int64_t tokens);
  JobBuilder& Output(int64_t tokens);
  JobBuilder& Sparse(double fraction, const std::string& structure);

  // Gates.
  JobBuilder& Reserve(double fraction);
  JobBuilder& MinDecode(double tokens_per_s);
  JobBuilder& MaxTtft(double ms);
  JobBuilder& MinQuality(double quality);

  // One candidate group of `count` devices of hardware `id` (labelled as a job file would be).
  JobBuilder& Candidate(const std::string& id, int64_t count = 1);
  // These change the candidate added last.
  JobBuilder& Parallelism(MultiDevice mode);
  JobBuilder& Nodes(int64_t nodes);
  JobBuilder& NodeLink(const std::string& name, double bandwidth_bytes_per_s);
  JobBuilder& Offload(int64_t gpu_layers, const std::string& host_id);
  JobBuilder& MeasuredDecode(double tokens_per_s);

  JobBuilder& Cost(const CostSpec& cost);  // marks the cost section present
  JobBuilder& PinMemory(const MemoryOverrides& overrides);
  JobBuilder& Assumptions(const AssumptionOverrides& overrides);
  // Vision, draft, adapters and task (input/job_extras.h), as ParseJobExtras would fill them.
  JobBuilder& Extras(const JobExtras& extras);

  // The job; fails the current test (and returns what was built) on an unknown id.
  JobSpec Build() const;

 private:
  // The candidate added last; fails the test (and returns a scratch one) when there is none.
  sizer::Candidate& Last();

  const Catalog& catalog_;
  JobSpec job_;
  sizer::Candidate scratch_;
};

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_JOB_BUILDER_H_
