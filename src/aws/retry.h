// Retry decisions as the AWS SDKs' "standard" retry mode defines them: which errors are
// retried, exponential backoff with full jitter capped at 20 s, and a retry quota (token
// bucket) so a failing service is not hammered.
#pragma once

#include <mutex>
#include <string>

#include "util/status.h"

namespace bulwark::aws {

struct RetryPolicy {
  int max_attempts = 3;  // first try included
  double base_seconds = 1.0;
  double max_backoff_seconds = 20.0;
};

bool IsThrottlingError(const Status& s);
// Throttling, transient service errors, 5xx, 429 and network failures.
bool IsRetryableError(const Status& s);

// Delay before retry number `retry` (0 = the first retry), given a uniform random number
// in [0,1): random01 * min(base * 2^retry, max_backoff).
double BackoffSeconds(int retry, double random01, const RetryPolicy& policy);

// Standard mode's retry quota: 500 tokens; a retry costs 5 (10 after a timeout); a
// success refunds the cost of its retry, or 1 token when it needed none.
class RetryQuota {
 public:
  static constexpr int kCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;

  // Returns the cost taken, or 0 when the quota is exhausted (do not retry).
  int Acquire(const Status& error);
  void OnSuccess(int cost_of_last_retry);
  int available() const;

 private:
  mutable std::mutex mu_;
  int tokens_ = kCapacity;
};

}  // namespace bulwark::aws
