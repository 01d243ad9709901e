#include "checks/runner.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "checks/iam_functions.h"
#include "checks/sql_functions.h"
#include "collect/service.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::checks {
namespace {

using findings::Finding;
using findings::FindingStatus;

struct CollectionError {
  std::string service;
  std::string operation;
  std::string region;
  std::string code;
  std::string resource_id;  // empty: the failure covers the whole region
  // Set for a document in the snapshot that cannot be read (not a failed call): the one
  // column of `table` that holds it; only checks reading that column rest on it.
  std::string table;
  std::string column;
};

std::vector<CollectionError> LoadCollectionErrors(sqlite3* db) {
  std::vector<CollectionError> out;
  sqlite3_stmt* stmt = nullptr;
  // Snapshots written before errors named their resource have no resource_id column.
  const char* with_resource =
      "SELECT service, operation, region, error_code, resource_id FROM collection_errors";
  const char* without =
      "SELECT service, operation, region, error_code, NULL FROM collection_errors";
  if (sqlite3_prepare_v2(db, with_resource, -1, &stmt, nullptr) != SQLITE_OK &&
      sqlite3_prepare_v2(db, without, -1, &stmt, nullptr) != SQLITE_OK) {
    return out;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    CollectionError e;
    e.service = snapshot::ColumnText(stmt, 0);
    e.operation = snapshot::ColumnText(stmt, 1);
    e.region = snapshot::ColumnText(stmt, 2);
    e.code = snapshot::ColumnText(stmt, 3);
    e.resource_id = snapshot::ColumnText(stmt, 4);
    out.push_back(std::move(e));
  }
  sqlite3_finalize(stmt);
  return out;
}

std::string SnapshotAccount(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  std::string account;
  if (sqlite3_prepare_v2(db, "SELECT account_id FROM snapshot_info LIMIT 1", -1, &stmt, nullptr) ==
      SQLITE_OK) {
    if (sqlite3_step(stmt) == SQLITE_ROW) account = snapshot::ColumnText(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return account;
}

Finding Base(const Check& c, const std::string& account) {
  Finding f;
  f.check_id = c.id;
  f.title = c.title;
  f.severity = c.severity;
  f.service = c.service;
  f.account_id = account;
  f.remediation = c.remediation;
  f.compliance = c.compliance;
  return f;
}

// The snapshot columns a statement reads, (table, column), and the functions it calls, as
// SQLite's authorizer reports them while the statement is prepared: the exact dependencies
// of a check, with no SQL parsing of our own. A column of "" means the rows themselves
// (count(*)).
struct Reads {
  std::set<std::pair<std::string, std::string>> columns;
  std::set<std::string> functions;
};

int RecordRead(void* arg, int action, const char* a, const char* b, const char*, const char*) {
  auto* reads = static_cast<Reads*>(arg);
  if (action == SQLITE_READ && a) reads->columns.insert({a, b ? b : ""});
  if (action == SQLITE_FUNCTION && b) reads->functions.insert(b);
  return SQLITE_OK;
}

// Prepares sql, recording into `reads` (when given) what the statement reads.
int Prepare(sqlite3* db, const std::string& sql, sqlite3_stmt** stmt, Reads* reads) {
  if (reads) sqlite3_set_authorizer(db, RecordRead, reads);
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, stmt, nullptr);
  if (reads) sqlite3_set_authorizer(db, nullptr, nullptr);
  return rc;
}

// Runs the query; a broken query is an ERROR finding and a problem, not a crash. `reads`,
// when given, receives what the query reads.
std::vector<Finding> QueryFindings(sqlite3* db, const Check& c, const std::string& account,
                                   std::vector<std::string>& problems, Reads* reads = nullptr) {
  std::vector<Finding> out;
  sqlite3_stmt* stmt = nullptr;
  auto fail = [&](const std::string& why) {
    problems.push_back(fmt::format("{} ({}): {}", c.id, c.file, why));
    Finding f = Base(c, account);
    f.status = FindingStatus::kError;
    f.region = "global";
    f.message = "The check could not run: " + why;
    out.push_back(f);
  };
  if (Prepare(db, c.query, &stmt, reads) != SQLITE_OK || !stmt) {
    fail(std::string("SQL error: ") + sqlite3_errmsg(db));
    return out;
  }
  std::map<std::string, int> col;
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) col[sqlite3_column_name(stmt, i)] = i;
  for (const char* needed : {"region", "resource_id", "status", "message"}) {
    if (!col.count(needed)) {
      sqlite3_finalize(stmt);
      fail(fmt::format("the query returns no '{}' column", needed));
      return out;
    }
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    Finding f = Base(c, account);
    f.region = snapshot::ColumnText(stmt, col["region"]);
    f.resource_id = snapshot::ColumnText(stmt, col["resource_id"]);
    if (col.count("resource_arn")) f.resource_arn = snapshot::ColumnText(stmt, col["resource_arn"]);
    if (col.count("account_id") && !snapshot::ColumnText(stmt, col["account_id"]).empty()) {
      f.account_id = snapshot::ColumnText(stmt, col["account_id"]);
    }
    f.message = snapshot::ColumnText(stmt, col["message"]);
    std::string status = snapshot::ColumnText(stmt, col["status"]);
    if (status != "PASS" && status != "FAIL" && status != "MANUAL") {
      f.status = FindingStatus::kError;
      f.message =
          fmt::format("The check returned status '{}' (expected PASS, FAIL or MANUAL)", status);
    } else {
      f.status = status == "PASS"   ? FindingStatus::kPass
                 : status == "FAIL" ? FindingStatus::kFail
                                    : FindingStatus::kManual;
    }
    out.push_back(std::move(f));
  }
  if (rc != SQLITE_DONE) fail(std::string("SQL error: ") + sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return out;
}

// Which calls fill which columns, as the snapshot declares it (snapshot_tables.calls).
struct CallMap {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> calls;
  std::map<std::string, std::string> keys;  // table -> the column naming a row
};

// A snapshot written before snapshot_tables held the map is read with the collectors'
// declarations of this build (the tables and columns of that time are among them).
CallMap DeclaredCallMap() {
  CallMap map;
  for (const auto& t : collect::SnapshotSchema()) {
    for (const char* implicit : {"account_id", "region", "raw"}) {
      map.calls[{t.name, implicit}] = snapshot::CallsFilling(t, implicit);
    }
    for (const auto& c : t.columns) map.calls[{t.name, c.name}] = snapshot::CallsFilling(t, c.name);
    if (!t.key.empty()) map.keys[t.name] = t.key;
  }
  return map;
}

CallMap LoadCallMap(sqlite3* db) {
  CallMap map;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT table_name, column_name, calls, is_key FROM snapshot_tables",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return DeclaredCallMap();
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string table = snapshot::ColumnText(stmt, 0);
    std::string column = snapshot::ColumnText(stmt, 1);
    auto calls = nlohmann::json::parse(snapshot::ColumnText(stmt, 2), nullptr, false);
    std::vector<std::string>& out = map.calls[{table, column}];
    if (calls.is_array()) {
      for (const auto& call : calls) {
        if (call.is_string()) out.push_back(call.get<std::string>());
      }
    }
    if (sqlite3_column_int(stmt, 3) == 1) map.keys[table] = column;
  }
  sqlite3_finalize(stmt);
  // No row: a database with the schema but no declarations (see DeclaredDependsOn).
  return map.calls.empty() ? DeclaredCallMap() : map;
}

std::string CallOf(const CollectionError& e) { return e.service + ":" + e.operation; }

// A JSON column holds JSON; a policy column ("policy", "..._policy") a JSON object, and
// "inline_policies" objects whose PolicyDocument is one.
std::string UnreadableCondition(const std::string& column) {
  std::string c = "\"" + column + "\"";
  std::string cond = fmt::format("{0} IS NOT NULL AND (json_valid({0}) = 0", c);
  if (column == "policy" || EndsWith(column, "_policy")) {
    cond += fmt::format(" OR json_type({}) IS NOT 'object'", c);
  } else if (column == "inline_policies") {
    cond += fmt::format(
        " OR EXISTS (SELECT 1 FROM json_each({}) WHERE json_type(value, '$.PolicyDocument') IS "
        "NOT 'object')",
        c);
  }
  return cond + ")";
}

// Documents in the snapshot that cannot be read, each as a failure of the call that filled
// its column for its row: whoever wrote the snapshot, a policy that is not JSON is never
// read as "no policy".
std::vector<CollectionError> UnreadableDocuments(sqlite3* db, const CallMap& map,
                                                 std::vector<std::string>& warnings) {
  std::vector<CollectionError> out;
  for (const auto& t : collect::SnapshotSchema()) {
    auto key = map.keys.find(t.name);
    if (key == map.keys.end()) continue;
    for (const auto& c : t.columns) {
      if (c.type != snapshot::ColumnType::kJson) continue;
      auto calls = map.calls.find({t.name, c.name});
      if (calls == map.calls.end() || calls->second.empty()) continue;
      const std::string& call = calls->second.front();
      std::string sql = fmt::format("SELECT \"{}\", region FROM main.\"{}\" WHERE {} LIMIT 1000",
                                    key->second, t.name, UnreadableCondition(c.name));
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        continue;  // a snapshot of another time without this column
      }
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        CollectionError e;
        e.service = call.substr(0, call.find(':'));
        e.operation = call.substr(call.find(':') + 1);
        e.resource_id = snapshot::ColumnText(stmt, 0);
        e.region = snapshot::ColumnText(stmt, 1);
        e.code = "UnreadableDocument";
        e.table = t.name;
        e.column = c.name;
        warnings.push_back(fmt::format(
            "{} {} ({}): {} is not a readable policy document; the findings that read it are "
            "ERROR",
            t.name, e.resource_id, e.region, c.name));
        out.push_back(std::move(e));
      }
      sqlite3_finalize(stmt);
    }
  }
  return out;
}

// What one check rests on: the calls under the columns its SQL and its functions read.
struct Dependencies {
  std::set<std::string> calls;
  // call -> the tables read by the check that it fills, with the columns it fills there.
  std::map<std::string, std::map<std::string, std::set<std::string>>> filled;
  std::set<std::string> through_functions;  // calls reached only through a function
};

Dependencies Derive(const Check& c, const Reads& reads, const CallMap& map) {
  Dependencies d;
  std::set<std::pair<std::string, std::string>> indirect;
  for (const auto& fn : reads.functions) {
    for (const auto& read : IamFunctionReads(fn)) {
      if (!reads.columns.count(read)) indirect.insert(read);
    }
  }
  auto add = [&](const std::pair<std::string, std::string>& read, bool via_function) {
    // count(*) reads no column: the rows rest on the calls that list them (region's).
    auto key = read.second.empty() ? std::make_pair(read.first, std::string("region")) : read;
    auto it = map.calls.find(key);
    if (it == map.calls.end()) return;
    for (const auto& call : it->second) {
      d.calls.insert(call);
      d.filled[call][read.first].insert(read.second);
      if (via_function) d.through_functions.insert(call);
    }
  };
  for (const auto& read : reads.columns) add(read, false);
  for (const auto& read : indirect) add(read, true);
  for (const auto& call : c.requires_calls) d.calls.insert(call);
  return d;
}

bool Rests(const Dependencies& d, const CollectionError& e) {
  if (d.calls.count(CallOf(e))) return true;
  return d.calls.count(e.service + ":*") > 0;
}

// A per-resource failure whose row is in the snapshot: the row, and the columns the check
// reads that the failed call should have filled.
struct RowFailure {
  const CollectionError* error;
  std::string table;
  std::string key_column;
  std::vector<std::string> columns;
};

bool RowExists(sqlite3* db, const RowFailure& f) {
  std::string sql = fmt::format(
      "SELECT 1 FROM main.\"{}\" WHERE \"{}\" = ?1 AND (region = ?2 OR region = 'global') "
      "LIMIT 1",
      f.table, f.key_column);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return false;
  sqlite3_bind_text(stmt, 1, f.error->resource_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, f.error->region.c_str(), -1, SQLITE_TRANSIENT);
  bool found = sqlite3_step(stmt) == SQLITE_ROW;
  sqlite3_finalize(stmt);
  return found;
}

bool Exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// Each (region, resource) of a run with its statuses and its messages, so runs compare.
struct Said {
  std::string statuses;
  std::string messages;
};
using Outcome = std::map<std::pair<std::string, std::string>, Said>;

Outcome Outcomes(const std::vector<Finding>& found) {
  Outcome out;
  for (const auto& f : found) {
    Said& said = out[{f.region, f.resource_id}];
    said.statuses += std::string(findings::ToString(f.status)) + "\n";
    said.messages += f.message + "\n";
  }
  return out;
}

// The findings that rest on one row the collector could not read whole: those that change
// (status or sentence) when the row is taken away, or whose status changes when the
// boolean columns the failed call fills are flipped (a flip may only add the row to a list
// in the sentence, which leaves the verdict as it was). The check runs over a TEMP table of
// the same name, which shadows the snapshot's.
std::set<std::pair<std::string, std::string>> RestingOn(sqlite3* db, const Check& c,
                                                        const std::string& account,
                                                        const RowFailure& f, const Outcome& base) {
  std::set<std::pair<std::string, std::string>> out;
  char* where =
      sqlite3_mprintf("\"%w\" = %Q AND (region = %Q OR region = 'global')", f.key_column.c_str(),
                      f.error->resource_id.c_str(), f.error->region.c_str());
  std::string row = where;
  sqlite3_free(where);
  std::string flips;
  for (const auto& column : f.columns) {
    if (column.empty()) continue;
    if (!flips.empty()) flips += ", ";
    flips += fmt::format(
        "\"{0}\" = CASE WHEN typeof(\"{0}\") IN ('integer', 'null') "
        "THEN NOT ifnull(\"{0}\", 0) ELSE \"{0}\" END",
        column);
  }
  struct Variant {
    std::string sql;
    bool compare_messages;
  };
  std::vector<Variant> variants = {
      {fmt::format("CREATE TEMP TABLE \"{0}\" AS SELECT * FROM main.\"{0}\" WHERE NOT ({1})",
                   f.table, row),
       true}};
  if (!flips.empty()) {
    variants.push_back({fmt::format("CREATE TEMP TABLE \"{0}\" AS SELECT * FROM main.\"{0}\"; "
                                    "UPDATE temp.\"{0}\" SET {1} WHERE {2}",
                                    f.table, flips, row),
                        false});
  }
  for (const auto& variant : variants) {
    std::vector<std::string> ignored;
    bool made = Exec(db, variant.sql);
    Outcome changed = made ? Outcomes(QueryFindings(db, c, account, ignored)) : Outcome{};
    Exec(db, fmt::format("DROP TABLE IF EXISTS temp.\"{}\"", f.table));
    if (!made) {
      // Nothing to compare with: every finding may rest on the row.
      for (const auto& [key, _] : base) out.insert(key);
      return out;
    }
    for (const auto& [key, said] : base) {
      auto it = changed.find(key);
      if (it == changed.end() || it->second.statuses != said.statuses ||
          (variant.compare_messages && it->second.messages != said.messages)) {
        out.insert(key);
      }
    }
  }
  return out;
}

std::string NotEvaluated(const CollectionError& e) {
  if (!e.column.empty()) {
    return fmt::format(
        "Not evaluated: the {} of {} in the snapshot is not a readable policy "
        "document.",
        e.column, e.resource_id);
  }
  std::string what = e.resource_id.empty() ? "" : " for " + e.resource_id;
  return fmt::format("Not evaluated: {}:{}{} failed in {} ({}) during collection.", e.service,
                     e.operation, what, e.region, e.code);
}

// More failed rows than this for one check are handled as a failure of the region: each
// row costs the check two more runs.
constexpr size_t kMaxRowFailures = 64;

// A region whose input failed to collect cannot be judged: its findings become ERROR (a
// FAIL there may rest on missing data, e.g. "no detector"), and a region with a failure but
// no finding gets one ERROR finding of its own. A failure about one resource (one bucket's
// policy, one trail's status) makes ERROR the findings that rest on that resource's row,
// whatever resource they are about (a trail's finding rests on its bucket's policy); when
// the row itself is missing, the region's findings are ERROR.
void ApplyCollectionErrors(sqlite3* db, const Check& c, const std::string& account,
                           const CallMap& map, const Dependencies& deps,
                           const std::vector<CollectionError>& errors, std::vector<Finding>& out) {
  std::map<std::string, const CollectionError*> failed;  // region -> first error
  std::vector<RowFailure> rows;
  for (const auto& e : errors) {
    if (!Rests(deps, e)) continue;
    std::vector<RowFailure> found;
    auto filled = deps.filled.find(CallOf(e));
    // A call reached through a function (the IAM model is built once per scan) cannot be
    // tried without its row, nor can a call whose row is not in the snapshot.
    bool per_row = !e.resource_id.empty() && filled != deps.filled.end() &&
                   !deps.through_functions.count(CallOf(e));
    if (!e.column.empty()) {
      // An unreadable document matters only to the checks that read its column.
      bool reads = false;
      if (filled != deps.filled.end()) {
        auto t = filled->second.find(e.table);
        reads = t != filled->second.end() && t->second.count(e.column);
      }
      if (!reads) continue;
    }
    if (per_row) {
      for (const auto& [table, columns] : filled->second) {
        if (!e.column.empty() && table != e.table) continue;
        auto key = map.keys.find(table);
        if (key == map.keys.end()) continue;
        RowFailure f{&e, table, key->second, {columns.begin(), columns.end()}};
        if (!e.column.empty()) f.columns = {e.column};
        if (RowExists(db, f)) found.push_back(std::move(f));
      }
      per_row = !found.empty();
    }
    if (per_row) {
      rows.insert(rows.end(), found.begin(), found.end());
    } else if (!failed.count(e.region)) {
      failed[e.region] = &e;
    }
  }
  if (rows.size() > kMaxRowFailures) {
    for (const auto& f : rows) {
      if (!failed.count(f.error->region)) failed[f.error->region] = f.error;
    }
    rows.clear();
  }
  if (failed.empty() && rows.empty()) return;

  // Per row first: the region's failures below override what they say.
  const Outcome base = Outcomes(out);
  for (const auto& f : rows) {
    std::set<std::pair<std::string, std::string>> resting = RestingOn(db, c, account, f, base);
    for (auto& finding : out) {
      bool same_resource = finding.resource_id == f.error->resource_id &&
                           (finding.region == f.error->region || finding.region == "global");
      if (!same_resource && !resting.count({finding.region, finding.resource_id})) continue;
      if (finding.status == FindingStatus::kError) continue;
      finding.status = FindingStatus::kError;
      finding.message = NotEvaluated(*f.error);
    }
  }
  std::set<std::string> covered;
  for (auto& f : out) {
    const CollectionError* e = nullptr;
    auto it = failed.find(f.region);
    if (it != failed.end()) {
      e = it->second;
    } else if (f.region == "global" && !failed.empty()) {
      e = failed.begin()->second;
    }
    if (!e) continue;
    covered.insert(e->region);
    f.status = FindingStatus::kError;
    f.message = NotEvaluated(*e);
  }
  for (const auto& [region, e] : failed) {
    if (covered.count(region)) continue;
    Finding f = Base(c, account);
    f.status = FindingStatus::kError;
    f.region = e->region;
    f.resource_id = e->resource_id.empty() ? region : e->resource_id;
    f.message = NotEvaluated(*e);
    out.push_back(f);
  }
}

}  // namespace

std::vector<std::string> DependsOn(sqlite3* db, const Check& check) {
  std::string error;
  RegisterSqlFunctions(db, &error);
  Reads reads;
  sqlite3_stmt* stmt = nullptr;
  Prepare(db, check.query, &stmt, &reads);
  sqlite3_finalize(stmt);
  Dependencies d = Derive(check, reads, LoadCallMap(db));
  return {d.calls.begin(), d.calls.end()};
}

std::vector<std::string> DeclaredDependsOn(const Check& check) {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return {};
  }
  std::string schema = snapshot::SchemaSql(collect::SnapshotSchema());
  std::vector<std::string> out;
  if (sqlite3_exec(db, schema.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK)
    out = DependsOn(db, check);
  sqlite3_close(db);
  return out;
}

ScanResult RunChecks(sqlite3* db, const std::vector<Check>& checks,
                     const std::vector<std::string>& trusted_accounts) {
  ScanResult result;
  std::string error;
  if (!RegisterSqlFunctions(db, &error) || !SetTrustedAccounts(db, trusted_accounts, &error))
    result.problems.push_back(error);
  const std::string account = SnapshotAccount(db);
  const CallMap map = LoadCallMap(db);
  std::vector<CollectionError> errors = LoadCollectionErrors(db);
  for (auto& e : UnreadableDocuments(db, map, result.warnings)) errors.push_back(std::move(e));
  for (const auto& c : checks) {
    Reads reads;
    std::vector<Finding> found = QueryFindings(db, c, account, result.problems, &reads);
    ApplyCollectionErrors(db, c, account, map, Derive(c, reads, map), errors, found);
    for (auto& f : found) result.findings.push_back(std::move(f));
  }
  return result;
}

}  // namespace bulwark::checks
