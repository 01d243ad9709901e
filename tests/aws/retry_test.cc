// Standard-mode retry decisions: what is retried, the backoff bounds, and the retry quota.
#include "aws/retry.h"

#include <gtest/gtest.h>

namespace bulwark::aws {
namespace {

TEST(Retry, ThrottlingAndTransientErrorsAreRetried) {
  for (const char* code :
       {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
        "SlowDown", "RequestThrottledException", "ProvisionedThroughputExceededException"}) {
    EXPECT_TRUE(IsThrottlingError(Status::Aws(code, "m", 400))) << code;
    EXPECT_TRUE(IsRetryableError(Status::Aws(code, "m", 400))) << code;
  }
  EXPECT_TRUE(IsRetryableError(Status::Aws("InternalError", "m", 500)));
  EXPECT_TRUE(IsRetryableError(Status::Aws("Whatever", "m", 503)));
  EXPECT_TRUE(IsRetryableError(Status::Aws("Whatever", "m", 429)));
  EXPECT_TRUE(IsRetryableError(Status::Network("connection reset")));
}

TEST(Retry, ClientErrorsAreNotRetried) {
  for (const char* code : {"AccessDenied", "AccessDeniedException", "NoSuchEntity",
                           "UnauthorizedOperation", "SignatureDoesNotMatch", "ValidationError"}) {
    EXPECT_FALSE(IsRetryableError(Status::Aws(code, "m", 400))) << code;
  }
  EXPECT_FALSE(IsRetryableError(Status::Parse("bad xml")));
  EXPECT_FALSE(IsThrottlingError(Status::Aws("InternalError", "m", 500)));
}

TEST(Retry, BackoffIsFullJitterExponentialCappedAt20Seconds) {
  RetryPolicy p;
  EXPECT_DOUBLE_EQ(BackoffSeconds(0, 1.0, p), 1.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(1, 1.0, p), 2.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(3, 1.0, p), 8.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(10, 1.0, p), 20.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(10, 0.5, p), 10.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(2, 0.0, p), 0.0);
}

TEST(Retry, QuotaDrainsAndRefills) {
  RetryQuota q;
  Status throttle = Status::Aws("Throttling", "m", 400);
  int taken = 0;
  while (q.Acquire(throttle) > 0) ++taken;
  EXPECT_EQ(taken, RetryQuota::kCapacity / RetryQuota::kRetryCost);
  EXPECT_EQ(q.Acquire(throttle), 0);
  q.OnSuccess(RetryQuota::kRetryCost);
  EXPECT_EQ(q.available(), RetryQuota::kRetryCost);
  EXPECT_EQ(q.Acquire(Status::Network("timeout")), 0);  // a timeout costs 10
  q.OnSuccess(0);
  EXPECT_EQ(q.available(), RetryQuota::kRetryCost + 1);
}

}  // namespace
}  // namespace bulwark::aws
