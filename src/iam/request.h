// What the evaluator decides about: who asks (the principal), to do what (action), to which
// resource, and the request context's condition keys (aws:SourceIp, aws:username, ...).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::iam {

struct RequestPrincipal {
  enum class Kind { kUser, kRoleSession, kRoot, kFederatedUser, kService, kAnonymous };
  Kind kind = Kind::kUser;
  std::string arn;       // user, assumed-role session, root or federated user ARN; service name
  std::string account;   // 12 digits; empty for services and anonymous callers
  std::string role_arn;  // kRoleSession: the role's IAM ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME)
};

// Condition keys are case-insensitive; values keep their case. A key may carry several
// values (aws:TagKeys, aws:PrincipalOrgPaths): the set operators work on those.
class RequestContext {
 public:
  void Set(std::string_view key, std::vector<std::string> values);
  void Set(std::string_view key, std::string value) { Set(key, std::vector{std::move(value)}); }
  // nullptr when the request carries no such key.
  const std::vector<std::string>* Find(std::string_view key) const;
  const std::map<std::string, std::vector<std::string>>& keys() const { return keys_; }

 private:
  std::map<std::string, std::vector<std::string>> keys_;  // lower-cased key
};

struct Request {
  RequestPrincipal principal;
  std::string action;            // "s3:GetObject"
  std::string resource = "*";    // an ARN, or "*"
  std::string resource_account;  // the resource owner; empty: the principal's account
  RequestContext context;

  bool CrossAccount() const {
    return !resource_account.empty() && resource_account != principal.account;
  }
};

// The global keys AWS adds for a principal (aws:username, aws:userid is left to the caller,
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType), unless already set.
void AddPrincipalKeys(Request& request);

}  // namespace bulwark::iam
