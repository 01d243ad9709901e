// A posture check as data: metadata plus one SQL query over the snapshot, loaded from a
// YAML file (checks/<service>/<id>.yaml). The query returns one row per evaluated resource
// with the columns region, resource_id, resource_arn, status ('PASS', 'FAIL', or 'MANUAL'
// for what must be verified by hand) and message.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "findings/finding.h"
#include "util/status.h"

namespace bulwark::checks {

struct Check {
  std::string id;
  std::string title;
  findings::Severity severity = findings::Severity::kMedium;
  std::string service;
  std::string rationale;
  std::string remediation;
  std::string remediation_url;
  std::map<std::string, std::vector<std::string>> compliance;  // framework -> control ids
  // API calls the check's tables come from, "service:Operation" ("service:*" for any):
  // a collection error on one of them makes the check ERROR in that region.
  std::vector<std::string> requires_calls;
  std::string query;
  std::string file;
};

struct LoadProblem {
  std::string file;
  std::string message;
};

struct CheckSet {
  std::vector<Check> checks;
  std::vector<LoadProblem> problems;  // files that did not load; the others did
};

// Parses one check file's text; `file` names it in errors.
Result<Check> ParseCheck(const std::string& yaml_text, const std::string& file);
// Loads every *.yaml under dir (recursively, except *.test.yaml fixtures), sorted by id.
// Duplicate ids are problems too.
CheckSet LoadChecks(const std::string& dir);

}  // namespace bulwark::checks
