// Administrators and privilege-escalation paths. A graph whose nodes are the account's users
// and roles and whose edges say "from can gain to's permissions" by one of the known IAM
// escalation methods (access keys or console passwords for another user, assuming a role,
// rewriting a trust policy, passing a role to a service it trusts, replacing a function's
// code), plus edges to a virtual "administrator" node for principals that are admins or can
// grant themselves anything (attaching or writing policies on themselves or their groups,
// new default policy versions, joining a group). Every edge is decided by the evaluator.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "iam/account.h"

namespace bulwark::iam {

struct Edge {
  size_t from = 0;
  size_t to = 0;                         // a principal index, or EscalationGraph::admin_node()
  std::string method;                    // "iam:CreateAccessKey", "sts:AssumeRole", ...
  std::vector<std::string> permissions;  // the permissions the step uses
  std::string detail;                    // one sentence
};

class EscalationGraph {
 public:
  // Builds the graph, spreading principals over `threads` threads (0: every core).
  static EscalationGraph Build(const Account& account, int threads = 0);

  size_t admin_node() const { return principals_.size(); }
  const std::vector<const Principal*>& principals() const { return principals_; }
  const std::vector<Edge>& edges() const { return edges_; }
  bool IsAdmin(size_t i) const { return admin_[i]; }
  // Why an administrator is one: "allowed * on *".
  const std::string& AdminReason(size_t i) const { return admin_reason_[i]; }
  // An administrator, or one self-grant away from being one (then `why` names the grant).
  bool AdministratorOrSelfGrant(size_t i, std::string* why) const;
  // A principal's index by ARN, or -1.
  long IndexOf(const std::string& arn) const;
  // "user/NAME", "role/NAME", or "administrator" for admin_node().
  std::string Name(size_t node) const;

  // The shortest path (edges) from `from` to an administrator; empty when none (or when
  // `from` is one already).
  std::vector<const Edge*> PathToAdmin(size_t from) const;
  // Graphviz of the nodes on some path to an administrator.
  std::string Dot() const;

  size_t decisions() const { return decisions_; }

 private:
  std::vector<const Principal*> principals_;
  std::vector<Edge> edges_;
  std::vector<std::vector<size_t>> out_;  // edge indexes per node
  std::vector<bool> admin_;
  std::vector<std::string> admin_reason_;
  std::unordered_map<std::string, size_t> index_;  // ARN -> principal
  size_t decisions_ = 0;
};

// Whether the principal may do every action on every resource ("*" on "*"), judged on a
// spread of sensitive actions across services, all on Resource "*".
bool AllowedEverything(const Principal& p, size_t* decisions = nullptr);

}  // namespace bulwark::iam
