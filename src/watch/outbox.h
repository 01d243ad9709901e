// The outbox: every message a watch cycle owes a route, kept in the history database until
// it is delivered. A failed delivery stays and is retried in later cycles: the next one after
// a first failure, then after a growing wait (1 minute, doubling, at most 6 hours); nothing
// is dropped.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "aws/http.h"
#include "util/status.h"
#include "watch/notify.h"

namespace bulwark::watch {

struct Delivery {
  int64_t id = 0;
  std::string route;
  std::string payload;
  std::string created_at;
  int attempts = 0;
  std::string next_attempt_at;  // ISO 8601, UTC
  std::string last_error;       // never the URL
  std::string delivered_at;     // empty while pending
};

class Outbox {
 public:
  // Creates the table in `db` when it is not there.
  static Result<Outbox> Open(sqlite3* db);

  Status Enqueue(const std::string& route, const std::string& payload, std::time_t now);
  // Pending deliveries whose next attempt is due at `now` (all pending when `now` is 0).
  Result<std::vector<Delivery>> Pending(std::time_t now) const;
  Status Delivered(int64_t id, std::time_t now);
  Status Failed(const Delivery& d, const std::string& error, std::time_t now);

 private:
  explicit Outbox(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

struct DeliveryStats {
  int sent = 0;
  int failed = 0;                     // tried now and failed: kept for a later cycle
  std::vector<std::string> warnings;  // "route secops-chat: HTTP 500 (attempt 1; next ...)"
};

// Sends every due delivery to its route (a webhook: an HTTP POST of the payload as JSON,
// delivered by a 2xx answer; mail: the payload over SMTP; SNS: Publish of the payload).
// Publishes `message` to an SNS topic; returns "" on success, else what went wrong.
using SnsPublisher =
    std::function<std::string(const std::string& topic_arn, const std::string& message)>;

DeliveryStats DeliverDue(Outbox& outbox, const NotifyConfig& config, aws::HttpClient& http,
                         const SnsPublisher& sns, std::time_t now);

}  // namespace bulwark::watch
