#include "runner/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace sizer::runner {

int32_t ArgMax(const std::vector<float>& values) {
  if (values.empty()) return -1;
  int32_t best = -1;
  for (size_t i = 0; i < values.size(); ++i) {
    const float v = values[i];
    if (std::isnan(v)) continue;
    if (best < 0 || v > values[static_cast<size_t>(best)]) best = static_cast<int32_t>(i);
  }
  return best < 0 ? 0 : best;
}

Sampler::Sampler(float temperature, float top_p, uint64_t seed)
    : temperature_(temperature), top_p_(top_p), rng_(seed) {}

double Sampler::NextUniform() {
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

namespace {

// Step 1: softmax with temperature, in place, around the largest logit (NaN logits get 0).
void SoftmaxInPlace(std::vector<float>& logits, double max_logit, double temperature) {
  const double inv_t = 1.0 / temperature;
  double sum = 0;
  for (float& l : logits) {
    const double p = std::isnan(l) ? 0.0 : std::exp((static_cast<double>(l) - max_logit) * inv_t);
    l = static_cast<float>(p);
    sum += p;
  }
  for (float& l : logits) l = static_cast<float>(static_cast<double>(l) / sum);
}

// Steps 3-4 over all tokens, in index order: the first whose CDF passes u x total.
int32_t SampleAll(const std::vector<float>& probs, double u, int32_t fallback) {
  double total = 0;
  for (float p : probs) total += p;
  const double target = u * total;
  double cdf = 0;
  int32_t last = fallback;
  for (size_t i = 0; i < probs.size(); ++i) {
    if (probs[i] <= 0) continue;
    cdf += probs[i];
    last = static_cast<int32_t>(i);
    if (target < cdf) return last;
  }
  return last;
}

}  // namespace

int32_t Sampler::Sample(std::vector<float>& logits) {
  if (logits.empty()) return -1;
  if (greedy()) return ArgMax(logits);
  const int32_t top = ArgMax(logits);
  const double max_logit = logits[static_cast<size_t>(top)];
  if (std::isnan(max_logit)) return top;  // every logit is NaN
  SoftmaxInPlace(logits, max_logit, static_cast<double>(temperature_));
  const double u = NextUniform();  // 2. one draw per call
  if (!(top_p_ < 1)) return SampleAll(logits, u, top);
  return SampleNucleus(logits, u);
}

// Steps 3-4, nucleus: the most probable tokens up to cumulative probability top_p.
int32_t Sampler::SampleNucleus(const std::vector<float>& probs, double u) {
  const size_t n = probs.size();
  auto by_probability = [](const std::pair<float, int32_t>& a,
                           const std::pair<float, int32_t>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  size_t kept = 0;
  double kept_mass = 0;
  for (int pass = 0; pass < 2 && kept == 0; ++pass) {
    // Pass 0 skips tokens that cannot be in the nucleus; pass 1 (only if rounding left the
    // cut short of top_p) takes every token.
    const double cutoff =
        (pass == 0 && n > 1 && top_p_ > 0) ? (1.0 - static_cast<double>(top_p_)) /
                                                 static_cast<double>(n - 1)
                                           : 0.0;
    candidates_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (pass == 1 || static_cast<double>(probs[i]) >= cutoff) {
        candidates_.emplace_back(probs[i], static_cast<int32_t>(i));
      }
    }
    std::sort(candidates_.begin(), candidates_.end(), by_probability);
    double cum = 0;
    for (size_t k = 0; k < candidates_.size(); ++k) {
      cum += candidates_[k].first;
      if (cum >= static_cast<double>(top_p_)) {
        kept = k + 1;
        kept_mass = cum;
        break;
      }
    }
    if (pass == 1 && kept == 0) {  // rounding: the whole vocabulary sums below top_p
      kept = candidates_.size();
      kept_mass = cum;
    }
  }
  const double target = u * kept_mass;
  double cdf = 0;
  for (size_t k = 0; k < kept; ++k) {
    cdf += candidates_[k].first;
    if (target < cdf) return candidates_[k].second;
  }
  return candidates_[kept - 1].second;
}

}  // namespace sizer::runner
