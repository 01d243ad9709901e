// Fuzz target (see fuzz_main.cc): the VPC flow log reader (header detection, custom formats, field
// counts) with a CIDR rule and a correlation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hunt/engine.h"

namespace {
const bulwark::hunt::RuleSet& Rules() {
  static bulwark::hunt::RuleSet* set = [] {
    auto* s = new bulwark::hunt::RuleSet;
    bulwark::hunt::LoadRuleText(
        "title: t\nname: b\nlogsource: {product: aws, service: vpcflowlogs}\n"
        "detection: {s: {srcaddr|cidr: 10.0.0.0/8, dstport|gte: 20}, condition: s}\n---\n"
        "title: c\ncorrelation: {type: value_count, rules: [b], group-by: [srcaddr], timespan: 1m,"
        " condition: {gte: 3, field: dstport}}\n",
        "fuzz.yml", *s);
    bulwark::hunt::ResolveCorrelations(*s);
    return s;
  }();
  return *set;
}
}  // namespace

int FuzzFlowLog(const uint8_t* data, size_t size) {
  // Text input only: a leading '{' or '[' would be read as CloudTrail.
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!text.empty() && (text[0] == '{' || text[0] == '[')) text[0] = ' ';
  bulwark::hunt::HuntBuffer(Rules(), "fuzz", text, bulwark::hunt::HuntOptions{});
  return 0;
}
