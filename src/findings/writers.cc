#include "findings/writers.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "util/strings.h"

namespace bulwark::findings {

using nlohmann::json;

json ToJson(const Finding& f) {
  json j = {{"check_id", f.check_id},
            {"title", f.title},
            {"status", ToString(f.status)},
            {"severity", ToString(f.severity)},
            {"service", f.service},
            {"account_id", f.account_id},
            {"region", f.region},
            {"resource_id", f.resource_id},
            {"resource_arn", f.resource_arn},
            {"message", f.message},
            {"remediation", f.remediation},
            {"compliance", f.compliance}};
  if (f.status == FindingStatus::kMuted) {
    j["mute"] = {{"reason", f.mute_reason}, {"owner", f.mute_owner}};
    if (!f.mute_expires.empty()) j["mute"]["expires"] = f.mute_expires;
  }
  return j;
}

json Summary(const std::vector<Finding>& findings) {
  json by_status = {{"FAIL", 0}, {"PASS", 0}, {"MUTED", 0}, {"ERROR", 0}, {"MANUAL", 0}};
  json by_severity = {
      {"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}, {"informational", 0}};
  json by_service = json::object();
  for (const auto& f : findings) {
    by_status[ToString(f.status)] = by_status[ToString(f.status)].get<int>() + 1;
    if (f.status != FindingStatus::kFail) continue;
    by_severity[ToString(f.severity)] = by_severity[ToString(f.severity)].get<int>() + 1;
    by_service[f.service] = by_service.value(f.service, 0) + 1;
  }
  return {{"total", findings.size()},
          {"by_status", by_status},
          {"failed_by_severity", by_severity},
          {"failed_by_service", by_service}};
}

void WriteJson(std::ostream& out, const std::vector<Finding>& findings, const json& snapshot_info) {
  json arr = json::array();
  for (const auto& f : findings) arr.push_back(ToJson(f));
  out << json{{"findings", arr}, {"summary", Summary(findings)}, {"snapshot", snapshot_info}}.dump(
             2)
      << "\n";
}

namespace {

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "\033[1;31m";
    case Severity::kHigh:
      return "\033[31m";
    case Severity::kMedium:
      return "\033[33m";
    case Severity::kLow:
      return "\033[36m";
    case Severity::kInformational:
      return "\033[37m";
  }
  return "";
}

}  // namespace

void WriteCsv(std::ostream& out, const std::vector<Finding>& findings) {
  out << "check_id,status,severity,service,account_id,region,resource_id,resource_arn,message,"
         "compliance\r\n";
  for (const auto& f : findings) {
    out << CsvField(f.check_id) << ',' << ToString(f.status) << ',' << ToString(f.severity) << ','
        << CsvField(f.service) << ',' << CsvField(f.account_id) << ',' << CsvField(f.region) << ','
        << CsvField(f.resource_id) << ',' << CsvField(f.resource_arn) << ',' << CsvField(f.message)
        << ',' << CsvField(Join(ComplianceIds(f.compliance, ":"), " ")) << "\r\n";
  }
}

void WriteTable(std::ostream& out, const std::vector<Finding>& findings, bool color) {
  json s = Summary(findings);
  const char* reset = color ? "\033[0m" : "";
  out << fmt::format("{} findings: {} FAIL, {} PASS, {} ERROR, {} MUTED, {} MANUAL\n",
                     findings.size(), s["by_status"]["FAIL"].get<int>(),
                     s["by_status"]["PASS"].get<int>(), s["by_status"]["ERROR"].get<int>(),
                     s["by_status"]["MUTED"].get<int>(), s["by_status"]["MANUAL"].get<int>());
  out << "Failed by severity:";
  for (Severity sev : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                       Severity::kInformational}) {
    out << fmt::format("  {}{} {}{}", color ? SeverityColor(sev) : "", ToString(sev),
                       s["failed_by_severity"][ToString(sev)].get<int>(), reset);
  }
  out << "\nFailed by service:";
  for (const auto& [svc, n] : s["failed_by_service"].items())
    out << fmt::format("  {} {}", svc, n.get<int>());
  out << "\n";
  // Failing and unevaluated findings, grouped by check in the order they came.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Finding*>> groups;
  for (const auto& f : findings) {
    if (f.status != FindingStatus::kFail && f.status != FindingStatus::kError) continue;
    if (!groups.count(f.check_id)) order.push_back(f.check_id);
    groups[f.check_id].push_back(&f);
  }
  for (const auto& id : order) {
    const Finding& first = *groups[id].front();
    out << fmt::format("\n{}{:<13}{} {} — {}\n", color ? SeverityColor(first.severity) : "",
                       ToString(first.severity), reset, id, first.title);
    for (const Finding* f : groups[id]) {
      out << fmt::format("  {:<5} {:<10} {}\n", ToString(f->status), f->region, f->message);
    }
  }
  std::vector<std::string> manual;
  for (const auto& f : findings) {
    if (f.status == FindingStatus::kManual &&
        std::find(manual.begin(), manual.end(), f.check_id) == manual.end()) {
      manual.push_back(f.check_id);
    }
  }
  if (!manual.empty()) {
    out << fmt::format("\nTo verify by hand ({}; see bulwark checks show ID):", manual.size());
    for (const auto& id : manual) out << "\n  " << id;
    out << "\n";
  }
}

}  // namespace bulwark::findings
