// Fuzz target (see fuzz_main.cc): the Sigma loader (YAML, modifiers, conditions, correlations),
// then the loaded rules over one fixed event.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hunt/engine.h"

int FuzzSigma(const uint8_t* data, size_t size) {
  bulwark::hunt::RuleSet set;
  bulwark::hunt::LoadRuleText(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yml",
                              set);
  bulwark::hunt::ResolveCorrelations(set);
  static const std::string kEvent =
      R"({"eventName":"StopLogging","eventTime":"2026-11-20T10:00:00Z","errorCode":"AccessDenied",)"
      R"("userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"},"n":5,"l":[1,"a",null]})"
      "\n";
  bulwark::hunt::HuntBuffer(set, "event", kEvent, bulwark::hunt::HuntOptions{});
  return 0;
}
