#include "iam/escalation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "iam/match.h"
#include "iam/trust_index.h"

namespace bulwark::iam {
namespace {

// Actions standing for "everything": one or more per family of power. A principal allowed
// all of them on Resource "*" is treated as an administrator.
const char* const kEverything[] = {"iam:CreateUser",
                                   "iam:PutRolePolicy",
                                   "iam:AttachUserPolicy",
                                   "iam:PassRole",
                                   "sts:AssumeRole",
                                   "ec2:RunInstances",
                                   "s3:DeleteBucket",
                                   "kms:Decrypt",
                                   "lambda:UpdateFunctionCode",
                                   "cloudtrail:StopLogging",
                                   "dynamodb:DeleteTable",
                                   "organizations:LeaveOrganization",
                                   "secretsmanager:GetSecretValue"};

// Services that run code as a role passed to them, and the calls that make them do so.
struct PassRoleMethod {
  const char* service;  // the role must trust it
  std::vector<const char*> actions;
  const char* detail;
};
const PassRoleMethod kPassRole[] = {
    {"ec2.amazonaws.com", {"ec2:RunInstances"}, "launch an instance with the role's profile"},
    {"lambda.amazonaws.com",
     {"lambda:CreateFunction", "lambda:InvokeFunction"},
     "create a function running as the role and invoke it"},
    {"lambda.amazonaws.com",
     {"lambda:CreateFunction", "lambda:CreateEventSourceMapping"},
     "create a function running as the role, triggered by an event source"},
    {"glue.amazonaws.com", {"glue:CreateDevEndpoint"}, "create a Glue dev endpoint with the role"},
    {"cloudformation.amazonaws.com",
     {"cloudformation:CreateStack"},
     "create a CloudFormation stack that runs as the role"},
    {"datapipeline.amazonaws.com",
     {"datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"},
     "create a data pipeline that runs as the role"},
};

class Analyzer {
 public:
  explicit Analyzer(const Account& a) : a_(a) {}

  // Makes `p` the principal of the following decisions: its request keys are built once.
  void SetSource(const Principal& p) {
    source_ = &p;
    base_ = Request();
    base_.principal = p.AsRequester();
    AddPrincipalKeys(base_);
  }

  // The full decision for the current source; callers screen with IdentityMayAllow or the
  // trust index first. `passed_to` sets iam:PassedToService.
  bool Can(const std::string& action, const std::string& resource,
           const char* passed_to = nullptr) {
    base_.action = action;
    base_.resource = resource;
    base_.resource_account = a_.ResourceAccount(resource);
    if (passed_to) base_.context.Set("iam:PassedToService", std::string(passed_to));
    ++decisions;
    bool ok = Evaluate(base_, a_.PoliciesFor(*source_, action, resource)).allowed();
    if (passed_to) base_.context.Set("iam:PassedToService", std::vector<std::string>{});
    return ok;
  }

  // A service assuming the role, judged on the trust policy alone.
  bool Trusts(const Principal& role, const std::string& service) {
    if (!role.trust) return false;
    Request r;
    r.principal.kind = RequestPrincipal::Kind::kService;
    r.principal.arn = service;
    r.action = "sts:AssumeRole";
    r.resource = role.arn;
    PolicySet ps;
    ps.resource.push_back(role.trust);
    ++decisions;
    return Evaluate(r, ps).allowed();
  }

  size_t decisions = 0;

 private:
  const Account& a_;
  const Principal* source_ = nullptr;
  Request base_;
};

}  // namespace

bool AllowedEverything(const Principal& p, size_t* decisions) {
  PolicySet ps;
  ps.identity = p.policies;
  if (p.boundary) ps.boundaries.push_back(p.boundary);
  Request r;
  r.principal = p.AsRequester();
  // assign(), not = "*": GCC 12 at -O3 warns (-Wrestrict, bug 105329) on the latter here.
  r.resource.assign(1, '*');
  AddPrincipalKeys(r);
  for (const char* action : kEverything) {
    r.action = action;
    if (decisions) ++*decisions;
    if (!Evaluate(r, ps).allowed()) return false;
  }
  return true;
}

EscalationGraph EscalationGraph::Build(const Account& account, int threads) {
  EscalationGraph g;
  for (const auto& p : account.principals()) g.principals_.push_back(&p);
  const size_t n = g.principals_.size();
  g.admin_.assign(n, false);
  g.admin_reason_.assign(n, "");
  for (size_t i = 0; i < n; ++i) g.index_.emplace(g.principals_[i]->arn, i);
  std::vector<size_t> roles, users;
  for (size_t i = 0; i < n; ++i)
    (g.principals_[i]->type == Principal::Type::kRole ? roles : users).push_back(i);

  TrustIndex trust(g.principals_);
  std::vector<bool> may_assume(n);
  for (size_t i = 0; i < n; ++i)
    may_assume[i] = IdentityMayAllow(*g.principals_[i], "sts:AssumeRole");
  std::unordered_map<std::string, std::vector<const LambdaFunction*>> functions_of;
  for (const auto& fn : account.functions()) functions_of[fn.role_arn].push_back(&fn);

  std::mutex mu;
  auto work = [&](size_t begin, size_t step) {
    Analyzer an(account);
    std::vector<Edge> edges;
    std::vector<std::pair<size_t, std::string>> admins;
    for (size_t s = begin; s < n; s += step) {
      const Principal& src = *g.principals_[s];
      an.SetSource(src);
      auto may = [&](const char* action) { return IdentityMayAllow(src, action); };
      size_t d = 0;
      bool is_admin = AllowedEverything(src, &d);
      an.decisions += d;
      if (is_admin) {
        // Where an administrator can go matters to no path: it is the destination.
        admins.emplace_back(s, "allowed every action on every resource");
        continue;
      }
      auto edge = [&](size_t to, std::string method, std::vector<std::string> perms,
                      std::string detail) {
        edges.push_back({s, to, std::move(method), std::move(perms), std::move(detail)});
      };
      const size_t admin = n;
      // Grants to itself: a policy on itself, on one of its groups, a new version of a
      // policy attached to it, or joining a group.
      if (src.type == Principal::Type::kUser) {
        for (const char* act : {"iam:AttachUserPolicy", "iam:PutUserPolicy"}) {
          if (may(act) && an.Can(act, src.arn))
            edge(admin, act, {act}, fmt::format("{} on itself", act));
        }
        for (const char* act : {"iam:AttachGroupPolicy", "iam:PutGroupPolicy"}) {
          if (!may(act)) continue;
          for (const auto& group : src.groups) {
            std::string garn = fmt::format("arn:aws:iam::{}:group/{}", src.account, group);
            if (an.Can(act, garn))
              edge(admin, act, {act}, fmt::format("{} on its group {}", act, group));
          }
        }
        std::string any_group = fmt::format("arn:aws:iam::{}:group/*", src.account);
        if (may("iam:AddUserToGroup") && an.Can("iam:AddUserToGroup", any_group)) {
          edge(admin, "iam:AddUserToGroup", {"iam:AddUserToGroup"},
               "add itself to any group, an administrators' group included");
        }
      } else {
        for (const char* act : {"iam:AttachRolePolicy", "iam:PutRolePolicy"}) {
          if (may(act) && an.Can(act, src.arn))
            edge(admin, act, {act}, fmt::format("{} on itself", act));
        }
      }
      const bool may_version = may("iam:CreatePolicyVersion");
      const bool may_default = may("iam:SetDefaultPolicyVersion");
      for (const Policy* pol : src.policies) {
        if (!may_version && !may_default) break;
        if (pol->name.rfind("arn:aws:iam::", 0) != 0 ||
            pol->name.find(":aws:policy/") != std::string::npos)
          continue;  // inline, or AWS-managed (not writable)
        if (may_version && an.Can("iam:CreatePolicyVersion", pol->name)) {
          edge(admin, "iam:CreatePolicyVersion", {"iam:CreatePolicyVersion"},
               fmt::format("write a new default version of {}, attached to it", pol->name));
        } else if (may_default && an.Can("iam:SetDefaultPolicyVersion", pol->name)) {
          edge(admin, "iam:SetDefaultPolicyVersion", {"iam:SetDefaultPolicyVersion"},
               fmt::format("make an older version of {} the default (if one grants more)",
                           pol->name));
        }
      }
      // Becoming another user.
      const bool keys = may("iam:CreateAccessKey"), create_login = may("iam:CreateLoginProfile"),
                 update_login = may("iam:UpdateLoginProfile");
      if (keys || create_login || update_login) {
        for (size_t t : users) {
          if (t == s) continue;
          const Principal& dst = *g.principals_[t];
          if (keys && an.Can("iam:CreateAccessKey", dst.arn))
            edge(t, "iam:CreateAccessKey", {"iam:CreateAccessKey"}, "create an access key for it");
          if (create_login && an.Can("iam:CreateLoginProfile", dst.arn))
            edge(t, "iam:CreateLoginProfile", {"iam:CreateLoginProfile"},
                 "give it a console password");
          else if (update_login && an.Can("iam:UpdateLoginProfile", dst.arn))
            edge(t, "iam:UpdateLoginProfile", {"iam:UpdateLoginProfile"},
                 "reset its console password");
        }
      }
      // Becoming a role: assuming it (only roles whose trust could admit it are asked).
      std::vector<bool> assumed(n, false);
      for (size_t t : trust.RolesAdmitting(src, may_assume[s])) {
        if (t == s) continue;
        if (an.Can("sts:AssumeRole", g.principals_[t]->arn)) {
          edge(t, "sts:AssumeRole", {"sts:AssumeRole"}, "assume it");
          assumed[t] = true;
        }
      }
      // Rewriting its trust, passing it to a service, or replacing a function's code.
      const bool rewrite = may("iam:UpdateAssumeRolePolicy");
      std::vector<const PassRoleMethod*> methods;
      if (may("iam:PassRole")) {
        for (const auto& m : kPassRole) {
          bool all = std::all_of(m.actions.begin(), m.actions.end(),
                                 [&](const char* act) { return may(act) && an.Can(act, "*"); });
          if (all) methods.push_back(&m);
        }
      }
      const bool code = may("lambda:UpdateFunctionCode") && !functions_of.empty();
      if (!rewrite && methods.empty() && !code) continue;
      for (size_t t : roles) {
        if (t == s || assumed[t]) continue;
        const Principal& dst = *g.principals_[t];
        if (rewrite && an.Can("iam:UpdateAssumeRolePolicy", dst.arn)) {
          edge(t, "iam:UpdateAssumeRolePolicy", {"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"},
               "rewrite its trust policy to trust itself, then assume it");
          continue;
        }
        bool passed = false;
        for (const PassRoleMethod* m : methods) {
          const auto& services = trust.Services(t);
          if (std::find(services.begin(), services.end(), m->service) == services.end()) continue;
          if (!an.Trusts(dst, m->service) || !an.Can("iam:PassRole", dst.arn, m->service)) continue;
          std::vector<std::string> perms{"iam:PassRole"};
          perms.insert(perms.end(), m->actions.begin(), m->actions.end());
          edge(t, "iam:PassRole", perms, m->detail);
          passed = true;
          break;
        }
        if (passed || !code) continue;
        auto fns = functions_of.find(dst.arn);
        if (fns == functions_of.end()) continue;
        for (const LambdaFunction* fn : fns->second) {
          if (an.Can("lambda:UpdateFunctionCode", fn->arn)) {
            edge(t, "lambda:UpdateFunctionCode", {"lambda:UpdateFunctionCode"},
                 fmt::format("replace the code of {}, which runs as it", fn->arn));
            break;
          }
        }
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    g.edges_.insert(g.edges_.end(), edges.begin(), edges.end());
    for (auto& [i, why] : admins) {
      g.admin_[i] = true;
      g.admin_reason_[i] = why;
    }
    g.decisions_ += an.decisions;
  };
  int t =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k)
    pool.emplace_back(work, static_cast<size_t>(k), static_cast<size_t>(t));
  work(0, static_cast<size_t>(t));
  for (auto& th : pool) th.join();
  std::sort(g.edges_.begin(), g.edges_.end(), [](const Edge& a, const Edge& b) {
    return std::tie(a.from, a.to, a.method) < std::tie(b.from, b.to, b.method);
  });
  g.out_.assign(n + 1, {});
  for (size_t i = 0; i < g.edges_.size(); ++i) g.out_[g.edges_[i].from].push_back(i);
  return g;
}

std::vector<const Edge*> EscalationGraph::PathToAdmin(size_t from) const {
  const size_t n = principals_.size();
  if (admin_[from]) return {};
  std::vector<long> via(n + 1, -1);  // edge used to reach the node
  std::vector<bool> seen(n + 1, false);
  std::deque<size_t> queue{from};
  seen[from] = true;
  while (!queue.empty()) {
    size_t u = queue.front();
    queue.pop_front();
    bool goal = u == n || (u != from && admin_[u]);
    if (goal) {
      std::vector<const Edge*> path;
      for (size_t v = u; v != from;) {
        const Edge& e = edges_[static_cast<size_t>(via[v])];
        path.push_back(&e);
        v = e.from;
      }
      std::reverse(path.begin(), path.end());
      return path;
    }
    for (size_t ei : out_[u]) {
      size_t v = edges_[ei].to;
      if (seen[v]) continue;
      seen[v] = true;
      via[v] = static_cast<long>(ei);
      queue.push_back(v);
    }
  }
  return {};
}

bool EscalationGraph::AdministratorOrSelfGrant(size_t i, std::string* why) const {
  if (admin_[i]) {
    *why = admin_reason_[i];
    return true;
  }
  std::vector<const Edge*> path = PathToAdmin(i);
  if (path.size() != 1 || path[0]->to != admin_node()) return false;
  *why = "can grant itself anything: " + path[0]->detail;
  return true;
}

long EscalationGraph::IndexOf(const std::string& arn) const {
  auto it = index_.find(arn);
  return it == index_.end() ? -1 : static_cast<long>(it->second);
}

std::string EscalationGraph::Name(size_t node) const {
  return node == admin_node() ? "administrator" : principals_[node]->Label();
}

std::string EscalationGraph::Dot() const {
  std::string out = "digraph escalation {\n  rankdir=LR;\n  node [shape=box];\n";
  out += "  \"administrator\" [shape=doubleoctagon, color=red];\n";
  for (size_t i = 0; i < principals_.size(); ++i) {
    if (admin_[i]) {
      out +=
          fmt::format("  \"{0}\" [color=red];\n  \"{0}\" -> \"administrator\" [label=\"{1}\"];\n",
                      Name(i), admin_reason_[i]);
    }
  }
  for (const Edge& e : edges_) {
    out += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"];\n", Name(e.from), Name(e.to),
                       fmt::join(e.permissions, " + "));
  }
  out += "}\n";
  return out;
}

}  // namespace bulwark::iam
