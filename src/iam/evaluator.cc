#include "iam/evaluator.h"

#include <fmt/format.h>

#include <algorithm>

#include "iam/condition.h"
#include "iam/match.h"
#include "util/strings.h"

namespace bulwark::iam {
namespace {

using Kind = RequestPrincipal::Kind;

PrincipalMatch MatchOne(const PrincipalEntry& e, const RequestPrincipal& p) {
  if (e.type == "*" || (e.type == "AWS" && e.value == "*")) return PrincipalMatch::kEveryone;
  if (e.type == "AWS") {
    if (p.kind == Kind::kService || p.kind == Kind::kAnonymous) return PrincipalMatch::kNone;
    if (e.value == p.arn) return PrincipalMatch::kDirect;
    if (p.kind == Kind::kRoleSession && e.value == p.role_arn) return PrincipalMatch::kRole;
    std::string_view account = AccountOfPrincipal(e.value);
    if (!account.empty() && account == p.account) {
      return p.kind == Kind::kRoot ? PrincipalMatch::kDirect : PrincipalMatch::kAccount;
    }
    return PrincipalMatch::kNone;
  }
  if (e.type == "Service") {
    return p.kind == Kind::kService && ToLower(e.value) == ToLower(p.arn) ? PrincipalMatch::kDirect
                                                                          : PrincipalMatch::kNone;
  }
  if (e.type == "Federated") {
    return p.kind == Kind::kFederatedUser && e.value == p.arn ? PrincipalMatch::kDirect
                                                              : PrincipalMatch::kNone;
  }
  return PrincipalMatch::kNone;  // CanonicalUser: S3 ACL grantees are not modelled
}

// A request carries several identities: the user or role session (or its role) and its
// account. NotPrincipal leaves the requester out only when every one of them is listed,
// which is why AWS's documentation has NotPrincipal name the account beside the user.
bool NotPrincipalExempts(const std::vector<PrincipalEntry>& entries, const RequestPrincipal& p) {
  bool specific = false, account = false;
  for (const auto& e : entries) {
    switch (MatchOne(e, p)) {
      case PrincipalMatch::kEveryone:
        return true;
      case PrincipalMatch::kDirect:
      case PrincipalMatch::kRole:
        specific = true;
        break;
      case PrincipalMatch::kAccount:
        account = true;
        break;
      case PrincipalMatch::kNone:
        break;
    }
  }
  if (p.kind == Kind::kRoot || p.kind == Kind::kService || p.kind == Kind::kAnonymous ||
      p.account.empty()) {
    return specific;
  }
  return specific && account;
}

struct Hit {
  StatementRef ref;
  PrincipalMatch match = PrincipalMatch::kNone;
};

class Evaluation {
 public:
  explicit Evaluation(const Request& r) : r_(r) {
    size_t colon = r.action.find(':');
    service_.assign(r.action, 0, colon == std::string::npos ? 0 : colon);
    for (char& c : service_) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }

  // Every statement of `policies` that applies to the request, split by effect.
  void Scan(PolicyKind kind, const std::vector<const Policy*>& policies, std::vector<Hit>& allows,
            std::vector<Hit>& denies) {
    for (const Policy* pol : policies) {
      for (const Statement& st : pol->statements) {
        PrincipalMatch m = PrincipalMatch::kNone;
        if (!Applies(st, *pol, kind, m)) continue;
        Hit h{{kind, pol, &st}, m};
        (st.effect == Effect::kDeny ? denies : allows).push_back(h);
      }
    }
  }

  std::vector<std::string> warnings;

 private:
  bool Applies(const Statement& s, const Policy& pol, PolicyKind kind, PrincipalMatch& match) {
    // A statement whose actions all name other services cannot match (Action), or always
    // does (NotAction): no pattern needs matching.
    bool other_service = !s.action_services.empty() &&
                         std::find(s.action_services.begin(), s.action_services.end(), service_) ==
                             s.action_services.end();
    bool action = !other_service &&
                  std::any_of(s.actions.begin(), s.actions.end(),
                              [&](const std::string& p) { return ActionMatches(p, r_.action); });
    if (action == s.not_action) return false;
    if (s.has_resource) {
      bool resource = std::any_of(s.resources.begin(), s.resources.end(), [&](const auto& p) {
        return ResourceMatches(p, pol.VariablesEnabled());
      });
      if (resource == s.not_resource) return false;
    }
    if (kind == PolicyKind::kResource) {
      if (!s.has_principal) return false;
      if (s.not_principal) {
        if (NotPrincipalExempts(s.principals, r_.principal)) return false;
        match = PrincipalMatch::kEveryone;
      } else {
        for (const auto& e : s.principals) match = std::max(match, MatchOne(e, r_.principal));
        if (match == PrincipalMatch::kNone) return false;
      }
    }
    for (const auto& c : s.conditions) {
      bool unknown = false;
      bool holds = ConditionHolds(c, r_.context, pol.VariablesEnabled(), &unknown);
      if (unknown) {
        warnings.push_back(
            fmt::format("{}, {}: unknown condition operator {}", pol.name, s.Label(), c.op));
      }
      if (!holds) return false;
    }
    return true;
  }

  bool ResourceMatches(const std::string& pattern, bool variables) const {
    if (pattern == "*") return true;
    if (!variables || pattern.find("${") == std::string::npos)
      return ArnMatches(pattern, r_.resource);
    auto p = SubstituteVariablesAsPattern(pattern, r_.context);
    return p && ArnMatches(*p, r_.resource);
  }

  const Request& r_;
  std::string service_;  // the action's service prefix, lower-case
};

std::vector<StatementRef> Refs(const std::vector<Hit>& a, const std::vector<Hit>& b = {}) {
  std::vector<StatementRef> out;
  for (const auto& h : a) out.push_back(h.ref);
  for (const auto& h : b) out.push_back(h.ref);
  return out;
}

}  // namespace

const char* PolicyKindName(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity:
      return "identity policy";
    case PolicyKind::kBoundary:
      return "permissions boundary";
    case PolicyKind::kSession:
      return "session policy";
    case PolicyKind::kScp:
      return "service control policy";
    case PolicyKind::kResource:
      return "resource policy";
  }
  return "policy";
}

std::string StatementRef::Describe() const {
  return fmt::format("{} {}, {} ({})", PolicyKindName(kind), policy->name, statement->Label(),
                     statement->effect == Effect::kAllow ? "Allow" : "Deny");
}

const char* Decision::KindName() const {
  switch (kind) {
    case Kind::kAllow:
      return "ALLOW";
    case Kind::kExplicitDeny:
      return "DENY (explicit)";
    case Kind::kImplicitDeny:
      return "DENY (implicit)";
  }
  return "";
}

PrincipalMatch MatchPrincipals(const std::vector<PrincipalEntry>& entries,
                               const RequestPrincipal& p) {
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const auto& e : entries) best = std::max(best, MatchOne(e, p));
  return best;
}

Decision Evaluate(const Request& r, const PolicySet& ps) {
  Evaluation ev(r);
  std::vector<Hit> denies, identity, boundary, session, resource;
  ev.Scan(PolicyKind::kIdentity, ps.identity, identity, denies);
  ev.Scan(PolicyKind::kBoundary, ps.boundaries, boundary, denies);
  ev.Scan(PolicyKind::kSession, ps.session, session, denies);
  ev.Scan(PolicyKind::kResource, ps.resource, resource, denies);
  std::vector<std::vector<Hit>> scp(ps.scp_levels.size());
  for (size_t i = 0; i < ps.scp_levels.size(); ++i)
    ev.Scan(PolicyKind::kScp, ps.scp_levels[i], scp[i], denies);

  Decision d;
  d.warnings = std::move(ev.warnings);
  auto deny = [&](std::string reason, std::vector<StatementRef> refs = {}) {
    d.kind = Decision::Kind::kImplicitDeny;
    d.reason = std::move(reason);
    d.statements = std::move(refs);
    return d;
  };
  auto allow = [&](std::string reason, std::vector<StatementRef> refs) {
    d.kind = Decision::Kind::kAllow;
    d.reason = std::move(reason);
    d.statements = std::move(refs);
    return d;
  };

  // 1. An explicit deny in any policy ends evaluation.
  if (!denies.empty()) {
    d.kind = Decision::Kind::kExplicitDeny;
    d.reason = "explicitly denied";
    d.statements = Refs(denies);
    return d;
  }
  // 2. Organizations SCPs: every level must have an Allow. They do not limit service
  //    principals, which are not principals of the account.
  const Kind kind = r.principal.kind;
  if (kind != Kind::kService && kind != Kind::kAnonymous) {
    for (size_t i = 0; i < scp.size(); ++i) {
      if (scp[i].empty()) {
        return deny(
            fmt::format("no service control policy at organization level {} of {} allows it", i + 1,
                        scp.size()));
      }
    }
  }
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const auto& h : resource) best = std::max(best, h.match);
  const bool boundary_ok = ps.boundaries.empty() || !boundary.empty();
  const bool session_ok = ps.session.empty() || !session.empty();
  auto limits = [&]() -> std::string {
    if (!boundary_ok) return "the permissions boundary does not allow it";
    if (!session_ok) return "the session policy does not allow it";
    return "";
  };

  // Services and anonymous callers have only the resource policy.
  if (kind == Kind::kService || kind == Kind::kAnonymous) {
    if (best == PrincipalMatch::kDirect || best == PrincipalMatch::kEveryone)
      return allow("allowed by the resource policy", Refs(resource));
    return deny("no resource policy allows this principal");
  }

  if (r.CrossAccount()) {
    // 3. Across accounts the principal's account and the resource's account must both allow.
    bool own = kind == Kind::kRoot || (!identity.empty() && boundary_ok && session_ok);
    if (!own) {
      if (identity.empty() && kind != Kind::kRoot)
        return deny("cross-account: no identity policy of the principal allows it");
      return deny("cross-account: " + limits(), Refs(identity));
    }
    if (best == PrincipalMatch::kNone) {
      return deny(fmt::format("cross-account: no resource policy in account {} allows it",
                              r.resource_account),
                  Refs(identity));
    }
    return allow("allowed across accounts by the principal's policies and the resource policy",
                 Refs(identity, resource));
  }

  // 4. Same account. A trust or key policy that names neither the principal nor its account
  //    stops the request whatever identity policies say.
  if (ps.resource_policy_required && best == PrincipalMatch::kNone)
    return deny("the resource's policy (a role trust or key policy) does not allow this principal",
                Refs(identity));
  // The root user may do anything no deny or SCP stops.
  if (kind == Kind::kRoot) return allow("the account's root user has full access", {});
  // A resource policy naming the user or role session itself allows on its own, whatever
  // identity policies, the boundary or session policies say.
  if (best == PrincipalMatch::kDirect)
    return allow("allowed by a resource policy that names the principal", Refs(resource));
  // Naming the role (or everyone) is limited by the boundary and session policies.
  if ((best == PrincipalMatch::kRole || best == PrincipalMatch::kEveryone) && boundary_ok &&
      session_ok) {
    return allow("allowed by the resource policy", Refs(resource, boundary));
  }
  // 5. Identity-based policies, within the boundary and session policies.
  if (!identity.empty() && boundary_ok && session_ok)
    return allow("allowed by identity policy", Refs(identity, boundary));
  if (!identity.empty() || best == PrincipalMatch::kRole || best == PrincipalMatch::kEveryone)
    return deny("allowed by a policy, but " + limits(), Refs(identity, resource));
  return deny("no policy allows it");
}

}  // namespace bulwark::iam
