// How a library Status becomes an HTTP answer: the status code (the mapping agreed with
// lib/service, service/api.h) and the JSON error body {"error": "<the CLI's one-line message>"}.
#ifndef SIZER_SERVE_HTTP_ERRORS_H_
#define SIZER_SERVE_HTTP_ERRORS_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace sizer::serve {

// kInvalidArgument / kCorruption / kUnsupported -> 400, kNotFound -> 404, anything else -> 500.
int HttpStatusFor(StatusCode code);

// {"error": message} as one line of JSON followed by a newline.
std::string ErrorJson(std::string_view message);

// The reason phrase for the codes the server sends ("Not Found"); "Error" for others.
std::string_view ReasonPhrase(int http_status);

}  // namespace sizer::serve

#endif  // SIZER_SERVE_HTTP_ERRORS_H_
