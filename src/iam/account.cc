#include "iam/account.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "iam/match.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::iam {
namespace {

using nlohmann::json;

// Documents arrive decoded (the CLI, our snapshot) or URL-encoded (the raw API).
json Document(const json& v) {
  if (v.is_string()) {
    std::string text = v.get<std::string>();
    if (!text.empty() && text[0] == '%') text = UriDecode(text);
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded()) parsed = json::parse(UriDecode(text), nullptr, false);
    return parsed;
  }
  return v;
}

std::map<std::string, std::string> TagsOf(const json& tags) {
  std::map<std::string, std::string> out;
  if (tags.is_object()) {
    for (const auto& [k, v] : tags.items())
      out[k] = v.is_string() ? v.get<std::string>() : v.dump();
  } else if (tags.is_array()) {
    for (const auto& t : tags) out[t.value("Key", "")] = t.value("Value", "");
  }
  return out;
}

// Managed policies first (by ARN), then principals referring to them.
struct Builder {
  Account& account;
  std::map<std::string, const Policy*> managed;
  std::map<std::string, std::vector<const Policy*>> group_policies;

  void Managed(const std::string& arn, const json& doc) {
    const Policy* p = account.AddPolicy(ParsePolicy(Document(doc), arn));
    if (p) managed[arn] = p;
  }
  void Attach(const json& arns, std::vector<const Policy*>& out, const std::string& who) {
    if (!arns.is_array()) return;
    for (const auto& a : arns) {
      std::string arn = a.is_object()   ? a.value("PolicyArn", "")
                        : a.is_string() ? a.get<std::string>()
                                        : "";
      auto it = managed.find(arn);
      if (it != managed.end()) {
        out.push_back(it->second);
      } else {
        account.AddProblem(fmt::format("{}: attached policy {} is not in the input", who, arn));
      }
    }
  }
  void Inline(const json& list, const std::string& owner, std::vector<const Policy*>& out) {
    if (!list.is_array()) return;
    for (const auto& p : list) {
      if (!p.is_object()) continue;
      std::string name = fmt::format("{} (inline {})", owner, p.value("PolicyName", "?"));
      const Policy* parsed = account.AddPolicy(ParsePolicy(Document(p["PolicyDocument"]), name));
      if (parsed) out.push_back(parsed);
    }
  }
  // What both inputs say of a user or role, assembled the same way: attached and inline
  // policies, the permissions boundary, tags.
  void Fill(Principal& p, const json& attached, const json& inline_list,
            const std::string& boundary_arn, const json& tags) {
    std::string who = p.Label();
    Attach(attached, p.policies, who);
    Inline(inline_list, who, p.policies);
    p.boundary = Boundary(boundary_arn, who);
    p.tags = TagsOf(tags);
  }
  // A user's groups, and their policies added to the user's.
  void JoinGroups(const json& groups, Principal& p) {
    if (!groups.is_array()) return;
    for (const auto& g : groups) {
      if (!g.is_string()) continue;
      p.groups.push_back(g.get<std::string>());
      const auto& gp = group_policies[g.get<std::string>()];
      p.policies.insert(p.policies.end(), gp.begin(), gp.end());
    }
  }
  const Policy* Boundary(const std::string& arn, const std::string& who) {
    if (arn.empty()) return nullptr;
    auto it = managed.find(arn);
    if (it != managed.end()) return it->second;
    account.AddProblem(fmt::format("{}: permissions boundary {} is not in the input", who, arn));
    // An unknown boundary still limits: nothing is allowed through it.
    static const Policy kNothing{"(unknown boundary)", "2012-10-17", {}};
    return &kNothing;
  }
};

json ColumnJson(sqlite3_stmt* st, int col) {
  const unsigned char* t = sqlite3_column_text(st, col);
  if (!t) return nullptr;
  json j = json::parse(reinterpret_cast<const char*>(t), nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

// Runs `sql` and hands each row to `row`; a missing table (an older snapshot) is no error.
template <typename Row>
void EachRow(sqlite3* db, const std::string& sql, Row row) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return;
  while (sqlite3_step(st) == SQLITE_ROW) row(st);
  sqlite3_finalize(st);
}

}  // namespace

RequestPrincipal Principal::AsRequester() const {
  RequestPrincipal r;
  r.account = account;
  if (type == Type::kUser) {
    r.kind = RequestPrincipal::Kind::kUser;
    r.arn = arn;
  } else {
    r.kind = RequestPrincipal::Kind::kRoleSession;
    r.role_arn = arn;
    r.arn = fmt::format("arn:aws:sts::{}:assumed-role/{}/bulwark", account, name);
  }
  return r;
}

std::string Principal::Label() const { return (type == Type::kUser ? "user/" : "role/") + name; }

Request Account::RequestFor(const Principal& p, const std::string& action,
                            const std::string& resource) const {
  Request r;
  r.principal = p.AsRequester();
  r.action = action;
  r.resource = resource;
  r.resource_account = ResourceAccount(resource);
  AddPrincipalKeys(r);
  return r;
}

Decision Account::Decide(const Principal& p, const std::string& action,
                         const std::string& resource) const {
  return Evaluate(RequestFor(p, action, resource), PoliciesFor(p, action, resource));
}

const Policy* Account::AddPolicy(Result<Policy> parsed) {
  if (!parsed.ok()) {
    problems_.push_back(parsed.status().message());
    return nullptr;
  }
  storage_.push_back(std::move(*parsed));
  return &storage_.back();
}

Principal& Account::AddPrincipal(Principal p) {
  principal_by_arn_.emplace(p.arn, principals_.size());
  principals_.push_back(std::move(p));
  return principals_.back();
}

void Account::AddResourcePolicy(ResourcePolicy r) {
  resource_by_arn_.emplace(r.arn, resources_.size());
  resources_.push_back(std::move(r));
}

const Principal* Account::Find(const std::string& key) const {
  if (auto it = principal_by_arn_.find(key); it != principal_by_arn_.end())
    return &principals_[it->second];
  for (const auto& p : principals_) {
    if (p.arn == key || p.Label() == key) return &p;
  }
  const Principal* by_name = nullptr;
  for (const auto& p : principals_) {
    if (p.name == key) {
      if (by_name) return nullptr;  // a user and a role share the name: ask for user/ or role/
      by_name = &p;
    }
  }
  return by_name;
}

const ResourcePolicy* Account::ResourcePolicyFor(const std::string& arn) const {
  if (auto it = resource_by_arn_.find(arn); it != resource_by_arn_.end())
    return &resources_[it->second];
  if (StartsWith(arn, "arn:aws:s3:::")) {
    auto it = resource_by_arn_.find(arn.substr(0, arn.find('/')));
    if (it != resource_by_arn_.end()) return &resources_[it->second];
  }
  return nullptr;
}

std::string Account::ResourceAccount(const std::string& arn) const {
  std::string a = AccountOfArn(arn);
  if (!a.empty() && a != "aws") return a;
  if (const ResourcePolicy* r = ResourcePolicyFor(arn); r && !r->account.empty()) return r->account;
  return "";  // "*", or an S3 ARN of a bucket not in the input: the requester's own account
}

PolicySet Account::PoliciesFor(const Principal& p, const std::string& action,
                               const std::string& resource_arn) const {
  PolicySet ps;
  ps.identity = p.policies;
  if (p.boundary) ps.boundaries.push_back(p.boundary);
  if (const ResourcePolicy* r = ResourcePolicyFor(resource_arn)) {
    ps.resource.push_back(r->policy);
    ps.resource_policy_required = r->type == "kms key";
  }
  if (action.size() < 4 || ToLower(action.substr(0, 4)) != "sts:") return ps;
  auto it = principal_by_arn_.find(resource_arn);
  if (it != principal_by_arn_.end()) {
    const Principal& role = principals_[it->second];
    if (role.type == Principal::Type::kRole && role.trust) {
      ps.resource.push_back(role.trust);
      ps.resource_policy_required = true;
    }
  }
  return ps;
}

Result<Account> Account::FromSnapshot(const std::string& path) {
  auto snap = snapshot::Snapshot::Open(path);
  if (!snap.ok()) return snap.status();
  return FromDatabase((*snap)->db());
}

Account Account::FromDatabase(sqlite3* db) {
  Account account;
  Builder b{account, {}, {}};
  EachRow(db, "SELECT account_id FROM snapshot_info LIMIT 1",
          [&](sqlite3_stmt* st) { account.set_id(snapshot::ColumnText(st, 0)); });
  EachRow(db, "SELECT arn, policy FROM aws_iam_policy",
          [&](sqlite3_stmt* st) { b.Managed(snapshot::ColumnText(st, 0), ColumnJson(st, 1)); });
  EachRow(db, "SELECT name, arn, attached_policy_arns, inline_policies FROM aws_iam_group",
          [&](sqlite3_stmt* st) {
            std::string name = snapshot::ColumnText(st, 0);
            auto& list = b.group_policies[name];
            b.Attach(ColumnJson(st, 2), list, "group/" + name);
            b.Inline(ColumnJson(st, 3), "group/" + name, list);
          });
  // Users and roles share a row layout; the fourth column is the groups or the trust policy.
  auto principal = [&](sqlite3_stmt* st, Principal::Type type) {
    Principal p;
    p.type = type;
    p.account = snapshot::ColumnText(st, 0);
    p.name = snapshot::ColumnText(st, 1);
    p.arn = snapshot::ColumnText(st, 2);
    b.Fill(p, ColumnJson(st, 4), ColumnJson(st, 5), snapshot::ColumnText(st, 6), ColumnJson(st, 7));
    if (type == Principal::Type::kUser) {
      b.JoinGroups(ColumnJson(st, 3), p);
    } else {
      p.trust = account.AddPolicy(ParsePolicy(ColumnJson(st, 3), p.Label() + " (trust policy)"));
    }
    account.AddPrincipal(std::move(p));
  };
  EachRow(db,
          "SELECT account_id, name, arn, groups, attached_policy_arns, inline_policies, "
          "permissions_boundary_arn, tags FROM aws_iam_user",
          [&](sqlite3_stmt* st) { principal(st, Principal::Type::kUser); });
  EachRow(db,
          "SELECT account_id, name, arn, assume_role_policy, attached_policy_arns, "
          "inline_policies, permissions_boundary_arn, tags FROM aws_iam_role",
          [&](sqlite3_stmt* st) { principal(st, Principal::Type::kRole); });
  struct Source {
    const char* type;
    const char* sql;
  };
  static const Source kSources[] = {
      {"s3 bucket", "SELECT account_id, arn, policy FROM aws_s3_bucket WHERE policy IS NOT NULL"},
      {"kms key", "SELECT account_id, arn, policy FROM aws_kms_key WHERE policy IS NOT NULL"},
      {"sns topic",
       "SELECT account_id, topic_arn, policy FROM aws_sns_topic WHERE policy IS NOT NULL"},
      {"sqs queue", "SELECT account_id, arn, policy FROM aws_sqs_queue WHERE policy IS NOT NULL"},
      {"lambda function",
       "SELECT account_id, arn, policy FROM aws_lambda_function WHERE policy IS NOT NULL"},
      {"ecr repository",
       "SELECT account_id, arn, policy FROM aws_ecr_repository WHERE policy IS NOT NULL"},
  };
  for (const auto& src : kSources) {
    EachRow(db, src.sql, [&](sqlite3_stmt* st) {
      ResourcePolicy r;
      r.type = src.type;
      r.account = snapshot::ColumnText(st, 0);
      r.arn = snapshot::ColumnText(st, 1);
      r.policy =
          account.AddPolicy(ParsePolicy(ColumnJson(st, 2), r.type + std::string(" ") + r.arn));
      if (r.policy) account.AddResourcePolicy(std::move(r));
    });
  }
  EachRow(db, "SELECT id FROM aws_organizations_organization LIMIT 1",
          [&](sqlite3_stmt* st) { account.set_organization_id(snapshot::ColumnText(st, 0)); });
  EachRow(db, "SELECT arn, role FROM aws_lambda_function WHERE role IS NOT NULL",
          [&](sqlite3_stmt* st) {
            account.AddFunction({snapshot::ColumnText(st, 0), snapshot::ColumnText(st, 1)});
          });
  if (account.id().empty() && !account.principals().empty())
    account.set_id(account.principals().front().account);
  return account;
}

Result<Account> Account::FromAuthorizationDetails(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  json doc = json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Status::Parse(path + ": not JSON from `aws iam get-account-authorization-details`");
  if (!doc.contains("UserDetailList") && !doc.contains("RoleDetailList"))
    return Status::Parse(path + ": no UserDetailList or RoleDetailList");
  // Fields of the wrong JSON type stop the load with the file named, not the program.
  try {
    Account account;
    Builder b{account, {}, {}};
    for (const auto& p : doc.value("Policies", json::array())) {
      std::string arn = p.value("Arn", "");
      for (const auto& v : p.value("PolicyVersionList", json::array())) {
        if (v.value("IsDefaultVersion", false)) b.Managed(arn, v["Document"]);
      }
    }
    for (const auto& g : doc.value("GroupDetailList", json::array())) {
      std::string name = g.value("GroupName", "");
      auto& list = b.group_policies[name];
      b.Attach(g.value("AttachedManagedPolicies", json::array()), list, "group/" + name);
      b.Inline(g.value("GroupPolicyList", json::array()), "group/" + name, list);
    }
    auto common = [&](const json& e, Principal& p, const char* inline_key) {
      p.arn = e.value("Arn", "");
      p.account = AccountOfArn(p.arn);
      std::string boundary;
      if (e.contains("PermissionsBoundary"))
        boundary = e["PermissionsBoundary"].value("PermissionsBoundaryArn", "");
      b.Fill(p, e.value("AttachedManagedPolicies", json::array()),
             e.value(inline_key, json::array()), boundary, e.value("Tags", json::array()));
    };
    for (const auto& u : doc.value("UserDetailList", json::array())) {
      Principal p;
      p.type = Principal::Type::kUser;
      p.name = u.value("UserName", "");
      common(u, p, "UserPolicyList");
      b.JoinGroups(u.value("GroupList", json::array()), p);
      account.AddPrincipal(std::move(p));
    }
    for (const auto& r : doc.value("RoleDetailList", json::array())) {
      Principal p;
      p.type = Principal::Type::kRole;
      p.name = r.value("RoleName", "");
      common(r, p, "RolePolicyList");
      p.trust = account.AddPolicy(ParsePolicy(Document(r.value("AssumeRolePolicyDocument", json())),
                                              "role/" + p.name + " (trust policy)"));
      account.AddPrincipal(std::move(p));
    }
    if (!account.principals().empty()) account.set_id(account.principals().front().account);
    return account;
  } catch (const json::exception& e) {
    return Status::Parse(path + ": unexpected shape: " + e.what());
  }
}

}  // namespace bulwark::iam
