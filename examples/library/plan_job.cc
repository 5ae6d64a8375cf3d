// Plans a job through sizer's public API and prints each candidate's verdict.
// usage: plan_job JOB.yaml [DATA_DIR]   (DATA_DIR: the databases; default as `sizer` finds them)
#include <iostream>

#include "base/data_dir.h"
#include "base/formula.h"
#include "catalog/catalog.h"
#include "input/job.h"
#include "plan/planner.h"
#include "plan/verdict.h"

static int Fail(const sizer::Status& status) {
  std::cerr << "plan_job: " << status.message() << "\n";
  return 2;
}

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: plan_job JOB.yaml [DATA_DIR]\n";
    return 2;
  }
  const sizer::DataDir data = sizer::ResolveDataDir(argc == 3 ? argv[2] : "");
  sizer::StatusOr<sizer::Catalog> catalog = sizer::Catalog::Load(data.path);
  if (!catalog.ok()) return Fail(catalog.status());
  sizer::StatusOr<sizer::JobSpec> job = sizer::LoadJobSpec(argv[1], *catalog);
  if (!job.ok()) return Fail(job.status());
  sizer::StatusOr<sizer::Plan> plan = sizer::MakePlan(*job);
  if (!plan.ok()) return Fail(plan.status());

  std::cout << job->name << " (" << plan->quant << ", data " << data.path << ")\n";
  for (const sizer::CandidateWorksheet& c : plan->candidates) {
    std::cout << "  " << c.candidate.label << ": " << sizer::VerdictName(c.verdict);
    for (const std::string& reason : sizer::ReasonTexts(c.reasons)) std::cout << "; " << reason;
    std::cout << "\n";
  }
  if (plan->recommended) {
    std::cout << "recommended: " << sizer::RenderFormula(plan->recommendation) << "\n";
  }
  return 0;
}
