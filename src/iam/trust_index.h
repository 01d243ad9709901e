// Indexes that keep whole-account questions from deciding every pair of principals: which
// roles' trust policies could admit a given principal (by naming it, or by naming the
// account, which leaves the decision to the principal's own policies), which services each
// role trusts, and a cheap screen of whether a principal's identity policies could allow an
// action at all. The evaluator still makes every decision; these only skip pairs it would
// certainly deny.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "iam/account.h"

namespace bulwark::iam {

class TrustIndex {
 public:
  explicit TrustIndex(const std::vector<const Principal*>& principals);

  // Roles (indexes into the principals given) whose trust might admit `p`.
  std::vector<size_t> RolesAdmitting(const Principal& p, bool identity_allows_assume) const;
  // Principals (indexes) a role's trust might admit.
  std::vector<size_t> Admitted(size_t role, const std::vector<bool>& identity_allows_assume) const;
  // Services a role's trust names ("ec2.amazonaws.com").
  const std::vector<std::string>& Services(size_t role) const { return services_[role]; }

 private:
  const std::vector<const Principal*>& principals_;
  std::vector<bool> account_wide_;  // per role: names the account, everyone, or NotPrincipal
  std::vector<size_t> account_wide_roles_;
  std::vector<std::vector<std::string>> named_;  // per role: ARNs named
  std::unordered_map<std::string, std::vector<size_t>> by_arn_;
  std::unordered_map<std::string, size_t> index_of_;
  std::vector<std::vector<std::string>> services_;
};

// Whether some Allow statement of the principal's identity policies covers the action
// (ignoring resources and conditions): when false, no identity policy can allow it.
bool IdentityMayAllow(const Principal& p, const std::string& action);

}  // namespace bulwark::iam
