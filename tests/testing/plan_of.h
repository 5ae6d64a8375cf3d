// PlanOf: the plan of a job that must plan (a failure is a test failure, and an empty Plan is
// returned so the test can go on). The plan owns its job (Plan::job), so the job may go out
// of scope after the call.
#ifndef SIZER_TESTS_TESTING_PLAN_OF_H_
#define SIZER_TESTS_TESTING_PLAN_OF_H_

#include <utility>

#include <gmock/gmock.h>

#include "plan/planner.h"
#include "testing/status_matchers.h"

namespace sizer::testing {

inline Plan PlanOf(const JobSpec& job) {
  StatusOr<Plan> plan = MakePlan(job);
  EXPECT_THAT(plan, IsOk());
  return plan.ok() ? std::move(plan).value() : Plan();
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_PLAN_OF_H_
