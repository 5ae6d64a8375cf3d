// SHA-256 of a file, streamed in 4 MiB reads (OpenSSL libcrypto), with progress reports so
// a terminal can show how far a multi-gigabyte artifact has got.
#ifndef SIZER_BASE_SHA256_H_
#define SIZER_BASE_SHA256_H_

#include <cstdint>
#include <functional>
#include <string>

#include "base/status.h"

namespace sizer {

// Lower-case hex digest. kNotFound for a missing file, kIOError for a read error.
// `progress(done_bytes, total_bytes)` is called after each read when given.
StatusOr<std::string> Sha256File(const std::string& path,
                                 const std::function<void(uint64_t, uint64_t)>& progress = {});

// Lower-case hex digest of a string (tests).
std::string Sha256Hex(const std::string& data);

// True for 64 hex digits.
bool IsSha256Hex(const std::string& text);

}  // namespace sizer

#endif  // SIZER_BASE_SHA256_H_
