// Local evaluation of an AWS request against every policy that applies to it, following
// AWS's documented policy evaluation logic: an explicit deny in any policy wins; each level
// of organization SCPs must allow; a same-account resource-based policy can allow on its
// own (naming a user or role session directly, or a role within its permissions boundary
// and session policies); otherwise identity-based policies must allow within the
// permissions boundary and session policies; cross-account requests need both the
// principal's side and the resource policy. Decisions name the statements that made them.
#pragma once

#include <string>
#include <vector>

#include "iam/policy.h"
#include "iam/request.h"

namespace bulwark::iam {

// The policies that apply to one request. Pointers are borrowed.
struct PolicySet {
  std::vector<const Policy*> identity;    // inline, attached managed and group policies
  std::vector<const Policy*> boundaries;  // the permissions boundary, if any
  std::vector<const Policy*> session;     // session policies passed to AssumeRole, if any
  // SCPs per level (organization root, each OU, the account): every level must allow.
  std::vector<std::vector<const Policy*>> scp_levels;
  std::vector<const Policy*> resource;  // the resource-based (or trust) policy, if any
  // Role trust policies and KMS key policies must allow (or delegate to the account) even
  // within the account: identity policies alone never suffice.
  bool resource_policy_required = false;
};

enum class PolicyKind { kIdentity, kBoundary, kSession, kScp, kResource };
const char* PolicyKindName(PolicyKind kind);

struct StatementRef {
  PolicyKind kind = PolicyKind::kIdentity;
  const Policy* policy = nullptr;
  const Statement* statement = nullptr;
  std::string Describe() const;  // "identity policy AdminAccess, statement 1 (Allow)"
};

struct Decision {
  enum class Kind { kAllow, kExplicitDeny, kImplicitDeny };
  Kind kind = Kind::kImplicitDeny;
  std::vector<StatementRef> statements;  // the denying statements, or those that allowed
  std::string reason;                    // one sentence on how the decision was reached
  std::vector<std::string> warnings;     // unknown condition operators met on the way

  bool allowed() const { return kind == Kind::kAllow; }
  const char* KindName() const;  // "ALLOW", "DENY (explicit)", "DENY (implicit)"
};

Decision Evaluate(const Request& request, const PolicySet& policies);

// How a resource policy's Principal element names the requester, weakest first: its
// account (a delegation to the account's own policies), everyone, its role, itself.
enum class PrincipalMatch { kNone, kAccount, kEveryone, kRole, kDirect };
PrincipalMatch MatchPrincipals(const std::vector<PrincipalEntry>& entries,
                               const RequestPrincipal& p);

}  // namespace bulwark::iam
