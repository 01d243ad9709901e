// Fuzz target (see fuzz_main.cc): the IAM policy parser and evaluator. The input is a policy
// document; when it parses, it is evaluated as identity, resource and SCP policy for a few
// requests, once with a fixed context and once with each condition's own values fed back as
// the request's values (so dates, addresses, numbers and ARNs from the input are parsed on
// both sides).
#include <cstddef>
#include <cstdint>
#include <string>

#include "iam/evaluator.h"

int FuzzPolicy(const uint8_t* data, size_t size) {
  using namespace bulwark::iam;
  auto policy =
      ParsePolicyText(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!policy.ok()) return 0;
  Request base;
  base.principal.kind = RequestPrincipal::Kind::kRoleSession;
  base.principal.account = "111122223333";
  base.principal.arn = "arn:aws:sts::111122223333:assumed-role/r/s";
  base.principal.role_arn = "arn:aws:iam::111122223333:role/r";
  base.context.Set("aws:SourceIp", "203.0.113.7");
  base.context.Set("aws:CurrentTime", "2026-11-23T12:00:00Z");
  base.context.Set("aws:TagKeys", std::vector<std::string>{"team", "env"});
  base.context.Set("aws:username", "alice");
  AddPrincipalKeys(base);
  const char* actions[] = {"s3:GetObject", "iam:PassRole", "sts:AssumeRole", "*"};
  const char* resources[] = {"*", "arn:aws:s3:::bucket/key", "arn:aws:iam::111122223333:role/x"};
  auto run = [&](const Request& r) {
    PolicySet identity, resource, scp;
    identity.identity.push_back(&*policy);
    resource.resource.push_back(&*policy);
    resource.resource_policy_required = true;
    scp.identity.push_back(&*policy);
    scp.scp_levels.push_back({&*policy});
    for (const PolicySet* ps : {&identity, &resource, &scp}) (void)Evaluate(r, *ps);
  };
  for (const char* a : actions) {
    for (const char* res : resources) {
      Request r = base;
      r.action = a;
      r.resource = res;
      run(r);
      for (const auto& st : policy->statements) {
        for (const auto& c : st.conditions) r.context.Set(c.key, c.values);
      }
      run(r);
    }
  }
  return 0;
}
