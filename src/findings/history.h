// Scan history: each scan's findings kept in a SQLite file, and the difference between two
// scans (new, resolved and still-open failures, with the date each was first seen failing).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "findings/report.h"
#include "util/status.h"

namespace bulwark::findings {

struct ScanRecord {
  int64_t id = 0;
  std::string scanned_at;  // when the scan ran (UTC, ISO 8601)
  std::string account_id;
  std::string snapshot_finished_at;
  int total = 0, fail = 0, pass = 0, muted = 0, error = 0, manual = 0;
};

// A failure; a muted one still counts (muting is not fixing) and says so in `status`.
struct DiffEntry {
  std::string check_id, account_id, region, resource_id, severity, message;
  std::string first_seen;  // the first scan in history where it failed
  std::string status;      // FAIL or MUTED, in the later scan (the earlier for resolved)
};

struct Diff {
  ScanRecord from, to;
  std::vector<DiffEntry> added, resolved, still_open;
};

class History {
 public:
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Opens (creating when asked) the history file; the parent directory is created too.
  static Result<std::unique_ptr<History>> Open(const std::string& path, bool create);
  // ~/.local/share/bulwark/history.db (XDG_DATA_HOME when set).
  static std::string DefaultPath();

  Result<int64_t> Record(const Report& report, const std::string& scanned_at);
  Result<std::vector<ScanRecord>> Scans() const;
  // Between two scans by id; 0 and 0 mean the last two.
  Result<Diff> Compare(int64_t from, int64_t to) const;
  // The database, for what keeps its state beside the scans (the watch outbox).
  sqlite3* db() const { return db_; }

 private:
  explicit History(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace bulwark::findings
