// Status and StatusOr: how the library reports failure (after leveldb's Status and
// absl::StatusOr's API shape). No exception crosses the library's API.
#ifndef SIZER_BASE_STATUS_H_
#define SIZER_BASE_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/check.h"

namespace sizer {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // a bad spec, flag or value
  kNotFound,         // an unknown id, key or file
  kCorruption,       // a malformed file (YAML syntax, GGUF structure)
  kUnsupported,      // a valid request the tool cannot serve (a quant on a runtime)
  kIOError,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status Corruption(std::string message) {
    return Status(StatusCode::kCorruption, std::move(message));
  }
  static Status Unsupported(std::string message) {
    return Status(StatusCode::kUnsupported, std::move(message));
  }
  static Status IOError(std::string message) {
    return Status(StatusCode::kIOError, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // The message with every context prefix, e.g. "job.yaml:3:8: quant: unknown id".
  const std::string& message() const { return message_; }

  // Returns a copy whose message reads "<context>: <message>". OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    SIZER_CHECK(!status_.ok());
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  const T& value() const& {
    SIZER_CHECK(ok());
    return *value_;
  }
  T& value() & {
    SIZER_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    SIZER_CHECK(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace sizer

#define SIZER_STATUS_CONCAT_INNER_(a, b) a##b
#define SIZER_STATUS_CONCAT_(a, b) SIZER_STATUS_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define SIZER_RETURN_IF_ERROR(expr)          \
  do {                                       \
    ::sizer::Status sizer_status_ = (expr);  \
    if (!sizer_status_.ok()) return sizer_status_; \
  } while (0)

// `lhs = value of expr`, or returns its Status from the enclosing function.
#define SIZER_ASSIGN_OR_RETURN(lhs, expr) \
  SIZER_ASSIGN_OR_RETURN_IMPL_(SIZER_STATUS_CONCAT_(sizer_statusor_, __LINE__), lhs, expr)
#define SIZER_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#endif  // SIZER_BASE_STATUS_H_
