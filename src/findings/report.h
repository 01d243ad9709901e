// One scan's report as every writer sees it: the findings, what each check is (for the
// formats that describe their rules: SARIF, ASFF, OCSF, HTML), and the snapshot's facts.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "findings/finding.h"

namespace bulwark::findings {

struct CheckInfo {
  std::string id;
  std::string title;
  Severity severity = Severity::kMedium;
  std::string service;
  std::string rationale;
  std::string remediation;
  std::string remediation_url;
  std::map<std::string, std::vector<std::string>> compliance;
};

struct Report {
  std::vector<Finding> findings;
  std::map<std::string, CheckInfo> checks;  // by id
  // snapshot_info as JSON: account_id, partition, regions, started_at, finished_at, ...
  nlohmann::json snapshot = nlohmann::json::object();
  std::string tool_version;
};

}  // namespace bulwark::findings
