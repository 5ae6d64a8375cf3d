// `sizer check` output: a readable summary, JSON, JUnit XML (one test case per check, so CI
// systems show them natively) and GitHub Actions annotations.
#ifndef SIZER_RELEASE_CHECK_RENDER_H_
#define SIZER_RELEASE_CHECK_RENDER_H_

#include <string>

#include <nlohmann/json.hpp>

#include "release/check.h"

namespace sizer {

std::string RenderCheckText(const CheckReport& report);
nlohmann::json CheckReportToJson(const CheckReport& report);
std::string RenderCheckJUnit(const CheckReport& report);
// "::error file=F,title=sizer check <name>::message" per failed check, "::warning" per warning.
std::string RenderCheckGitHub(const CheckReport& report);

}  // namespace sizer

#endif  // SIZER_RELEASE_CHECK_RENDER_H_
