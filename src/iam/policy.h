// IAM policy documents (identity, resource, trust, boundary, session and service control
// policies) parsed into statements the evaluator matches requests against. Single values
// and lists are both accepted wherever the policy grammar allows a list.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace bulwark::iam {

enum class Effect { kAllow, kDeny };

// One entry of a Principal or NotPrincipal element: {"AWS": "arn:..."} gives type "AWS";
// the bare string "*" gives type "*".
struct PrincipalEntry {
  std::string type;  // "*", "AWS", "Service", "Federated", "CanonicalUser"
  std::string value;
};

// One operator/key pair of a Condition block, with its modifiers split off.
struct ConditionClause {
  std::string op;       // as written: "ForAnyValue:StringLikeIfExists"
  std::string base_op;  // "StringLike"
  enum class Set { kNone, kForAllValues, kForAnyValue } set = Set::kNone;
  bool if_exists = false;
  std::string key;  // as written; condition keys compare case-insensitively
  std::vector<std::string> values;
};

struct Statement {
  std::string sid;
  size_t index = 0;  // position in the policy, for reasons ("statement 2")
  Effect effect = Effect::kAllow;
  bool not_action = false;  // the patterns are NotAction
  std::vector<std::string> actions;
  bool has_resource = false;  // neither Resource nor NotResource: trust policies
  bool not_resource = false;
  std::vector<std::string> resources;
  bool has_principal = false;
  bool not_principal = false;
  std::vector<PrincipalEntry> principals;
  std::vector<ConditionClause> conditions;
  // The lower-case service prefixes of `actions` ("s3", "iam"); empty when a pattern's
  // prefix has a wildcard. Lets the evaluator skip statements about other services.
  std::vector<std::string> action_services;

  // "Sid" or "statement N" (1-based), for messages.
  std::string Label() const;
};

struct Policy {
  std::string name;     // where it comes from: a managed policy ARN, "user/alice (inline X)", ...
  std::string version;  // "2012-10-17" turns policy variables on
  std::vector<Statement> statements;

  bool VariablesEnabled() const { return version == "2012-10-17"; }
};

// Parses a policy document. Errors name the statement and element at fault.
Result<Policy> ParsePolicy(const nlohmann::json& doc, const std::string& name);
Result<Policy> ParsePolicyText(std::string_view text, const std::string& name);

}  // namespace bulwark::iam
