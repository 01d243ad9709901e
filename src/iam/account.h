// An account's IAM configuration as the evaluator needs it: users (with their groups'
// policies), roles (with trust policies), managed policies, permissions boundaries, and
// the resource-based policies of buckets, keys, topics, queues, functions and repositories.
// Read from a snapshot (bulwark collect) or from `aws iam get-account-authorization-details`
// output. Policies that do not parse are reported by name and left out; the rest load.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "iam/evaluator.h"
#include "iam/policy.h"
#include "util/status.h"

struct sqlite3;

namespace bulwark::iam {

struct Principal {
  enum class Type { kUser, kRole };
  Type type = Type::kUser;
  std::string name;
  std::string arn;
  std::string account;
  std::vector<std::string> groups;
  std::vector<const Policy*> policies;  // inline, attached managed, and through groups
  const Policy* boundary = nullptr;
  const Policy* trust = nullptr;  // roles
  std::map<std::string, std::string> tags;

  // The request principal this user or role acts as (a role acts through a session).
  RequestPrincipal AsRequester() const;
  // "user/NAME" or "role/NAME".
  std::string Label() const;
};

struct LambdaFunction {
  std::string arn;
  std::string role_arn;  // execution role
};

struct ResourcePolicy {
  std::string type;  // "s3 bucket", "kms key", "sns topic", "sqs queue", "lambda function", ...
  std::string arn;
  std::string account;
  const Policy* policy = nullptr;
};

class Account {
 public:
  static Result<Account> FromSnapshot(const std::string& path);
  // The same from an open snapshot connection (SQL functions use the scan's connection).
  static Account FromDatabase(sqlite3* db);
  static Result<Account> FromAuthorizationDetails(const std::string& path);

  const std::string& id() const { return id_; }
  const std::string& organization_id() const { return org_id_; }  // "" outside organizations
  void set_organization_id(std::string id) { org_id_ = std::move(id); }
  const std::vector<Principal>& principals() const { return principals_; }
  const std::vector<ResourcePolicy>& resource_policies() const { return resources_; }
  const std::vector<LambdaFunction>& functions() const { return functions_; }
  const std::vector<std::string>& problems() const { return problems_; }
  size_t policy_count() const { return storage_.size(); }

  // A user or role by ARN, name ("alice"), or "user/alice" / "role/admin".
  const Principal* Find(const std::string& name_or_arn) const;
  // The resource policy that governs an ARN: the bucket's for an S3 object ARN.
  const ResourcePolicy* ResourcePolicyFor(const std::string& resource_arn) const;
  // Every policy that applies when `p` does `action` on `resource_arn`. A role's trust policy
  // applies to the sts:AssumeRole family only.
  PolicySet PoliciesFor(const Principal& p, const std::string& action,
                        const std::string& resource_arn) const;
  // The request `p` makes for `action` on `resource`, with the keys AWS adds for `p`.
  Request RequestFor(const Principal& p, const std::string& action,
                     const std::string& resource) const;
  // That request decided against every policy that applies.
  Decision Decide(const Principal& p, const std::string& action, const std::string& resource) const;
  // The resource's owner: its ARN's account, the owner of a known resource policy, else ""
  // (the requester's own account: "*", S3 ARNs of unknown buckets).
  std::string ResourceAccount(const std::string& resource_arn) const;

  // Building blocks for loaders and tests.
  const Policy* AddPolicy(Result<Policy> parsed);
  Principal& AddPrincipal(Principal p);
  void AddResourcePolicy(ResourcePolicy r);
  void AddFunction(LambdaFunction f) { functions_.push_back(std::move(f)); }
  void set_id(std::string id) { id_ = std::move(id); }
  void AddProblem(std::string p) { problems_.push_back(std::move(p)); }

 private:
  std::string id_;
  std::string org_id_;
  std::deque<Policy> storage_;  // stable addresses
  std::vector<Principal> principals_;
  std::vector<ResourcePolicy> resources_;
  std::unordered_map<std::string, size_t> principal_by_arn_, resource_by_arn_;  // indexes
  std::vector<LambdaFunction> functions_;
  std::vector<std::string> problems_;
};

}  // namespace bulwark::iam
