// Finding writers: a terminal summary, JSON ({"findings", "summary", "snapshot"}) and CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "findings/finding.h"

namespace bulwark::findings {

nlohmann::json ToJson(const Finding& f);
// Counts by status, by severity of FAIL findings, and by service.
nlohmann::json Summary(const std::vector<Finding>& findings);

void WriteJson(std::ostream& out, const std::vector<Finding>& findings,
               const nlohmann::json& snapshot_info);
void WriteCsv(std::ostream& out, const std::vector<Finding>& findings);
// Counts by severity and service, then the failing findings grouped by check.
void WriteTable(std::ostream& out, const std::vector<Finding>& findings, bool color);

}  // namespace bulwark::findings
