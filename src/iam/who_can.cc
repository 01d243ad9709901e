#include "iam/who_can.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "iam/match.h"
#include "iam/trust_index.h"
#include "util/strings.h"

namespace bulwark::iam {
namespace {

std::string Describe(const Decision& d) {
  std::vector<std::string> parts;
  for (const auto& s : d.statements) parts.push_back(s.Describe());
  return parts.empty() ? d.reason : fmt::format("{}", fmt::join(parts, "; "));
}

// Condition keys whose positive use limits who or where a grant reaches.
bool Narrowing(const ConditionClause& c) {
  static const char* const kKeys[] = {
      "aws:principalorgid", "aws:principalorgpaths", "aws:sourceaccount", "aws:sourceowner",
      "aws:sourcearn",      "aws:sourcevpc",         "aws:sourcevpce",    "aws:principalaccount",
      "aws:principalarn",   "aws:sourceip",          "aws:sourceorgid",   "aws:userid",
      "sts:externalid",     "aws:calledvia"};
  std::string key = ToLower(c.key);
  bool known =
      std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return key == k; }) ||
      EndsWith(key, ":sub");  // an OIDC subject; the audience alone admits anyone
  if (!known || c.if_exists || c.base_op.find("Not") != std::string::npos) return false;
  // A wildcard-only value or the whole internet narrows nothing.
  return std::none_of(c.values.begin(), c.values.end(), [](const std::string& v) {
    return v == "*" || v == "0.0.0.0/0" || v == "::/0";
  });
}

}  // namespace

std::vector<ExternalGrant> ExternalGrants(const Policy& policy, const std::string& account_id,
                                          const std::string& organization_id) {
  std::vector<ExternalGrant> out;
  for (const Statement& s : policy.statements) {
    if (s.effect != Effect::kAllow || !s.has_principal) continue;
    std::vector<std::string> conds;
    bool narrowed = false, in_org = false;
    for (const auto& c : s.conditions) {
      conds.push_back(fmt::format("{} {} {}", c.key, c.op, fmt::join(c.values, ",")));
      narrowed = narrowed || Narrowing(c);
      if (!organization_id.empty() && ToLower(c.key) == "aws:principalorgid" &&
          std::find(c.values.begin(), c.values.end(), organization_id) != c.values.end())
        in_org = true;
    }
    if (in_org) continue;  // limited to the account's own organization
    std::vector<std::string> grantees;
    if (s.not_principal) {
      grantees.push_back("everyone (NotPrincipal)");
    } else {
      for (const auto& e : s.principals) {
        if (e.type == "*" || (e.type == "AWS" && e.value == "*")) {
          grantees.push_back("everyone");
        } else if (e.type == "AWS") {
          std::string acct = e.value.size() == 12 ? e.value : AccountOfArn(e.value);
          if (acct != account_id) grantees.push_back("account " + acct + " (" + e.value + ")");
        } else if (e.type == "Federated") {
          grantees.push_back("federated " + e.value);
        }
      }
    }
    for (auto& g : grantees) {
      ExternalGrant eg;
      eg.grantee = std::move(g);
      eg.statement = s.Label();
      eg.actions = s.actions;
      if (s.not_action) {
        for (auto& a : eg.actions) a = "NOT " + a;
      }
      eg.conditions = fmt::format("{}", fmt::join(conds, "; "));
      eg.narrowed = narrowed;
      out.push_back(std::move(eg));
    }
  }
  return out;
}

WhoCanResult WhoCan(const Account& account, const std::string& action,
                    const std::string& resource) {
  WhoCanResult result;
  const auto& principals = account.principals();
  const std::string resource_account = account.ResourceAccount(resource);
  auto decide = [&](const Principal& p, const std::string& act, const std::string& res) {
    ++result.decisions;
    return account.Decide(p, act, res);
  };
  std::set<std::string> listed;
  std::deque<std::pair<const Principal*, std::string>> roles;  // roles that can, with the chain
  for (const auto& p : principals) {
    Decision d = decide(p, action, resource);
    if (!d.allowed()) continue;
    result.entries.push_back({p.Label(), false, Describe(d)});
    listed.insert(p.Label());
    if (p.type == Principal::Type::kRole) roles.emplace_back(&p, p.Label());
  }
  if (const ResourcePolicy* rp = account.ResourcePolicyFor(resource)) {
    for (const auto& g : ExternalGrants(*rp->policy, resource_account, account.organization_id())) {
      bool covers = std::any_of(g.actions.begin(), g.actions.end(), [&](const std::string& a) {
        return StartsWith(a, "NOT ") ? !ActionMatches(a.substr(4), action)
                                     : ActionMatches(a, action);
      });
      if (!covers) continue;
      result.entries.push_back({g.grantee, true,
                                fmt::format("{} of {}{}", g.statement, rp->arn,
                                            g.conditions.empty() ? "" : " when " + g.conditions)});
    }
  }
  // Whoever can become a role that can: assuming it, breadth first, each role once. Only the
  // principals the role's trust could admit are asked.
  std::vector<const Principal*> all;
  std::unordered_map<const Principal*, size_t> index;
  for (const auto& p : principals) {
    index[&p] = all.size();
    all.push_back(&p);
  }
  std::optional<TrustIndex> trust;
  std::vector<bool> may_assume;
  std::set<const Principal*> expanded;
  while (!roles.empty()) {
    auto [role, chain] = roles.front();
    roles.pop_front();
    if (!expanded.insert(role).second) continue;
    if (!trust) {
      trust.emplace(all);
      for (const Principal* p : all) may_assume.push_back(IdentityMayAllow(*p, "sts:AssumeRole"));
    }
    for (size_t qi : trust->Admitted(index[role], may_assume)) {
      const Principal& q = *all[qi];
      if (&q == role || listed.count(q.Label())) continue;
      Decision d = decide(q, "sts:AssumeRole", role->arn);
      if (!d.allowed()) continue;
      std::string via = fmt::format("assume {}", chain);
      result.entries.push_back({q.Label(), false, via});
      listed.insert(q.Label());
      if (q.type == Principal::Type::kRole)
        roles.emplace_back(&q, fmt::format("{} -> {}", q.Label(), chain));
    }
    if (role->trust) {
      for (const auto& g : ExternalGrants(*role->trust, account.id(), account.organization_id())) {
        std::string key = g.grantee + " via " + role->name;
        if (!listed.insert(key).second) continue;
        result.entries.push_back(
            {g.grantee, true,
             fmt::format("assume {} (trust policy {}{})", chain, g.statement,
                         g.conditions.empty() ? "" : " when " + g.conditions)});
      }
      for (const Statement& s : role->trust->statements) {
        if (s.effect != Effect::kAllow) continue;
        for (const auto& e : s.principals) {
          if (e.type != "Service") continue;
          std::string key = "service " + e.value + " via " + role->name;
          if (!listed.insert(key).second) continue;
          result.entries.push_back({"service " + e.value, true, fmt::format("assume {}", chain)});
        }
      }
    }
  }
  return result;
}

}  // namespace bulwark::iam
