#include "watch/outbox.h"

#include <fmt/format.h>

#include <algorithm>

#include "snapshot/snapshot.h"
#include "snapshot/stmt.h"

namespace bulwark::watch {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS notify_outbox (id INTEGER PRIMARY KEY, route TEXT NOT NULL, "
    "payload TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
    "next_attempt_at TEXT NOT NULL, last_error TEXT, delivered_at TEXT)";

using snapshot::Stmt;

Status Run(Stmt& s, sqlite3* db) {
  if (!s.Run()) return Status::Io(std::string("history database: ") + sqlite3_errmsg(db));
  return Status::Ok();
}

}  // namespace

Result<Outbox> Outbox::Open(sqlite3* db) {
  char* err = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Io("history database: cannot create the outbox: " + message);
  }
  return Outbox(db);
}

Status Outbox::Enqueue(const std::string& route, const std::string& payload, std::time_t now) {
  Stmt s(db_,
         "INSERT INTO notify_outbox (route, payload, created_at, next_attempt_at) "
         "VALUES (?1, ?2, ?3, ?3)");
  s.Bind(1, route);
  s.Bind(2, payload);
  s.Bind(3, snapshot::FormatIso8601(now));
  return Run(s, db_);
}

Result<std::vector<Delivery>> Outbox::Pending(std::time_t now) const {
  Stmt s(db_,
         "SELECT id, route, payload, created_at, attempts, next_attempt_at, "
         "ifnull(last_error, '') FROM notify_outbox WHERE delivered_at IS NULL "
         "AND (?1 = '' OR next_attempt_at <= ?1) ORDER BY id");
  if (!s.ok()) return Status::Io(std::string("history database: ") + sqlite3_errmsg(db_));
  s.Bind(1, now == 0 ? std::string() : snapshot::FormatIso8601(now));
  std::vector<Delivery> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    Delivery d;
    d.id = sqlite3_column_int64(s.get(), 0);
    d.route = s.Text(1);
    d.payload = s.Text(2);
    d.created_at = s.Text(3);
    d.attempts = sqlite3_column_int(s.get(), 4);
    d.next_attempt_at = s.Text(5);
    d.last_error = s.Text(6);
    out.push_back(std::move(d));
  }
  return out;
}

Status Outbox::Delivered(int64_t id, std::time_t now) {
  Stmt s(db_,
         "UPDATE notify_outbox SET delivered_at = ?1, attempts = attempts + 1, "
         "last_error = NULL WHERE id = ?2");
  s.Bind(1, snapshot::FormatIso8601(now));
  s.Bind(2, id);
  return Run(s, db_);
}

Status Outbox::Failed(const Delivery& d, const std::string& error, std::time_t now) {
  // The next cycle tries again after a first failure; then 1 minute, doubling, at most 6 h.
  int shift = std::min(d.attempts, 10);
  std::time_t wait =
      d.attempts == 0 ? 0 : std::min<std::time_t>(std::time_t{60} << (shift - 1), 6 * 3600);
  Stmt s(db_,
         "UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?1, "
         "next_attempt_at = ?2 WHERE id = ?3");
  s.Bind(1, error);
  s.Bind(2, snapshot::FormatIso8601(now + wait));
  s.Bind(3, d.id);
  return Run(s, db_);
}

DeliveryStats DeliverDue(Outbox& outbox, const NotifyConfig& config, aws::HttpClient& http,
                         const SnsPublisher& sns, std::time_t now) {
  DeliveryStats stats;
  auto due = outbox.Pending(now);
  if (!due.ok()) {
    stats.warnings.push_back(due.status().message());
    return stats;
  }
  for (const auto& d : *due) {
    const Route* route = config.Find(d.route);
    std::string error;
    if (!route) {
      error = "the route is no longer in " + config.file;
    } else if (route->kind == Route::Kind::kSmtp) {
      error = SendMail(route->smtp, d.payload);
    } else if (route->kind == Route::Kind::kSns) {
      error = sns ? sns(route->topic_arn, d.payload) : "no AWS credentials for SNS";
    } else {
      aws::HttpRequest req;
      req.method = "POST";
      req.url = route->url;
      req.headers = {{"Content-Type", "application/json"}};
      req.body = d.payload;
      req.timeout_ms = 15000;
      Result<aws::HttpResponse> resp = http.Send(req);
      if (!resp.ok()) {
        // Transport errors may quote the URL: only the kind of failure is kept.
        error = "cannot reach the webhook";
      } else if (resp->status < 200 || resp->status >= 300) {
        error = fmt::format("HTTP {}", resp->status);
      }
    }
    if (error.empty()) {
      Status s = outbox.Delivered(d.id, now);
      if (!s.ok()) stats.warnings.push_back(s.message());
      ++stats.sent;
      continue;
    }
    ++stats.failed;
    Status s = outbox.Failed(d, error, now);
    if (!s.ok()) stats.warnings.push_back(s.message());
    stats.warnings.push_back(fmt::format("route {}: {} (attempt {}; kept for a later cycle)",
                                         d.route, error, d.attempts + 1));
  }
  return stats;
}

}  // namespace bulwark::watch
