#include "plan/cost.h"

#include <limits>

#include "base/units.h"

namespace sizer {

std::string_view CheaperSideName(CheaperSide side) {
  return side == CheaperSide::kLocal ? "local" : "hosted";
}

CostPlan PlanCost(const JobSpec& job, const Candidate& c, double aggregate_tokens_per_s) {
  CostPlan p;
  const CostSpec& cost = job.cost;
  if (!cost.present) return p;
  p.present = true;

  const Operand requests{"requests", cost.requests_per_month, Unit::kRequestsPerMonth};
  Formula hosted_formula;
  if (cost.hosted_usd_per_1k_requests) {
    p.hosted_usd_per_request = *cost.hosted_usd_per_1k_requests / 1000.0;
    hosted_formula = {"{requests} requests x {usd_per_1k} / 1k",
                      {requests, {"usd_per_1k", *cost.hosted_usd_per_1k_requests, Unit::kUsd}}};
  } else {
    double in = cost.hosted_usd_per_million_input_tokens.value_or(0);
    double out = cost.hosted_usd_per_million_output_tokens.value_or(0);
    p.hosted_usd_per_request = (static_cast<double>(job.prompt_tokens) * in +
                                static_cast<double>(job.output_tokens) * out) / 1e6;
    hosted_formula = {"{requests} requests x ({prompt} x {usd_in} + {output} x {usd_out}) / 1M tokens",
                      {requests, Whole("prompt", job.prompt_tokens), {"usd_in", in, Unit::kUsd},
                       Whole("output", job.output_tokens), {"usd_out", out, Unit::kUsd}}};
  }
  p.hosted_monthly_usd = cost.requests_per_month * p.hosted_usd_per_request;

  Formula local_formula;
  if (cost.local_fixed_monthly_usd) {
    p.local_monthly_usd = *cost.local_fixed_monthly_usd;
    local_formula = {"given (cost.local_fixed_monthly_usd)"};
  } else {
    const double devices = static_cast<double>(c.devices());
    double price = cost.hardware_price_usd.value_or(c.hardware.price_usd * devices +
                                                    (c.offload ? c.offload->host.price_usd : 0));
    double watts = c.hardware.tdp_watts * devices + (c.offload ? c.offload->host.tdp_watts : 0);
    double amortized = price / cost.amortization_months;
    double power = watts * cost.power_utilization * kHoursPerMonth / 1000.0 *
                   cost.electricity_usd_per_kwh;
    p.local_monthly_usd = amortized + power + cost.operations_monthly_usd;
    // Amortized price + power (watts x utilization x 730 h x price per kWh) + operations.
    local_formula = {"{price} / {months} months + {watts} W x {utilization} x 730 h x {usd_per_kwh}"
                     "/kWh + operations {operations}",
                     {{"price", price, Unit::kUsd},
                      {"months", cost.amortization_months, Unit::kCount, 0},
                      {"watts", watts, Unit::kNone, 0},
                      {"utilization", cost.power_utilization, Unit::kFraction, 2},
                      {"usd_per_kwh", cost.electricity_usd_per_kwh, Unit::kUsd},
                      {"operations", cost.operations_monthly_usd, Unit::kUsd}}};
  }
  p.break_even_requests_per_month = p.hosted_usd_per_request > 0
                                        ? p.local_monthly_usd / p.hosted_usd_per_request
                                        : std::numeric_limits<double>::infinity();
  p.cheaper = p.local_monthly_usd < p.hosted_monthly_usd ? CheaperSide::kLocal : CheaperSide::kHosted;
  if (job.output_tokens > 0) {
    p.capacity_requests_per_month =
        aggregate_tokens_per_s * kSecondsPerMonth / static_cast<double>(job.output_tokens);
  }

  p.rows.push_back({"hosted_monthly_usd", "Hosted per month", p.hosted_monthly_usd, Unit::kUsd,
                    hosted_formula, "job cost.hosted"});
  p.rows.push_back({"local_monthly_usd", "Local per month", p.local_monthly_usd, Unit::kUsd,
                    local_formula, "hardware_db price_usd, tdp_watts; job cost.local"});
  p.rows.push_back({"break_even_requests_per_month", "Break-even volume",
                    p.break_even_requests_per_month, Unit::kRequestsPerMonth,
                    {"local per month / hosted per request ({usd_per_request})",
                     {{"usd_per_request", p.hosted_usd_per_request, Unit::kUsd}}},
                    ""});
  // kSecondsPerMonth (730 h) of decode at the aggregate rate, over the output per request.
  p.rows.push_back({"capacity_requests_per_month", "Decode capacity", p.capacity_requests_per_month,
                    Unit::kRequestsPerMonth,
                    {"aggregate decode tokens/s x {seconds} s / {output} output tokens (prefill "
                     "not counted)",
                     {{"seconds", kSecondsPerMonth, Unit::kCount}, Whole("output", job.output_tokens)}},
                    ""});
  return p;
}

}  // namespace sizer
