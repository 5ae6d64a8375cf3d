// The bundled worksheets (worksheets/) planned against the shipped databases: what each one
// is there to show still holds. The golden tests (tests/golden/) pin their full output.
#include <gtest/gtest.h>

#include "plan/planner.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::IsOk;
using testing::RealCatalog;
using testing::SourceDir;

TEST(BundledWorksheets, TheVllmMultiNodeWorksheetAdmitsTwoNodes) {
  StatusOr<JobSpec> job =
      LoadJobSpec(SourceDir() + "/worksheets/serving-vllm-405b-multinode.yaml", RealCatalog());
  ASSERT_THAT(job, IsOk());
  StatusOr<Plan> plan = MakePlan(*job);
  ASSERT_THAT(plan, IsOk());
  ASSERT_TRUE(plan->recommended);
  EXPECT_EQ(plan->candidates[*plan->recommended].candidate.nodes, 2);
}

}  // namespace
}  // namespace sizer
