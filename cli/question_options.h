// The flags of a question (sizer fit, sizer recommend), shared by both commands: each one a
// job key (input/question.h does the checking and writes the job).
#ifndef SIZER_CLI_QUESTION_OPTIONS_H_
#define SIZER_CLI_QUESTION_OPTIONS_H_

#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "input/question.h"

namespace sizer::cli {

// --quant, --context, --concurrency, --runtime, --kv-cache-dtype, --prompt-tokens,
// --output-tokens, --min-decode, --on, --gpu, --memory, --bandwidth, --tflops, --set.
void AddQuestionOptions(po::options_description& options);
// The question those flags ask; `model` is the MODEL argument.
Question QuestionFromOptions(const po::variables_map& vm, const std::string& model);
// Prints "Defaults: ..." lines (to `out`), one per key the flags left to sizer.
std::string DefaultsText(const std::vector<QuestionDefault>& defaults, size_t columns);

}  // namespace sizer::cli

#endif  // SIZER_CLI_QUESTION_OPTIONS_H_
