// Status and Result<T>: the outcome of an operation that can fail for expected reasons
// (network, bad input, an AWS error). Exceptions are kept for programming errors.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace bulwark {

class Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kIo, kNetwork, kAws, kParse, kInternal };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Io(std::string msg) { return {Code::kIo, std::move(msg)}; }
  static Status Network(std::string msg) { return {Code::kNetwork, std::move(msg)}; }
  static Status Parse(std::string msg) { return {Code::kParse, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  // An error returned by an AWS API: its error code (e.g. "AccessDenied") and HTTP status.
  static Status Aws(std::string aws_code, std::string msg, int http_status) {
    Status s(Code::kAws, std::move(msg));
    s.aws_code_ = std::move(aws_code);
    s.http_status_ = http_status;
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& aws_code() const { return aws_code_; }
  int http_status() const { return http_status_; }
  // "AccessDenied (HTTP 403): User ... is not authorized" or just the message.
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::string aws_code_;
  int http_status_ = 0;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace bulwark
