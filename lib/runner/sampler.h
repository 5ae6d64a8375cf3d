// Sampler: picks the next token from a vector of logits, deterministically for a seed.
//
// Sample(logits), with n = logits.size():
//   * n == 0: returns -1.
//   * temperature <= 0 (or NaN): greedy. Returns the index of the largest logit, the lowest
//     index on ties; NaN logits never win (all NaN: 0). Draws no random number and leaves
//     `logits` unchanged.
//   * otherwise:
//     1. Softmax with temperature: p_i = exp((logit_i - max) / temperature) / sum_j(...),
//        computed in double (NaN logits get p = 0), and written back into `logits` (so the
//        caller's vector holds the probabilities afterwards).
//     2. One uniform u in [0, 1) is drawn: u = (rng() >> 11) * 2^-53, where rng is a
//        std::mt19937_64 seeded with `seed` at construction. Exactly one draw per call, so a
//        seed fixes the whole sequence of samples, independently of the standard library.
//     3. top_p >= 1 (or NaN): every token is a candidate, in index order. Otherwise
//        (nucleus sampling) the candidates are the tokens sorted by probability, highest
//        first (lower index first on ties), cut to the shortest prefix whose cumulative
//        probability is >= top_p (always at least one token, so top_p <= 0 is greedy on
//        the softmax). Tokens with p < (1 - top_p) / (n - 1) cannot be in that prefix and
//        are skipped before sorting (as llama2.c does); this does not change the result.
//     4. With S the sum of the candidates' probabilities, returns the first candidate, in
//        the order above, whose running sum of probabilities exceeds u * S (the last
//        candidate if rounding leaves none).
#ifndef SIZER_RUNNER_SAMPLER_H_
#define SIZER_RUNNER_SAMPLER_H_

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace sizer::runner {

class Sampler {
 public:
  Sampler(float temperature, float top_p, uint64_t seed);

  // The next token id (see above); `logits` is used as scratch space.
  int32_t Sample(std::vector<float>& logits);

  float temperature() const { return temperature_; }
  float top_p() const { return top_p_; }
  bool greedy() const { return !(temperature_ > 0); }

 private:
  double NextUniform();
  int32_t SampleNucleus(const std::vector<float>& probs, double u);

  float temperature_;
  float top_p_;
  std::mt19937_64 rng_;
  std::vector<std::pair<float, int32_t>> candidates_;  // scratch for top-p
};

// The index of the largest value, the lowest on ties, skipping NaN (all NaN or empty: 0 /
// -1). What greedy sampling returns.
int32_t ArgMax(const std::vector<float>& values);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_SAMPLER_H_
