// Runs checks over an open snapshot and turns their rows into findings. A check whose
// required API calls failed during collection yields ERROR for that region, never PASS.
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
};

// `trusted_accounts` are what the trusted_account() SQL function accepts (the mutelist's).
ScanResult RunChecks(sqlite3* db, const std::vector<Check>& checks,
                     const std::vector<std::string>& trusted_accounts = {});

}  // namespace bulwark::checks
