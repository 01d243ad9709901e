// A snapshot: one SQLite database holding what was collected from one account. The only
// code that knows table layouts (see schema.h). Writes are thread-safe and batched in
// transactions; the file is written as PATH.<pid>.partial and renamed when Finish()
// succeeds, so an interrupted collection never leaves a half-written file under the final
// name, and Open() refuses any file without the snapshot_info row Finish() writes.
#pragma once

#include <sqlite3.h>

#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "snapshot/schema.h"
#include "util/status.h"

namespace bulwark::snapshot {

struct SnapshotInfo {
  std::string tool_version;
  std::string account_id;
  std::string partition = "aws";
  std::vector<std::string> regions;
  std::string endpoint_url;
  std::string started_at;
  std::string finished_at;
  long api_calls = 0;
  long retries = 0;
  long throttled = 0;
  long errors = 0;  // ignored: Finish() writes the number of errors it recorded
};

struct CollectionError {
  std::string account_id;
  std::string region;
  std::string service;
  std::string operation;
  std::string error_code;
  int http_status = 0;
  std::string message;
  // The one resource the call was about (a bucket, a function), when it was about one:
  // checks then report ERROR for that resource only, not for the whole region.
  std::string resource_id;
};

class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Creates a new snapshot at path with the given tables (collect::SnapshotSchema() for
  // what the collectors fill), replacing an existing file only on Finish().
  static Result<std::unique_ptr<Snapshot>> Create(const std::string& path, const Schema& schema);
  // Opens an existing snapshot read-only (for checks and ad-hoc SQL).
  static Result<std::unique_ptr<Snapshot>> Open(const std::string& path);

  // Inserts one resource row. `row` maps column names to values; bools become 0/1, objects
  // and arrays are stored as JSON text; unknown columns are an error (a programming error
  // in a collector, reported with the table and column).
  Status Insert(const std::string& table, const std::string& account_id, const std::string& region,
                const nlohmann::json& row, const nlohmann::json& raw);
  void RecordError(const CollectionError& error);
  long error_count() const;
  long row_count() const;

  // Writes snapshot_info, commits, and moves the file to its final name.
  Status Finish(const SnapshotInfo& info);

  sqlite3* db() { return db_; }
  // Where rows are written until Finish() moves the file to its name.
  const std::string& partial_path() const { return path_; }

 private:
  Snapshot(sqlite3* db, std::string path, std::string final_path, Schema schema);
  Status Exec(const std::string& sql);
  Status DescribeTables(const Schema& schema);
  Status MaybeCommit();
  sqlite3_stmt* Prepared(const std::string& table);

  sqlite3* db_;
  std::string path_;
  std::string final_path_;
  Schema schema_;  // the tables rows may be inserted into (empty when opened read-only)
  mutable std::mutex mu_;
  std::map<std::string, sqlite3_stmt*> statements_;
  long rows_ = 0;
  long errors_ = 0;
  long uncommitted_ = 0;
};

// Timestamps in snapshot columns: "2026-11-23T05:15:00Z" (UTC).
std::string FormatIso8601(std::time_t t);
std::string NowIso8601();

// A result column as text; "" for NULL.
std::string ColumnText(sqlite3_stmt* stmt, int col);

}  // namespace bulwark::snapshot
