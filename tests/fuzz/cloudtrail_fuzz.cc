// Fuzz target (see fuzz_main.cc): the CloudTrail reader (format detection, JSON lines, Records
// files, lookup-events output, gzip) with a rule that looks at nested fields.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "hunt/engine.h"

namespace {
const bulwark::hunt::RuleSet& Rules() {
  static bulwark::hunt::RuleSet* set = [] {
    auto* s = new bulwark::hunt::RuleSet;
    bulwark::hunt::LoadRuleText(
        "title: t\nlogsource: {product: aws, service: cloudtrail}\n"
        "detection: {s: {userIdentity.type: Root, requestParameters.items.group|contains: al},"
        " k: [secret], condition: s or k}\n---\n"
        "title: u\nlogsource: {product: aws, service: cloudtrail}\n"
        "detection: {s: {errorCode|startswith: Access, a.b|exists: true}, n: {c: null},"
        " condition: s and not n}\n",
        "fuzz.yml", *s);
    bulwark::hunt::ResolveCorrelations(*s);
    return s;
  }();
  return *set;
}
}  // namespace

// Read with the record scanner and with the DOM parser alone: on input the DOM parser finds
// nothing wrong with, both must raise the same alerts.
int FuzzCloudTrail(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  bulwark::hunt::HuntOptions options;
  bulwark::hunt::HuntResult scanned = bulwark::hunt::HuntBuffer(Rules(), "fuzz", input, options);
  options.scan_records = false;
  bulwark::hunt::HuntResult parsed = bulwark::hunt::HuntBuffer(Rules(), "fuzz", input, options);
  if (parsed.problems.empty() && (scanned.alerts.size() != parsed.alerts.size() ||
                                  scanned.stats.events != parsed.stats.events)) {
    std::fprintf(stderr, "scanner: %zu alerts, %llu events; DOM: %zu alerts, %llu events\n",
                 scanned.alerts.size(), static_cast<unsigned long long>(scanned.stats.events),
                 parsed.alerts.size(), static_cast<unsigned long long>(parsed.stats.events));
    std::abort();
  }
  return 0;
}
