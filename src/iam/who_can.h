// Who can perform an action on a resource: every user and role of the account the
// evaluator allows, the principals outside the account that the resource policy names,
// and, for each role that can, whoever can assume that role (inside the account, or the
// external accounts, services and identity providers its trust policy names).
#pragma once

#include <string>
#include <vector>

#include "iam/account.h"

namespace bulwark::iam {

struct WhoCanEntry {
  std::string principal;  // "user/alice", "role/deploy", "account 444455556666", "everyone", ...
  bool external = false;  // outside the account: its own policies must allow as well
  std::string how;        // the deciding statements, or "assume role/x" chains
};

struct WhoCanResult {
  std::vector<WhoCanEntry> entries;
  size_t decisions = 0;  // evaluator calls made
};

WhoCanResult WhoCan(const Account& account, const std::string& action, const std::string& resource);

// The principals a policy's Allow statements name that are not of `account_id`: other
// accounts, everyone, services, identity providers. Conditions are listed beside them.
struct ExternalGrant {
  std::string grantee;    // "everyone", "account 444455556666", "service ec2.amazonaws.com",
                          // "federated arn:aws:iam::...:oidc-provider/..."
  std::string statement;  // label
  std::vector<std::string> actions;
  std::string conditions;  // "" when unconditional; else "aws:PrincipalOrgID StringEquals o-1"
  bool narrowed = false;   // a condition limits it to known accounts, networks or sources
};
std::vector<ExternalGrant> ExternalGrants(const Policy& policy, const std::string& account_id,
                                          const std::string& organization_id);

}  // namespace bulwark::iam
