#include "serve/bind_policy.h"

#include <arpa/inet.h>

namespace sizer::serve {

bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8 (RFC 1122 3.2.1.3)
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6) != 0;
  }
  return false;
}

std::optional<std::string> BindWarning(std::string_view host, int port) {
  if (IsLoopbackHost(host)) return std::nullopt;
  return "sizer serve: warning: listening on " + std::string(host) + ":" + std::to_string(port) +
         ", which is not loopback; the API has no authentication: anyone who can reach this "
         "address can use it";
}

}  // namespace sizer::serve
