#include "findings/interchange.h"

#include <fmt/format.h>

#include <ctime>

#include "util/strings.h"

namespace bulwark::findings {
namespace {

using nlohmann::json;

const CheckInfo& InfoFor(const Report& r, const Finding& f) {
  static const CheckInfo kNone;
  auto it = r.checks.find(f.check_id);
  return it == r.checks.end() ? kNone : it->second;
}

std::string SnapshotTime(const Report& r) {
  std::string t = r.snapshot.value("finished_at", "");
  return t.empty() ? "1970-01-01T00:00:00Z" : t;
}

// "2026-11-23T05:15:00Z" to milliseconds since the epoch.
int64_t EpochMs(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

// A stable identifier for a finding: check, account, region, resource.
std::string FindingId(const Finding& f) {
  return fmt::format("bulwark/{}/{}/{}/{}", f.check_id, f.account_id, f.region, f.resource_id);
}

// SARIF's security-severity (GitHub maps >= 9 critical, >= 7 high, >= 4 medium, else low).
const char* SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "3.0";
    case Severity::kInformational:
      return "0.0";
  }
  return "0.0";
}

const char* SarifLevel(Severity s) {
  return s == Severity::kCritical || s == Severity::kHigh ? "error"
         : s == Severity::kMedium                         ? "warning"
                                                          : "note";
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return s;
}

int OcsfSeverityId(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return 5;
    case Severity::kHigh:
      return 4;
    case Severity::kMedium:
      return 3;
    case Severity::kLow:
      return 2;
    case Severity::kInformational:
      return 1;
  }
  return 0;
}

}  // namespace

void WriteSarif(std::ostream& out, const Report& r) {
  json rules = json::array();
  std::map<std::string, size_t> index;
  for (const auto& [id, c] : r.checks) {
    index[id] = rules.size();
    json tags = json::array({"security", c.service});
    for (const auto& t : ComplianceIds(c.compliance, " ")) tags.push_back(t);
    json rule = {
        {"id", id},
        {"name", id},
        {"shortDescription", {{"text", c.title}}},
        {"fullDescription", {{"text", c.rationale.empty() ? c.title : c.rationale}}},
        {"help", {{"text", c.remediation.empty() ? c.title : c.remediation}}},
        {"defaultConfiguration", {{"level", SarifLevel(c.severity)}}},
        {"properties", {{"security-severity", SecuritySeverity(c.severity)}, {"tags", tags}}}};
    if (!c.remediation_url.empty()) rule["helpUri"] = c.remediation_url;
    rules.push_back(rule);
  }
  json results = json::array();
  for (const auto& f : r.findings) {
    if (f.status != FindingStatus::kFail && f.status != FindingStatus::kMuted) continue;
    std::string uri = !f.resource_arn.empty()
                          ? f.resource_arn
                          : fmt::format("aws://{}/{}/{}", f.account_id, f.region, f.resource_id);
    json res = {
        {"ruleId", f.check_id},
        {"level", SarifLevel(f.severity)},
        {"message", {{"text", f.message}}},
        {"locations",
         {{{"physicalLocation", {{"artifactLocation", {{"uri", uri}}}}},
           {"logicalLocations",
            {{{"name", f.resource_id}, {"fullyQualifiedName", uri}, {"kind", "resource"}}}}}}},
        {"partialFingerprints", {{"bulwarkFinding/v1", FindingId(f)}}},
        {"properties", {{"account_id", f.account_id}, {"region", f.region}}}};
    if (auto it = index.find(f.check_id); it != index.end()) res["ruleIndex"] = it->second;
    if (f.status == FindingStatus::kMuted) {
      res["suppressions"] = {{{"kind", "external"}, {"justification", f.mute_reason}}};
    }
    results.push_back(res);
  }
  json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "bulwark"},
             {"version", r.tool_version},
             {"informationUri", "https://github.com/bulwark-security/bulwark"},
             {"rules", rules}}}}},
         {"invocations", {{{"executionSuccessful", true}, {"endTimeUtc", SnapshotTime(r)}}}},
         {"results", results}}}}};
  out << sarif.dump(2) << "\n";
}

void WriteJunit(std::ostream& out, const Report& r) {
  size_t failures = 0, errors = 0, skipped = 0;
  for (const auto& f : r.findings) {
    failures += f.status == FindingStatus::kFail;
    errors += f.status == FindingStatus::kError;
    skipped += f.status == FindingStatus::kMuted || f.status == FindingStatus::kManual;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<testsuites name=\"bulwark\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
      r.findings.size(), failures, errors, skipped);
  // One suite per check, in the order findings come (grouped by check).
  size_t i = 0;
  while (i < r.findings.size()) {
    size_t j = i;
    size_t f_fail = 0, f_err = 0, f_skip = 0;
    while (j < r.findings.size() && r.findings[j].check_id == r.findings[i].check_id) {
      f_fail += r.findings[j].status == FindingStatus::kFail;
      f_err += r.findings[j].status == FindingStatus::kError;
      f_skip += r.findings[j].status == FindingStatus::kMuted ||
                r.findings[j].status == FindingStatus::kManual;
      ++j;
    }
    out << fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "timestamp=\"{}\">\n",
        EscapeMarkup(r.findings[i].check_id), j - i, f_fail, f_err, f_skip,
        EscapeMarkup(SnapshotTime(r)));
    for (size_t k = i; k < j; ++k) {
      const Finding& f = r.findings[k];
      out << fmt::format("    <testcase classname=\"{}\" name=\"{} {} {}\"",
                         EscapeMarkup(f.check_id), EscapeMarkup(f.account_id),
                         EscapeMarkup(f.region), EscapeMarkup(f.resource_id));
      switch (f.status) {
        case FindingStatus::kPass:
          out << "/>\n";
          continue;
        case FindingStatus::kFail:
          out << fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                             ToString(f.severity), EscapeMarkup(f.message),
                             EscapeMarkup(f.remediation));
          break;
        case FindingStatus::kError:
          out << fmt::format(">\n      <error message=\"{}\"/>\n", EscapeMarkup(f.message));
          break;
        case FindingStatus::kMuted:
          out << fmt::format(">\n      <skipped message=\"muted: {}\"/>\n",
                             EscapeMarkup(f.mute_reason));
          break;
        case FindingStatus::kManual:
          out << fmt::format(">\n      <skipped message=\"manual: {}\"/>\n",
                             EscapeMarkup(f.message));
          break;
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
    i = j;
  }
  out << "</testsuites>\n";
}

void WriteAsff(std::ostream& out, const Report& r) {
  std::string when = SnapshotTime(r);
  std::string partition = r.snapshot.value("partition", "aws");
  if (partition.empty()) partition = "aws";
  json list = json::array();
  for (const auto& f : r.findings) {
    if (f.status == FindingStatus::kManual) continue;  // nothing for Security Hub to track
    const CheckInfo& c = InfoFor(r, f);
    std::string region = f.region == "global" || f.region.empty() ? "us-east-1" : f.region;
    const char* compliance = f.status == FindingStatus::kPass    ? "PASSED"
                             : f.status == FindingStatus::kError ? "NOT_AVAILABLE"
                                                                 : "FAILED";
    json finding = {
        {"SchemaVersion", "2018-10-08"},
        {"Id", FindingId(f)},
        {"ProductArn", fmt::format("arn:{}:securityhub:{}:{}:product/{}/default", partition, region,
                                   f.account_id, f.account_id)},
        {"GeneratorId", "bulwark/" + f.check_id},
        {"AwsAccountId", f.account_id},
        {"Types", {"Software and Configuration Checks/AWS Security Best Practices"}},
        {"CreatedAt", when},
        {"UpdatedAt", when},
        {"Severity", {{"Label", Upper(ToString(f.severity))}}},
        {"Title", f.title},
        {"Description", f.message.substr(0, 1024)},
        {"Resources",
         {{{"Type", "Other"},
           {"Id", f.resource_arn.empty() ? f.resource_id : f.resource_arn},
           {"Partition", partition},
           {"Region", region}}}},
        {"Compliance", {{"Status", compliance}}},
        {"RecordState", "ACTIVE"},
        {"Workflow", {{"Status", f.status == FindingStatus::kMuted ? "SUPPRESSED" : "NEW"}}}};
    auto reqs = ComplianceIds(f.compliance, " ");
    if (!reqs.empty()) finding["Compliance"]["RelatedRequirements"] = reqs;
    if (!f.remediation.empty()) {
      finding["Remediation"]["Recommendation"]["Text"] = f.remediation.substr(0, 512);
      if (!c.remediation_url.empty())
        finding["Remediation"]["Recommendation"]["Url"] = c.remediation_url;
    }
    if (f.status == FindingStatus::kMuted)
      finding["Note"] = {{"Text", f.mute_reason}, {"UpdatedBy", f.mute_owner}, {"UpdatedAt", when}};
    list.push_back(finding);
  }
  out << list.dump(2) << "\n";
}

void WriteOcsf(std::ostream& out, const Report& r) {
  int64_t time = EpochMs(SnapshotTime(r));
  for (const auto& f : r.findings) {
    const CheckInfo& c = InfoFor(r, f);
    int status_id = f.status == FindingStatus::kPass    ? 1
                    : f.status == FindingStatus::kFail  ? 3
                    : f.status == FindingStatus::kMuted ? 3
                                                        : 99;
    json standards = json::array();
    for (const auto& [framework, ids] : f.compliance) standards.push_back(framework);
    json e = {{"class_uid", 2003},
              {"class_name", "Compliance Finding"},
              {"category_uid", 2},
              {"category_name", "Findings"},
              {"activity_id", 1},
              {"activity_name", "Create"},
              {"type_uid", 200301},
              {"time", time},
              {"severity_id", OcsfSeverityId(f.severity)},
              {"severity", ToString(f.severity)},
              {"status_id", f.status == FindingStatus::kMuted ? 3 : 1},
              {"status", f.status == FindingStatus::kMuted ? "Suppressed" : "New"},
              {"message", f.message},
              {"metadata",
               {{"version", "1.1.0"},
                {"product",
                 {{"name", "bulwark"}, {"vendor_name", "bulwark"}, {"version", r.tool_version}}}}},
              {"finding_info",
               {{"uid", FindingId(f)},
                {"title", f.title},
                {"desc", c.rationale},
                {"types", {f.service}}}},
              {"compliance",
               {{"status_id", status_id},
                {"status", f.status == FindingStatus::kPass    ? "Pass"
                           : f.status == FindingStatus::kFail  ? "Fail"
                           : f.status == FindingStatus::kMuted ? "Fail"
                                                               : ToString(f.status)},
                {"control", f.check_id},
                {"standards", standards},
                {"requirements", ComplianceIds(f.compliance, " ")}}},
              {"cloud",
               {{"provider", "AWS"}, {"account", {{"uid", f.account_id}}}, {"region", f.region}}},
              {"resources",
               {{{"uid", f.resource_arn.empty() ? f.resource_id : f.resource_arn},
                 {"name", f.resource_id},
                 {"region", f.region},
                 {"group", {{"name", f.service}}}}}},
              {"remediation", {{"desc", f.remediation}}},
              {"unmapped", {{"bulwark_status", ToString(f.status)}}}};
    if (!c.remediation_url.empty()) e["remediation"]["references"] = {c.remediation_url};
    if (f.status == FindingStatus::kMuted) e["unmapped"]["mute_reason"] = f.mute_reason;
    out << e.dump() << "\n";
  }
}

}  // namespace bulwark::findings
