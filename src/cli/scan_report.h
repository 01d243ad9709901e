// What `scan` and `watch` share: the checks found and loaded, and one scan's report built
// from a snapshot (checks run, mutes applied, warnings printed as `bulwark COMMAND: ...`).
#pragma once

#include <string>
#include <vector>

#include "checks/check.h"
#include "checks/runner.h"
#include "findings/mutelist.h"
#include "findings/report.h"
#include "util/status.h"

namespace bulwark::cli {

// --checks-dir's default: BULWARK_CHECKS_DIR, the installed checks, or the source tree's.
std::string DefaultChecksDir();
// Loads the checks, reporting files that did not load (the others still run).
checks::CheckSet LoadReporting(const std::string& dir);
// Runs `selected` over the snapshot at `path`; `result` keeps the problems (for the exit
// code). Fails only when the snapshot cannot be opened.
Result<findings::Report> BuildReport(const std::vector<checks::Check>& selected,
                                     const std::string& path, const findings::Mutelist* mutes,
                                     const std::string& mutelist_file, const std::string& command,
                                     checks::ScanResult* result);

}  // namespace bulwark::cli
