// A finding: the verdict of one check on one resource (or on one region when the check
// could not be evaluated there).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bulwark::findings {

// MANUAL: a control that cannot be judged from the API (e.g. contact details); the finding
// tells what to verify by hand.
enum class FindingStatus { kFail, kPass, kMuted, kError, kManual };
enum class Severity { kCritical, kHigh, kMedium, kLow, kInformational };

const char* ToString(FindingStatus s);
const char* ToString(Severity s);
// Parses "critical", "high", ... (case-insensitive); false when unknown.
bool ParseSeverity(const std::string& text, Severity* out);
bool ParseStatus(const std::string& text, FindingStatus* out);

// Each control id of a compliance mapping as "<framework><between><id>" ("cis-3.0 1.4").
std::vector<std::string> ComplianceIds(const std::map<std::string, std::vector<std::string>>& c,
                                       const std::string& between);

struct Finding {
  std::string check_id;
  std::string title;
  FindingStatus status = FindingStatus::kPass;
  Severity severity = Severity::kMedium;
  std::string service;
  std::string account_id;
  std::string region;
  std::string resource_id;
  std::string resource_arn;
  std::string message;
  std::string remediation;
  std::map<std::string, std::vector<std::string>> compliance;
  // MUTED findings: the mutelist entry's reason, owner and expiry ("" when none).
  std::string mute_reason;
  std::string mute_owner;
  std::string mute_expires;
};

}  // namespace bulwark::findings
