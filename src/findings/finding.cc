#include "findings/finding.h"

#include "util/strings.h"

namespace bulwark::findings {

const char* ToString(FindingStatus s) {
  switch (s) {
    case FindingStatus::kFail:
      return "FAIL";
    case FindingStatus::kPass:
      return "PASS";
    case FindingStatus::kMuted:
      return "MUTED";
    case FindingStatus::kError:
      return "ERROR";
    case FindingStatus::kManual:
      return "MANUAL";
  }
  return "ERROR";
}

const char* ToString(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "critical";
    case Severity::kHigh:
      return "high";
    case Severity::kMedium:
      return "medium";
    case Severity::kLow:
      return "low";
    case Severity::kInformational:
      return "informational";
  }
  return "informational";
}

bool ParseSeverity(const std::string& text, Severity* out) {
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                     Severity::kInformational}) {
    if (ToLower(text) == ToString(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

bool ParseStatus(const std::string& text, FindingStatus* out) {
  for (FindingStatus s : {FindingStatus::kFail, FindingStatus::kPass, FindingStatus::kMuted,
                          FindingStatus::kError, FindingStatus::kManual}) {
    if (text == ToString(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

std::vector<std::string> ComplianceIds(const std::map<std::string, std::vector<std::string>>& c,
                                       const std::string& between) {
  std::vector<std::string> out;
  for (const auto& [framework, ids] : c) {
    for (const auto& id : ids) out.push_back(framework + between + id);
  }
  return out;
}

}  // namespace bulwark::findings
