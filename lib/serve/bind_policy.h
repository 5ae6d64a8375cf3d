// Where `sizer serve` may listen without a word: the API has no authentication, so it binds to
// loopback by default, and any other address gets a warning line on stderr.
#ifndef SIZER_SERVE_BIND_POLICY_H_
#define SIZER_SERVE_BIND_POLICY_H_

#include <optional>
#include <string>
#include <string_view>

namespace sizer::serve {

// True for "localhost", 127.0.0.0/8 and ::1 (also written [::1]); false for everything else,
// "0.0.0.0" and "::" (every interface) included.
bool IsLoopbackHost(std::string_view host);

// The warning `sizer serve` prints before listening on `host`, or nullopt for loopback.
std::optional<std::string> BindWarning(std::string_view host, int port);

}  // namespace sizer::serve

#endif  // SIZER_SERVE_BIND_POLICY_H_
