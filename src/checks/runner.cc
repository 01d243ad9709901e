#include "checks/runner.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "checks/sql_functions.h"
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
    out.push_back({snapshot::ColumnText(stmt, 0), snapshot::ColumnText(stmt, 1),
                   snapshot::ColumnText(stmt, 2), snapshot::ColumnText(stmt, 3),
                   snapshot::ColumnText(stmt, 4)});
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

bool Matches(const std::string& pattern, const CollectionError& e) {
  size_t colon = pattern.find(':');
  std::string service = pattern.substr(0, colon);
  std::string op = pattern.substr(colon + 1);
  return service == e.service && (op == "*" || op == e.operation);
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

// Runs the query; a broken query is an ERROR finding and a problem, not a crash.
std::vector<Finding> QueryFindings(sqlite3* db, const Check& c, const std::string& account,
                                   std::vector<std::string>& problems) {
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
  if (sqlite3_prepare_v2(db, c.query.c_str(), -1, &stmt, nullptr) != SQLITE_OK || !stmt) {
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

// A region whose input failed to collect cannot be judged: its findings become ERROR (a
// FAIL there may rest on missing data, e.g. "no detector"), and a region with a failure but
// no finding gets one ERROR finding of its own. A failure about one resource (one bucket's
// policy, one function's URL) makes only that resource's findings ERROR.
void ApplyCollectionErrors(const Check& c, const std::string& account,
                           const std::vector<CollectionError>& errors, std::vector<Finding>& out) {
  std::map<std::string, const CollectionError*> failed;  // region -> first error
  std::map<std::pair<std::string, std::string>, const CollectionError*> failed_resource;
  for (const auto& e : errors) {
    for (const auto& pattern : c.requires_calls) {
      if (!Matches(pattern, e)) continue;
      if (e.resource_id.empty()) {
        if (!failed.count(e.region)) failed[e.region] = &e;
      } else if (!failed_resource.count({e.region, e.resource_id})) {
        failed_resource[{e.region, e.resource_id}] = &e;
      }
    }
  }
  if (failed.empty() && failed_resource.empty()) return;
  auto why = [](const CollectionError& e) {
    std::string what = e.resource_id.empty() ? "" : " for " + e.resource_id;
    return fmt::format("Not evaluated: {}:{}{} failed in {} ({}) during collection.", e.service,
                       e.operation, what, e.region, e.code);
  };
  std::set<std::string> covered;
  std::set<std::pair<std::string, std::string>> covered_resources;
  for (auto& f : out) {
    const CollectionError* e = nullptr;
    auto it = failed.find(f.region);
    if (it != failed.end()) {
      e = it->second;
      covered.insert(e->region);
    } else if (f.region == "global" && !failed.empty()) {
      e = failed.begin()->second;
      covered.insert(e->region);
    } else {
      auto r = failed_resource.find({f.region, f.resource_id});
      if (r != failed_resource.end()) {
        e = r->second;
        covered_resources.insert(r->first);
      }
    }
    if (!e) continue;
    f.status = FindingStatus::kError;
    f.message = why(*e);
  }
  auto add = [&](const CollectionError& e, const std::string& resource) {
    Finding f = Base(c, account);
    f.status = FindingStatus::kError;
    f.region = e.region;
    f.resource_id = resource;
    f.message = why(e);
    out.push_back(f);
  };
  for (const auto& [region, e] : failed) {
    if (!covered.count(region)) add(*e, region);
  }
  for (const auto& [key, e] : failed_resource) {
    if (!covered_resources.count(key) && !failed.count(key.first)) add(*e, key.second);
  }
}

}  // namespace

ScanResult RunChecks(sqlite3* db, const std::vector<Check>& checks,
                     const std::vector<std::string>& trusted_accounts) {
  ScanResult result;
  std::string error;
  if (!RegisterSqlFunctions(db, &error) || !SetTrustedAccounts(db, trusted_accounts, &error))
    result.problems.push_back(error);
  const std::string account = SnapshotAccount(db);
  const std::vector<CollectionError> errors = LoadCollectionErrors(db);
  for (const auto& c : checks) {
    std::vector<Finding> found = QueryFindings(db, c, account, result.problems);
    ApplyCollectionErrors(c, account, errors, found);
    for (auto& f : found) result.findings.push_back(std::move(f));
  }
  return result;
}

}  // namespace bulwark::checks
