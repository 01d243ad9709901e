#include "snapshot/snapshot.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "snapshot/schema.h"

namespace bulwark::snapshot {

using nlohmann::json;

namespace {

constexpr long kRowsPerTransaction = 2000;

// JSON text of a value; bytes that are not UTF-8 (an XML response may carry them) become
// U+FFFD instead of an exception that would lose the row.
std::string Dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

void Bind(sqlite3_stmt* stmt, int index, const json& v) {
  if (v.is_null()) {
    sqlite3_bind_null(stmt, index);
  } else if (v.is_boolean()) {
    sqlite3_bind_int(stmt, index, v.get<bool>() ? 1 : 0);
  } else if (v.is_number_integer()) {
    sqlite3_bind_int64(stmt, index, v.get<long long>());
  } else if (v.is_number_float()) {
    sqlite3_bind_double(stmt, index, v.get<double>());
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  } else {
    std::string s = Dump(v);
    sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
}

}  // namespace

std::string NowIso8601() { return FormatIso8601(std::time(nullptr)); }

std::string ColumnText(sqlite3_stmt* stmt, int col) {
  const unsigned char* t = sqlite3_column_text(stmt, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

std::string FormatIso8601(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Snapshot::Snapshot(sqlite3* db, std::string path, std::string final_path, Schema schema)
    : db_(db),
      path_(std::move(path)),
      final_path_(std::move(final_path)),
      schema_(std::move(schema)) {}

Snapshot::~Snapshot() {
  for (auto& [_, stmt] : statements_) sqlite3_finalize(stmt);
  if (db_) sqlite3_close(db_);
}

// One snapshot_tables row per column, the implicit ones first.
Status Snapshot::DescribeTables(const Schema& schema) {
  for (const auto& t : schema) {
    std::vector<ColumnSpec> columns = {
        {"account_id", ColumnType::kText, "the account the row belongs to"},
        {"region", ColumnType::kText, "the region, or global"},
        {"raw", ColumnType::kJson, "the resource as the AWS API returned it"}};
    columns.insert(columns.end(), t.columns.begin(), t.columns.end());
    for (const auto& c : columns) {
      json calls = CallsFilling(t, c.name);
      char* sql =
          sqlite3_mprintf("INSERT INTO snapshot_tables VALUES (%Q, %Q, %Q, %Q, %Q, %d)",
                          t.name.c_str(), c.name.c_str(), SqlType(c.type), c.description.c_str(),
                          calls.dump().c_str(), c.name == t.key ? 1 : 0);
      Status s = Exec(sql);
      sqlite3_free(sql);
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Snapshot>> Snapshot::Create(const std::string& path, const Schema& schema) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(
        fmt::format("cannot write snapshot {}: it is a directory; name a file", path));
  }
  // A partial file of its own (mkstemps names it), so two collects to the same file, in
  // one process or two, never write into one.
  std::string partial = path + ".XXXXXX.partial";
  int fd = ::mkstemps(partial.data(), static_cast<int>(std::strlen(".partial")));
  if (fd < 0) {
    return Status::Io(fmt::format("cannot create snapshot {}: {}", partial, std::strerror(errno)));
  }
  ::close(fd);
  sqlite3* db = nullptr;
  if (sqlite3_open(partial.c_str(), &db) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    if (db) sqlite3_close(db);
    std::filesystem::remove(partial, ec);
    return Status::Io(fmt::format("cannot create snapshot {}: {}", partial, msg));
  }
  std::unique_ptr<Snapshot> snap(new Snapshot(db, partial, path, schema));
  Status s = snap->Exec("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;");
  if (s.ok()) s = snap->Exec(SchemaSql(schema));
  if (s.ok()) s = snap->DescribeTables(schema);
  if (s.ok()) s = snap->Exec("BEGIN");
  if (!s.ok()) {
    snap.reset();  // the file is unnamed work of this call alone: leave none behind
    std::filesystem::remove(partial, ec);
    return s;
  }
  return snap;
}

Result<std::unique_ptr<Snapshot>> Snapshot::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(fmt::format("snapshot {} does not exist", path));
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(fmt::format("{} is a directory, not a bulwark snapshot", path));
  }
  if (std::filesystem::file_size(path, ec) == 0) {
    return Status::InvalidArgument(fmt::format("{} is empty, not a bulwark snapshot", path));
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    if (db) sqlite3_close(db);
    return Status::Io(fmt::format("cannot open snapshot {}: {}", path, msg));
  }
  std::unique_ptr<Snapshot> snap(new Snapshot(db, path, "", {}));
  // Reading the schema fails early on a file that is not a SQLite database.
  Status s = snap->Exec("SELECT count(*) FROM sqlite_master");
  if (!s.ok()) {
    return Status::InvalidArgument(
        fmt::format("{} is not a bulwark snapshot: {}", path, s.message()));
  }
  // A collect writes snapshot_info last, as it finishes: without that row the file is
  // what an interrupted collect left (or another database), and scanning it would report
  // a clean account.
  sqlite3_stmt* stmt = nullptr;
  bool finished = false;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM snapshot_info", -1, &stmt, nullptr) ==
      SQLITE_OK) {
    finished = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0;
  }
  sqlite3_finalize(stmt);
  if (!finished) {
    return Status::InvalidArgument(fmt::format(
        "{} is not a finished bulwark snapshot (no snapshot_info row): a collect that was "
        "interrupted or is still running leaves such a file; collect again",
        path));
  }
  return snap;
}

Status Snapshot::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Io(msg);
  }
  return Status::Ok();
}

sqlite3_stmt* Snapshot::Prepared(const std::string& table) {
  auto it = statements_.find(table);
  if (it != statements_.end()) return it->second;
  const TableSpec* spec = FindTable(schema_, table);
  if (!spec) throw std::logic_error("snapshot has no table " + table);
  std::string cols = "account_id, region";
  std::string marks = "?, ?";
  for (const auto& c : spec->columns) {
    cols += ", " + c.name;
    marks += ", ?";
  }
  cols += ", raw";
  marks += ", ?";
  std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", table, cols, marks);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::logic_error(fmt::format("bad insert for {}: {}", table, sqlite3_errmsg(db_)));
  }
  statements_[table] = stmt;
  return stmt;
}

Status Snapshot::Insert(const std::string& table, const std::string& account_id,
                        const std::string& region, const json& row, const json& raw) {
  const TableSpec* spec = FindTable(schema_, table);
  if (!spec) throw std::logic_error("snapshot has no table " + table);
  for (const auto& [key, _] : row.items()) {
    bool known = false;
    for (const auto& c : spec->columns) known = known || c.name == key;
    if (!known) throw std::logic_error(fmt::format("table {} has no column {}", table, key));
  }
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* stmt = Prepared(table);
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  int i = 1;
  Bind(stmt, i++, account_id);
  Bind(stmt, i++, region);
  for (const auto& c : spec->columns) {
    auto it = row.find(c.name);
    Bind(stmt, i++, it == row.end() ? json() : *it);
  }
  Bind(stmt, i, raw.is_null() ? json() : json(Dump(raw)));
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    return Status::Io(fmt::format("insert into {} failed: {}", table, sqlite3_errmsg(db_)));
  }
  ++rows_;
  return MaybeCommit();
}

Status Snapshot::MaybeCommit() {
  if (++uncommitted_ < kRowsPerTransaction) return Status::Ok();
  uncommitted_ = 0;
  return Exec("COMMIT; BEGIN");
}

void Snapshot::RecordError(const CollectionError& e) {
  std::lock_guard<std::mutex> lock(mu_);
  char* sql = sqlite3_mprintf(
      "INSERT INTO collection_errors VALUES (%Q, %Q, %Q, %Q, %Q, %d, %Q, %Q, %Q)",
      e.account_id.c_str(), e.region.c_str(), e.service.c_str(), e.operation.c_str(),
      e.error_code.c_str(), e.http_status, e.message.c_str(), NowIso8601().c_str(),
      e.resource_id.empty() ? nullptr : e.resource_id.c_str());
  Exec(sql);
  sqlite3_free(sql);
  ++errors_;
  MaybeCommit();
}

long Snapshot::error_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return errors_;
}

long Snapshot::row_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

Status Snapshot::Finish(const SnapshotInfo& info) {
  std::lock_guard<std::mutex> lock(mu_);
  json regions = info.regions;
  char* sql = sqlite3_mprintf(
      "INSERT INTO snapshot_info VALUES (%Q, %Q, %Q, %Q, %Q, %Q, %Q, %ld, %ld, %ld, %ld)",
      info.tool_version.c_str(), info.account_id.c_str(), info.partition.c_str(),
      regions.dump().c_str(), info.endpoint_url.c_str(), info.started_at.c_str(),
      info.finished_at.c_str(), info.api_calls, info.retries, info.throttled, errors_);
  Status s = Exec(sql);
  sqlite3_free(sql);
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok()) return Status::Io(fmt::format("writing snapshot {} failed: {}", path_, s.message()));
  for (auto& [_, stmt] : statements_) sqlite3_finalize(stmt);
  statements_.clear();
  sqlite3_close(db_);
  db_ = nullptr;
  if (!final_path_.empty()) {
    std::error_code ec;
    std::filesystem::rename(path_, final_path_, ec);
    if (ec) {
      return Status::Io(fmt::format("cannot move {} to {}: {}", path_, final_path_, ec.message()));
    }
  }
  return Status::Ok();
}

}  // namespace bulwark::snapshot
