#include "findings/history.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <tuple>

#include "snapshot/snapshot.h"
#include "snapshot/stmt.h"

namespace bulwark::findings {
namespace {

const char* kSchema =
    "CREATE TABLE IF NOT EXISTS scans (id INTEGER PRIMARY KEY, scanned_at TEXT NOT NULL, "
    "account_id TEXT, snapshot_finished_at TEXT, tool_version TEXT, total INTEGER, "
    "fail INTEGER, pass INTEGER, muted INTEGER, error INTEGER, manual INTEGER);"
    "CREATE TABLE IF NOT EXISTS findings (scan_id INTEGER NOT NULL REFERENCES scans(id), "
    "check_id TEXT, account_id TEXT, region TEXT, resource_id TEXT, resource_arn TEXT, "
    "status TEXT, severity TEXT, title TEXT, message TEXT);"
    "CREATE INDEX IF NOT EXISTS findings_scan ON findings(scan_id);";

using snapshot::Stmt;

Status Error(sqlite3* db, const std::string& what) {
  return Status::Io(fmt::format("history: {}: {}", what, sqlite3_errmsg(db)));
}

ScanRecord ReadScan(Stmt& s) {
  ScanRecord r;
  r.id = sqlite3_column_int64(s.get(), 0);
  r.scanned_at = s.Text(1);
  r.account_id = s.Text(2);
  r.snapshot_finished_at = s.Text(3);
  r.total = sqlite3_column_int(s.get(), 4);
  r.fail = sqlite3_column_int(s.get(), 5);
  r.pass = sqlite3_column_int(s.get(), 6);
  r.muted = sqlite3_column_int(s.get(), 7);
  r.error = sqlite3_column_int(s.get(), 8);
  r.manual = sqlite3_column_int(s.get(), 9);
  return r;
}

using Key = std::tuple<std::string, std::string, std::string, std::string>;

}  // namespace

History::~History() { sqlite3_close(db_); }

std::string History::DefaultPath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg
                                   ? std::filesystem::path(xdg)
                                   : std::filesystem::path(home ? home : ".") / ".local/share";
  return (base / "bulwark" / "history.db").string();
}

Result<std::unique_ptr<History>> History::Open(const std::string& path, bool create) {
  if (!create && !std::filesystem::exists(path))
    return Status::NotFound("no scan history at " + path + " (run bulwark scan --history first)");
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (create && !parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Io("cannot open history " + path + ": " + msg);
  }
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = Status::Io(fmt::format("{} is not a bulwark history: {}", path, sqlite3_errmsg(db)));
    sqlite3_close(db);
    return s;
  }
  return std::unique_ptr<History>(new History(db));
}

Result<int64_t> History::Record(const Report& report, const std::string& scanned_at) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& f : report.findings) counts[static_cast<int>(f.status)]++;
  // A savepoint, so a caller's transaction may hold this scan with what goes with it (the
  // watch outbox); a failure undoes the scan's rows either way.
  sqlite3_exec(db_, "SAVEPOINT record_scan", nullptr, nullptr, nullptr);
  struct Undo {
    sqlite3* db;
    bool done = false;
    ~Undo() {
      if (!done)
        sqlite3_exec(db, "ROLLBACK TO record_scan; RELEASE record_scan", nullptr, nullptr, nullptr);
    }
  } undo{db_};
  Stmt scan(db_,
            "INSERT INTO scans (scanned_at, account_id, snapshot_finished_at, tool_version, total, "
            "fail, pass, muted, error, manual) VALUES (?,?,?,?,?,?,?,?,?,?)");
  if (!scan.ok()) return Error(db_, "recording a scan");
  scan.Bind(1, scanned_at);
  scan.Bind(2, report.snapshot.value("account_id", std::string()));
  scan.Bind(3, report.snapshot.value("finished_at", std::string()));
  scan.Bind(4, report.tool_version);
  scan.Bind(5, static_cast<int64_t>(report.findings.size()));
  for (int i = 0; i < 5; ++i) scan.Bind(6 + i, static_cast<int64_t>(counts[i]));
  if (sqlite3_step(scan.get()) != SQLITE_DONE) return Error(db_, "recording a scan");
  int64_t id = sqlite3_last_insert_rowid(db_);
  Stmt row(
      db_,
      "INSERT INTO findings (scan_id, check_id, account_id, region, resource_id, resource_arn, "
      "status, severity, title, message) VALUES (?,?,?,?,?,?,?,?,?,?)");
  for (const auto& f : report.findings) {
    sqlite3_reset(row.get());
    row.Bind(1, id);
    row.Bind(2, f.check_id);
    row.Bind(3, f.account_id);
    row.Bind(4, f.region);
    row.Bind(5, f.resource_id);
    row.Bind(6, f.resource_arn);
    row.Bind(7, std::string(ToString(f.status)));
    row.Bind(8, std::string(ToString(f.severity)));
    row.Bind(9, f.title);
    row.Bind(10, f.message);
    if (sqlite3_step(row.get()) != SQLITE_DONE) return Error(db_, "recording findings");
  }
  if (sqlite3_exec(db_, "RELEASE record_scan", nullptr, nullptr, nullptr) != SQLITE_OK)
    return Error(db_, "committing a scan");
  undo.done = true;
  return id;
}

Result<std::vector<ScanRecord>> History::Scans() const {
  Stmt s(db_,
         "SELECT id, scanned_at, account_id, snapshot_finished_at, total, fail, pass, muted, "
         "error, manual FROM scans ORDER BY id");
  if (!s.ok()) return Error(db_, "listing scans");
  std::vector<ScanRecord> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) out.push_back(ReadScan(s));
  return out;
}

Result<Diff> History::Compare(int64_t from, int64_t to) const {
  auto scans = Scans();
  if (!scans.ok()) return scans.status();
  if (from == 0 && to == 0) {
    if (scans->size() < 2)
      return Status::NotFound(
          fmt::format("the history holds {} scan(s); a diff needs two", scans->size()));
    from = (*scans)[scans->size() - 2].id;
    to = scans->back().id;
  }
  Diff d;
  bool have_from = false, have_to = false;
  for (const auto& s : *scans) {
    if (s.id == from) d.from = s, have_from = true;
    if (s.id == to) d.to = s, have_to = true;
  }
  if (!have_from || !have_to)
    return Status::NotFound(
        fmt::format("no scan {} in the history (see bulwark history)", have_from ? to : from));
  // Failures of each scan, and when each was first seen failing.
  auto failures = [&](int64_t id, std::map<Key, DiffEntry>& out) -> Status {
    Stmt s(db_,
           "SELECT check_id, account_id, region, resource_id, severity, message, status FROM "
           "findings WHERE scan_id = ? AND status IN ('FAIL', 'MUTED')");
    if (!s.ok()) return Error(db_, "reading findings");
    s.Bind(1, id);
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      DiffEntry e{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), "", s.Text(6)};
      out[{e.check_id, e.account_id, e.region, e.resource_id}] = e;
    }
    return Status::Ok();
  };
  std::map<Key, DiffEntry> a, b;
  if (Status st = failures(from, a); !st.ok()) return st;
  if (Status st = failures(to, b); !st.ok()) return st;
  std::map<Key, std::string> first;
  Stmt s(
      db_,
      "SELECT f.check_id, f.account_id, f.region, f.resource_id, min(s.scanned_at) FROM findings "
      "f JOIN scans s ON s.id = f.scan_id WHERE f.status IN ('FAIL', 'MUTED') AND s.id <= ? "
      "GROUP BY 1, 2, 3, 4");
  s.Bind(1, std::max(from, to));
  while (sqlite3_step(s.get()) == SQLITE_ROW)
    first[{s.Text(0), s.Text(1), s.Text(2), s.Text(3)}] = s.Text(4);
  for (auto& [k, e] : b) {
    e.first_seen = first[k];
    (a.count(k) ? d.still_open : d.added).push_back(e);
  }
  for (auto& [k, e] : a) {
    if (b.count(k)) continue;
    e.first_seen = first[k];
    d.resolved.push_back(e);
  }
  return d;
}

}  // namespace bulwark::findings
