#include "iam/trust_index.h"

#include <algorithm>

#include "iam/match.h"

namespace bulwark::iam {

TrustIndex::TrustIndex(const std::vector<const Principal*>& principals)
    : principals_(principals),
      account_wide_(principals.size(), false),
      named_(principals.size()),
      services_(principals.size()) {
  for (size_t i = 0; i < principals.size(); ++i) index_of_[principals[i]->arn] = i;
  for (size_t i = 0; i < principals.size(); ++i) {
    const Principal& role = *principals[i];
    if (role.type != Principal::Type::kRole || !role.trust) continue;
    for (const Statement& s : role.trust->statements) {
      if (s.effect != Effect::kAllow) continue;
      if (s.not_principal) {
        account_wide_[i] = true;
        continue;
      }
      for (const auto& e : s.principals) {
        if (e.type == "Service") {
          services_[i].push_back(e.value);
        } else if (e.type == "*" || (e.type == "AWS" && e.value == "*")) {
          account_wide_[i] = true;
        } else if (e.type == "AWS") {
          // The same reading of "the account" the evaluator makes.
          if (!role.account.empty() && AccountOfPrincipal(e.value) == role.account) {
            account_wide_[i] = true;
          } else {
            named_[i].push_back(e.value);
            by_arn_[e.value].push_back(i);
          }
        }
      }
    }
    if (account_wide_[i]) account_wide_roles_.push_back(i);
  }
}

std::vector<size_t> TrustIndex::RolesAdmitting(const Principal& p,
                                               bool identity_allows_assume) const {
  std::vector<size_t> out;
  if (identity_allows_assume) out = account_wide_roles_;
  // A trust policy may name the user, or the role a session belongs to.
  if (auto it = by_arn_.find(p.arn); it != by_arn_.end())
    out.insert(out.end(), it->second.begin(), it->second.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<size_t> TrustIndex::Admitted(size_t role,
                                         const std::vector<bool>& identity_allows_assume) const {
  std::vector<size_t> out;
  if (account_wide_[role]) {
    for (size_t i = 0; i < principals_.size(); ++i) {
      if (identity_allows_assume[i]) out.push_back(i);
    }
  }
  for (const auto& arn : named_[role]) {
    if (auto it = index_of_.find(arn); it != index_of_.end()) out.push_back(it->second);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IdentityMayAllow(const Principal& p, const std::string& action) {
  for (const Policy* pol : p.policies) {
    for (const Statement& s : pol->statements) {
      if (s.effect != Effect::kAllow) continue;
      bool any = std::any_of(s.actions.begin(), s.actions.end(),
                             [&](const std::string& x) { return ActionMatches(x, action); });
      if (any != s.not_action) return true;
    }
  }
  return false;
}

}  // namespace bulwark::iam
