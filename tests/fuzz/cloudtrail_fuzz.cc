// Fuzz target (see fuzz_main.cc): the CloudTrail reader (format detection, JSON lines, Records
// files, lookup-events output, gzip) with a rule that looks at nested fields.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hunt/engine.h"

namespace {
const bulwark::hunt::RuleSet& Rules() {
  static bulwark::hunt::RuleSet* set = [] {
    auto* s = new bulwark::hunt::RuleSet;
    bulwark::hunt::LoadRuleText(
        "title: t\nlogsource: {product: aws, service: cloudtrail}\n"
        "detection: {s: {userIdentity.type: Root, requestParameters.items.group|contains: al},"
        " k: [secret], condition: s or k}\n",
        "fuzz.yml", *s);
    bulwark::hunt::ResolveCorrelations(*s);
    return s;
  }();
  return *set;
}
}  // namespace

int FuzzCloudTrail(const uint8_t* data, size_t size) {
  bulwark::hunt::HuntOptions options;
  bulwark::hunt::HuntBuffer(Rules(), "fuzz", std::string(reinterpret_cast<const char*>(data), size),
                            options);
  return 0;
}
