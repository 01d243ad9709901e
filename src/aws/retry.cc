#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace bulwark::aws {
namespace {

constexpr std::array<std::string_view, 13> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
};

constexpr std::array<std::string_view, 6> kTransientCodes = {
    "RequestTimeout",        "RequestTimeoutException", "PriorRequestNotComplete",
    "IDPCommunicationError", "InternalError",           "ServiceUnavailable",
};

bool Contains(const auto& list, const std::string& code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

}  // namespace

bool IsThrottlingError(const Status& s) {
  return s.code() == Status::Code::kAws && Contains(kThrottlingCodes, s.aws_code());
}

bool IsRetryableError(const Status& s) {
  if (s.code() == Status::Code::kNetwork) return true;
  if (s.code() != Status::Code::kAws) return false;
  if (IsThrottlingError(s) || Contains(kTransientCodes, s.aws_code())) return true;
  int http = s.http_status();
  return http == 429 || http == 500 || http == 502 || http == 503 || http == 504;
}

double BackoffSeconds(int retry, double random01, const RetryPolicy& policy) {
  double ceiling = std::min(policy.base_seconds * std::pow(2.0, retry), policy.max_backoff_seconds);
  return random01 * ceiling;
}

int RetryQuota::Acquire(const Status& error) {
  int cost = error.code() == Status::Code::kNetwork ? kTimeoutCost : kRetryCost;
  std::lock_guard<std::mutex> lock(mu_);
  if (tokens_ < cost) return 0;
  tokens_ -= cost;
  return cost;
}

void RetryQuota::OnSuccess(int cost_of_last_retry) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_ = std::min(kCapacity, tokens_ + (cost_of_last_retry > 0 ? cost_of_last_retry : 1));
}

int RetryQuota::available() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokens_;
}

}  // namespace bulwark::aws
