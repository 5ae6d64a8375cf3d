#include "plan/cost.h"

#include <limits>

#include "base/format.h"
#include "base/units.h"

namespace sizer {

CostPlan PlanCost(const JobSpec& job, const Candidate& c, double aggregate_tokens_per_s) {
  CostPlan p;
  const CostSpec& cost = job.cost;
  if (!cost.present) return p;
  p.present = true;

  std::string hosted_formula;
  if (cost.hosted_usd_per_1k_requests) {
    p.hosted_usd_per_request = *cost.hosted_usd_per_1k_requests / 1000.0;
    hosted_formula = FormatCount(cost.requests_per_month) + " requests x " +
                     FormatUsd(*cost.hosted_usd_per_1k_requests) + " / 1k";
  } else {
    double in = cost.hosted_usd_per_million_input_tokens.value_or(0);
    double out = cost.hosted_usd_per_million_output_tokens.value_or(0);
    p.hosted_usd_per_request = (static_cast<double>(job.prompt_tokens) * in +
                                static_cast<double>(job.output_tokens) * out) / 1e6;
    hosted_formula = FormatCount(cost.requests_per_month) + " requests x (" +
                     std::to_string(job.prompt_tokens) + " x " + FormatUsd(in) + " + " +
                     std::to_string(job.output_tokens) + " x " + FormatUsd(out) + ") / 1M tokens";
  }
  p.hosted_monthly_usd = cost.requests_per_month * p.hosted_usd_per_request;

  std::string local_formula;
  if (cost.local_fixed_monthly_usd) {
    p.local_monthly_usd = *cost.local_fixed_monthly_usd;
    local_formula = "given (cost.local_fixed_monthly_usd)";
  } else {
    const double devices = static_cast<double>(c.devices());
    double price = cost.hardware_price_usd.value_or(c.hardware.price_usd * devices +
                                                    (c.offload ? c.offload->host.price_usd : 0));
    double watts = c.hardware.tdp_watts * devices + (c.offload ? c.offload->host.tdp_watts : 0);
    double amortized = price / cost.amortization_months;
    double power = watts * cost.power_utilization * kHoursPerMonth / 1000.0 *
                   cost.electricity_usd_per_kwh;
    p.local_monthly_usd = amortized + power + cost.operations_monthly_usd;
    local_formula = FormatUsd(price) + " / " + FormatFixed(cost.amortization_months, 0) +
                    " months + " + FormatFixed(watts, 0) + " W x " +
                    FormatFixed(cost.power_utilization, 2) + " x 730 h x " +
                    FormatUsd(cost.electricity_usd_per_kwh) + "/kWh + operations " +
                    FormatUsd(cost.operations_monthly_usd);
  }
  p.break_even_requests_per_month = p.hosted_usd_per_request > 0
                                        ? p.local_monthly_usd / p.hosted_usd_per_request
                                        : std::numeric_limits<double>::infinity();
  p.cheaper = p.local_monthly_usd < p.hosted_monthly_usd ? "local" : "hosted";
  if (job.output_tokens > 0) {
    p.capacity_requests_per_month =
        aggregate_tokens_per_s * kSecondsPerMonth / static_cast<double>(job.output_tokens);
  }

  p.rows.push_back({"hosted_monthly_usd", "Hosted per month", p.hosted_monthly_usd, "usd",
                    hosted_formula, "job cost.hosted"});
  p.rows.push_back({"local_monthly_usd", "Local per month", p.local_monthly_usd, "usd",
                    local_formula, "hardware_db price_usd, tdp_watts; job cost.local"});
  p.rows.push_back({"break_even_requests_per_month", "Break-even volume",
                    p.break_even_requests_per_month, "requests/month",
                    "local per month / hosted per request (" +
                        FormatUsd(p.hosted_usd_per_request) + ")",
                    ""});
  p.rows.push_back({"capacity_requests_per_month", "Decode capacity", p.capacity_requests_per_month,
                    "requests/month",
                    "aggregate decode tokens/s x 2,628,000 s / " +
                        std::to_string(job.output_tokens) + " output tokens (prefill not counted)",
                    ""});
  return p;
}

}  // namespace sizer
