// Runs checks over an open snapshot and turns their rows into findings. What a check rests
// on is derived, not listed: the columns its SQL (and the functions it calls) read, mapped
// through the snapshot's snapshot_tables to the API calls that fill them. A failed call
// makes ERROR, never PASS or FAIL, the findings of the region it failed in, or, for a call
// about one resource, the findings that rest on that resource's row.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include "checks/check.h"
#include "findings/finding.h"

namespace bulwark::checks {

struct ScanResult {
  std::vector<findings::Finding> findings;
  std::vector<std::string> problems;  // checks whose SQL failed, with the reason
  // Input that could not be read (a policy document that is not JSON), naming the resource.
  std::vector<std::string> warnings;
};

// `trusted_accounts` are what the trusted_account() SQL function accepts (the mutelist's).
// The calls ("service:Operation") the check rests on in this snapshot, sorted.
std::vector<std::string> DependsOn(sqlite3* db, const Check& check);
// The same for the tables and calls this build's collectors declare (no snapshot needed).
std::vector<std::string> DeclaredDependsOn(const Check& check);

ScanResult RunChecks(sqlite3* db, const std::vector<Check>& checks,
                     const std::vector<std::string>& trusted_accounts = {});

}  // namespace bulwark::checks
