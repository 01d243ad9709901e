// IAM: account summary, password policy, credential report, authorization details (users,
// groups, roles, managed policies), virtual MFA devices and access keys with last use.
// IAM is global: rows carry region "global", calls are signed for us-east-1.
#include <fmt/format.h>

#include <set>
#include <sstream>

#include "aws/crypto.h"
#include "aws/xml_json.h"
#include "collect/service.h"
#include "snapshot/schema.h"
#include "util/strings.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::IntOr;
using aws::StringOr;
using nlohmann::json;

constexpr const char* kGlobal = "global";
constexpr int kCredentialReportPolls = 30;

// IAM returns policy documents URL-encoded (RFC 3986); some endpoints return them as is.
json DecodePolicyDocument(const json& encoded) {
  if (!encoded.is_string()) return encoded;
  const std::string& text = encoded.get_ref<const std::string&>();
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_discarded()) return doc;
  doc = json::parse(UriDecode(text), nullptr, false);
  return doc.is_discarded() ? json(text) : doc;
}

json PolicyArns(const json& attached) {
  json out = json::array();
  for (const auto& p : attached) out.push_back(StringOr(p, "PolicyArn"));
  return out;
}

// [{PolicyName, PolicyDocument}] with the documents decoded, in place in the raw JSON too.
json InlinePolicies(json& list) {
  json out = json::array();
  if (!list.is_array()) return out;
  for (auto& p : list) {
    p["PolicyDocument"] = DecodePolicyDocument(p["PolicyDocument"]);
    out.push_back(
        {{"PolicyName", StringOr(p, "PolicyName")}, {"PolicyDocument", p["PolicyDocument"]}});
  }
  return out;
}

std::string BoundaryArn(const json& entity) {
  if (!entity.contains("PermissionsBoundary")) return "";
  return StringOr(entity["PermissionsBoundary"], "PermissionsBoundaryArn");
}

bool AccountSummary(CollectContext& ctx, const std::string& region) {
  Result<json> doc = ctx.client.Query("iam", region, "GetAccountSummary");
  if (!doc.ok()) {
    ctx.RecordError("iam", "GetAccountSummary", region, doc.status());
    return false;
  }
  json map = json::object();
  if (doc->contains("SummaryMap") && (*doc)["SummaryMap"].is_object()) {
    for (const auto& [key, _] : (*doc)["SummaryMap"].items())
      map[key] = IntOr((*doc)["SummaryMap"], key);
  }
  auto num = [&](const char* k) { return map.contains(k) ? map[k] : json(); };
  auto flag = [&](const char* k) {
    return map.contains(k) ? json(map[k].get<long long>() > 0) : json();
  };
  json row = {{"account_mfa_enabled", flag("AccountMFAEnabled")},
              {"account_access_keys_present", flag("AccountAccessKeysPresent")},
              {"account_signing_certificates_present", flag("AccountSigningCertificatesPresent")},
              {"users", num("Users")},
              {"groups", num("Groups")},
              {"roles", num("Roles")},
              {"policies", num("Policies")},
              {"mfa_devices", num("MFADevices")},
              {"mfa_devices_in_use", num("MFADevicesInUse")},
              {"summary_map", map}};
  ctx.Put("aws_iam_account_summary", kGlobal, row, *doc);
  return true;
}

bool PasswordPolicy(CollectContext& ctx, const std::string& region) {
  Result<json> doc = ctx.client.Query("iam", region, "GetAccountPasswordPolicy");
  if (!doc.ok()) {
    // NoSuchEntity means the account has no password policy: a fact, not a failure.
    if (doc.status().aws_code() == "NoSuchEntity") return true;
    ctx.RecordError("iam", "GetAccountPasswordPolicy", region, doc.status());
    return false;
  }
  const json& p = (*doc)["PasswordPolicy"];
  json row = {{"minimum_password_length", OptionalInt(p, "MinimumPasswordLength")},
              {"require_symbols", BoolOr(p, "RequireSymbols")},
              {"require_numbers", BoolOr(p, "RequireNumbers")},
              {"require_uppercase_characters", BoolOr(p, "RequireUppercaseCharacters")},
              {"require_lowercase_characters", BoolOr(p, "RequireLowercaseCharacters")},
              {"allow_users_to_change_password", BoolOr(p, "AllowUsersToChangePassword")},
              {"expire_passwords", BoolOr(p, "ExpirePasswords")},
              {"max_password_age", OptionalInt(p, "MaxPasswordAge")},
              {"password_reuse_prevention", OptionalInt(p, "PasswordReusePrevention")},
              {"hard_expiry", BoolOr(p, "HardExpiry")}};
  ctx.Put("aws_iam_account_password_policy", kGlobal, row, p);
  return true;
}

// Credential report CSV cells: N/A, not_supported and no_information mean "no value".
json ReportCell(const std::string& column, const std::string& value) {
  if (value == "N/A" || value == "not_supported" || value == "no_information") {
    return column == "password_enabled" ? json(value) : json();
  }
  if (column == "password_enabled") return value;
  if (value == "true") return true;
  if (value == "false") return false;
  return value;
}

// One RFC 4180 line: IAM names may contain commas, so fields can be quoted.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool CredentialReport(CollectContext& ctx, const std::string& region) {
  for (int poll = 0; poll < kCredentialReportPolls; ++poll) {
    Result<json> gen = ctx.client.Query("iam", region, "GenerateCredentialReport");
    if (!gen.ok()) {
      ctx.RecordError("iam", "GenerateCredentialReport", region, gen.status());
      return false;
    }
    if (StringOr(*gen, "State") == "COMPLETE") break;
    if (poll + 1 == kCredentialReportPolls) {
      ctx.RecordError("iam", "GenerateCredentialReport", region,
                      Status::Aws("ReportNotReady",
                                  "credential report still not complete after "
                                  "30 polls",
                                  0));
      return false;
    }
    ctx.sleep(1.0);
  }
  Result<json> doc = ctx.client.Query("iam", region, "GetCredentialReport");
  if (!doc.ok()) {
    ctx.RecordError("iam", "GetCredentialReport", region, doc.status());
    return false;
  }
  std::optional<std::string> csv = aws::Base64Decode(StringOr(*doc, "Content"));
  if (!csv) {
    ctx.RecordError("iam", "GetCredentialReport", region,
                    Status::Parse("iam:GetCredentialReport: Content is not valid base64"));
    return false;
  }
  std::istringstream in(*csv);
  std::string line;
  std::vector<std::string> header;
  std::set<std::string> known_columns;
  for (const auto& c :
       snapshot::FindTable(SnapshotSchema(), "aws_iam_credential_report")->columns) {
    known_columns.insert(c.name);
  }
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells = CsvFields(line);
    if (header.empty()) {
      header = cells;
      continue;
    }
    json row = json::object();
    json raw = json::object();
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) {
      raw[header[i]] = cells[i];
      std::string col = header[i] == "user"  ? "user_name"
                        : header[i] == "arn" ? "user_arn"
                                             : header[i];
      if (known_columns.count(col)) row[col] = ReportCell(col, cells[i]);
    }
    ctx.Put("aws_iam_credential_report", kGlobal, row, raw);
  }
  return true;
}

void PutUser(CollectContext& ctx, json& u) {
  json inline_policies = InlinePolicies(u["UserPolicyList"]);
  json row = {{"name", StringOr(u, "UserName")},
              {"user_id", StringOr(u, "UserId")},
              {"arn", StringOr(u, "Arn")},
              {"path", StringOr(u, "Path")},
              {"create_date", StringOr(u, "CreateDate")},
              {"permissions_boundary_arn", NullIfEmpty(BoundaryArn(u))},
              {"groups", ArrayOrEmpty(u, "GroupList")},
              {"attached_policy_arns", PolicyArns(ArrayOrEmpty(u, "AttachedManagedPolicies"))},
              {"inline_policies", inline_policies},
              {"tags", TagsToObject(u["Tags"])}};
  ctx.Put("aws_iam_user", kGlobal, row, u);
}

void PutGroup(CollectContext& ctx, json& g) {
  json row = {{"name", StringOr(g, "GroupName")},
              {"group_id", StringOr(g, "GroupId")},
              {"arn", StringOr(g, "Arn")},
              {"path", StringOr(g, "Path")},
              {"create_date", StringOr(g, "CreateDate")},
              {"attached_policy_arns", PolicyArns(ArrayOrEmpty(g, "AttachedManagedPolicies"))},
              {"inline_policies", InlinePolicies(g["GroupPolicyList"])}};
  ctx.Put("aws_iam_group", kGlobal, row, g);
}

void PutRole(CollectContext& ctx, json& r) {
  r["AssumeRolePolicyDocument"] = DecodePolicyDocument(r["AssumeRolePolicyDocument"]);
  json profiles = json::array();
  for (const auto& p : ArrayOrEmpty(r, "InstanceProfileList"))
    profiles.push_back(StringOr(p, "Arn"));
  std::string last_used =
      r.contains("RoleLastUsed") ? StringOr(r["RoleLastUsed"], "LastUsedDate") : "";
  json row = {{"name", StringOr(r, "RoleName")},
              {"role_id", StringOr(r, "RoleId")},
              {"arn", StringOr(r, "Arn")},
              {"path", StringOr(r, "Path")},
              {"create_date", StringOr(r, "CreateDate")},
              {"assume_role_policy", r["AssumeRolePolicyDocument"]},
              {"permissions_boundary_arn", NullIfEmpty(BoundaryArn(r))},
              {"attached_policy_arns", PolicyArns(ArrayOrEmpty(r, "AttachedManagedPolicies"))},
              {"inline_policies", InlinePolicies(r["RolePolicyList"])},
              {"instance_profile_arns", profiles},
              {"max_session_duration", OptionalInt(r, "MaxSessionDuration")},
              {"role_last_used_date", NullIfEmpty(last_used)},
              {"tags", TagsToObject(r["Tags"])}};
  ctx.Put("aws_iam_role", kGlobal, row, r);
}

void PutPolicy(CollectContext& ctx, json& p) {
  json document;
  std::string default_version = StringOr(p, "DefaultVersionId");
  if (p.contains("PolicyVersionList") && p["PolicyVersionList"].is_array()) {
    for (auto& v : p["PolicyVersionList"]) {
      v["Document"] = DecodePolicyDocument(v["Document"]);
      if (BoolOr(v, "IsDefaultVersion") || StringOr(v, "VersionId") == default_version) {
        document = v["Document"];
      }
    }
  }
  std::string arn = StringOr(p, "Arn");
  long long attachments = IntOr(p, "AttachmentCount");
  json row = {{"name", StringOr(p, "PolicyName")},
              {"policy_id", StringOr(p, "PolicyId")},
              {"arn", arn},
              {"path", StringOr(p, "Path")},
              {"is_aws_managed", StartsWith(arn, "arn:aws:iam::aws:policy/") ||
                                     arn.find(":iam::aws:policy/") != std::string::npos},
              {"is_attached", attachments > 0},
              {"attachment_count", attachments},
              {"default_version_id", default_version},
              {"policy", document},
              {"create_date", StringOr(p, "CreateDate")},
              {"update_date", StringOr(p, "UpdateDate")}};
  ctx.Put("aws_iam_policy", kGlobal, row, p);
}

bool AuthorizationDetails(CollectContext& ctx, const std::string& region) {
  Status s =
      ctx.client.PaginateQuery("iam", region, "GetAccountAuthorizationDetails",
                               {{"MaxItems", "1000"}}, "Marker", "Marker", [&](const json& page) {
                                 for (json u : ArrayOrEmpty(page, "UserDetailList"))
                                   PutUser(ctx, u);
                                 for (json g : ArrayOrEmpty(page, "GroupDetailList"))
                                   PutGroup(ctx, g);
                                 for (json r : ArrayOrEmpty(page, "RoleDetailList"))
                                   PutRole(ctx, r);
                                 for (json p : ArrayOrEmpty(page, "Policies")) PutPolicy(ctx, p);
                               });
  return ctx.Check(s, "iam", "GetAccountAuthorizationDetails", region);
}

bool ServerCertificates(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "iam", region, "ListServerCertificates", {}, "Marker", "Marker", [&](const json& page) {
        for (const auto& c : ArrayOrEmpty(page, "ServerCertificateMetadataList")) {
          json row = {{"name", StringOr(c, "ServerCertificateName")},
                      {"server_certificate_id", StringOr(c, "ServerCertificateId")},
                      {"arn", StringOr(c, "Arn")},
                      {"path", StringOr(c, "Path")},
                      {"upload_date", NullIfEmpty(StringOr(c, "UploadDate"))},
                      {"expiration", NullIfEmpty(StringOr(c, "Expiration"))}};
          ctx.Put("aws_iam_server_certificate", kGlobal, row, c);
        }
      });
  return ctx.Check(s, "iam", "ListServerCertificates", region);
}

bool VirtualMfaDevices(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "iam", region, "ListVirtualMFADevices", {}, "Marker", "Marker", [&](const json& page) {
        for (const auto& d : ArrayOrEmpty(page, "VirtualMFADevices")) {
          const json user = d.contains("User") ? d["User"] : json::object();
          json row = {{"serial_number", StringOr(d, "SerialNumber")},
                      {"user_name", NullIfEmpty(StringOr(user, "UserName"))},
                      {"user_arn", NullIfEmpty(StringOr(user, "Arn"))},
                      {"enable_date", NullIfEmpty(StringOr(d, "EnableDate"))}};
          ctx.Put("aws_iam_virtual_mfa_device", kGlobal, row, d);
        }
      });
  return ctx.Check(s, "iam", "ListVirtualMFADevices", region);
}

bool AccessKeysOfUser(CollectContext& ctx, const std::string& region, const std::string& user) {
  bool ok = true;
  Status s = ctx.client.PaginateQuery(
      "iam", region, "ListAccessKeys", {{"UserName", user}}, "Marker", "Marker",
      [&](const json& page) {
        for (const auto& k : ArrayOrEmpty(page, "AccessKeyMetadata")) {
          std::string key_id = StringOr(k, "AccessKeyId");
          json raw = k;
          json row = {{"access_key_id", key_id},
                      {"user_name", StringOr(k, "UserName", user)},
                      {"status", StringOr(k, "Status")},
                      {"create_date", StringOr(k, "CreateDate")}};
          Result<json> used =
              ctx.client.Query("iam", region, "GetAccessKeyLastUsed", {{"AccessKeyId", key_id}});
          if (used.ok()) {
            const json& u = (*used)["AccessKeyLastUsed"];
            row["access_key_last_used_date"] = NullIfEmpty(StringOr(u, "LastUsedDate"));
            row["access_key_last_used_service"] = NullIfEmpty(StringOr(u, "ServiceName"));
            row["access_key_last_used_region"] = NullIfEmpty(StringOr(u, "Region"));
            raw["AccessKeyLastUsed"] = u;
          } else {
            ctx.RecordError("iam", "GetAccessKeyLastUsed", region, used.status(), key_id);
            ok = false;
          }
          ctx.Put("aws_iam_access_key", kGlobal, row, raw);
        }
      });
  if (!s.ok()) {
    ctx.RecordError("iam", "ListAccessKeys", region, s, user);
    return false;
  }
  return ok;
}

bool AccessKeys(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "iam", region, "ListUsers", {}, "Marker", "Marker", [&](const json& page) {
        for (const auto& u : ArrayOrEmpty(page, "Users")) {
          std::string name = StringOr(u, "UserName");
          ctx.spawn({"iam access keys of " + name, [region, name](CollectContext& c) {
                       return AccessKeysOfUser(c, region, name);
                     }});
        }
      });
  return ctx.Check(s, "iam", "ListUsers", region);
}

void AddIamTasks(const std::string& home_region, std::vector<CollectTask>& tasks) {
  const std::string& r = home_region;
  tasks.push_back({"iam account summary", [r](CollectContext& c) { return AccountSummary(c, r); }});
  tasks.push_back({"iam password policy", [r](CollectContext& c) { return PasswordPolicy(c, r); }});
  tasks.push_back(
      {"iam credential report", [r](CollectContext& c) { return CredentialReport(c, r); }});
  tasks.push_back(
      {"iam authorization details", [r](CollectContext& c) { return AuthorizationDetails(c, r); }});
  tasks.push_back(
      {"iam virtual MFA devices", [r](CollectContext& c) { return VirtualMfaDevices(c, r); }});
  tasks.push_back({"iam access keys", [r](CollectContext& c) { return AccessKeys(c, r); }});
  tasks.push_back(
      {"iam server certificates", [r](CollectContext& c) { return ServerCertificates(c, r); }});
}

}  // namespace

ServiceSpec service::iam() {
  using T = snapshot::ColumnType;
  return {"iam",
          Scope::kGlobal,
          AddIamTasks,
          {{"aws_iam_access_key",
            "iam:ListAccessKeys per user with iam:GetAccessKeyLastUsed.",
            {{"access_key_id", T::kText, ""},
             {"user_name", T::kText, ""},
             {"status", T::kText, "Active or Inactive"},
             {"create_date", T::kTimestamp, ""},
             {"access_key_last_used_date", T::kTimestamp, "", "iam:GetAccessKeyLastUsed"},
             {"access_key_last_used_service", T::kText, "", "iam:GetAccessKeyLastUsed"},
             {"access_key_last_used_region", T::kText, "", "iam:GetAccessKeyLastUsed"}},
            {"iam:ListUsers", "iam:ListAccessKeys"},
            "access_key_id"},
           {"aws_iam_account_password_policy",
            "iam:GetAccountPasswordPolicy; no row when the account has no password policy.",
            {{"minimum_password_length", T::kInteger, ""},
             {"require_symbols", T::kBoolean, ""},
             {"require_numbers", T::kBoolean, ""},
             {"require_uppercase_characters", T::kBoolean, ""},
             {"require_lowercase_characters", T::kBoolean, ""},
             {"allow_users_to_change_password", T::kBoolean, ""},
             {"expire_passwords", T::kBoolean, ""},
             {"max_password_age", T::kInteger, "days, as AWS returns it; NULL when absent"},
             {"password_reuse_prevention", T::kInteger, "NULL when not set"},
             {"hard_expiry", T::kBoolean, ""}},
            {"iam:GetAccountPasswordPolicy"},
            ""},
           {"aws_iam_account_summary",
            "iam:GetAccountSummary.",
            {{"account_mfa_enabled", T::kBoolean, "root user has MFA"},
             {"account_access_keys_present", T::kBoolean, "root user has access keys"},
             {"account_signing_certificates_present", T::kBoolean, "root user has certificates"},
             {"users", T::kInteger, ""},
             {"groups", T::kInteger, ""},
             {"roles", T::kInteger, ""},
             {"policies", T::kInteger, "customer managed policies"},
             {"mfa_devices", T::kInteger, ""},
             {"mfa_devices_in_use", T::kInteger, ""},
             {"summary_map", T::kJson, "every SummaryMap entry"}},
            {"iam:GetAccountSummary"},
            ""},
           {"aws_iam_credential_report",
            "iam:GetCredentialReport, one row per CSV line (the root user is <root_account>).",
            {{"user_name", T::kText, "CSV user"},
             {"user_arn", T::kText, "CSV arn"},
             {"user_creation_time", T::kTimestamp, ""},
             {"password_enabled", T::kText, "true, false or not_supported (root)"},
             {"password_last_used", T::kTimestamp, "NULL for N/A or no_information"},
             {"password_last_changed", T::kTimestamp, ""},
             {"password_next_rotation", T::kTimestamp, ""},
             {"mfa_active", T::kBoolean, ""},
             {"access_key_1_active", T::kBoolean, ""},
             {"access_key_1_last_rotated", T::kTimestamp, ""},
             {"access_key_1_last_used_date", T::kTimestamp, ""},
             {"access_key_1_last_used_region", T::kText, ""},
             {"access_key_1_last_used_service", T::kText, ""},
             {"access_key_2_active", T::kBoolean, ""},
             {"access_key_2_last_rotated", T::kTimestamp, ""},
             {"access_key_2_last_used_date", T::kTimestamp, ""},
             {"access_key_2_last_used_region", T::kText, ""},
             {"access_key_2_last_used_service", T::kText, ""},
             {"cert_1_active", T::kBoolean, ""},
             {"cert_1_last_rotated", T::kTimestamp, ""},
             {"cert_2_active", T::kBoolean, ""},
             {"cert_2_last_rotated", T::kTimestamp, ""}},
            {"iam:GenerateCredentialReport", "iam:GetCredentialReport"},
            "user_name"},
           {"aws_iam_group",
            "IAM groups (iam:GetAccountAuthorizationDetails).",
            {{"name", T::kText, ""},
             {"group_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"path", T::kText, ""},
             {"create_date", T::kTimestamp, ""},
             {"attached_policy_arns", T::kJson, ""},
             {"inline_policies", T::kJson, "[{PolicyName, PolicyDocument}]"}},
            {"iam:GetAccountAuthorizationDetails"},
            "name"},
           {"aws_iam_policy",
            "Managed policies in use or owned by the account, with the default version decoded.",
            {{"name", T::kText, ""},
             {"policy_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"path", T::kText, ""},
             {"is_aws_managed", T::kBoolean, "arn:aws:iam::aws:policy/..."},
             {"is_attached", T::kBoolean, ""},
             {"attachment_count", T::kInteger, ""},
             {"default_version_id", T::kText, ""},
             {"policy", T::kJson, "the default version's document"},
             {"create_date", T::kTimestamp, ""},
             {"update_date", T::kTimestamp, ""}},
            {"iam:GetAccountAuthorizationDetails"},
            "arn"},
           {"aws_iam_role",
            "IAM roles (iam:GetAccountAuthorizationDetails), trust policy decoded.",
            {{"name", T::kText, ""},
             {"role_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"path", T::kText, ""},
             {"create_date", T::kTimestamp, ""},
             {"assume_role_policy", T::kJson, "trust policy document"},
             {"permissions_boundary_arn", T::kText, ""},
             {"attached_policy_arns", T::kJson, ""},
             {"inline_policies", T::kJson, "[{PolicyName, PolicyDocument}]"},
             {"instance_profile_arns", T::kJson, ""},
             {"max_session_duration", T::kInteger, "seconds"},
             {"role_last_used_date", T::kTimestamp, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"iam:GetAccountAuthorizationDetails"},
            "name"},
           {"aws_iam_server_certificate",
            "iam:ListServerCertificates: TLS certificates uploaded to IAM.",
            {{"name", T::kText, ""},
             {"server_certificate_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"path", T::kText, ""},
             {"upload_date", T::kTimestamp, ""},
             {"expiration", T::kTimestamp, ""}},
            {"iam:ListServerCertificates"},
            "name"},
           {"aws_iam_user",
            "IAM users (iam:GetAccountAuthorizationDetails), policy documents decoded.",
            {{"name", T::kText, ""},
             {"user_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"path", T::kText, ""},
             {"create_date", T::kTimestamp, ""},
             {"permissions_boundary_arn", T::kText, ""},
             {"groups", T::kJson, "group names"},
             {"attached_policy_arns", T::kJson, "managed policies attached directly"},
             {"inline_policies", T::kJson, "[{PolicyName, PolicyDocument}]"},
             {"tags", T::kJson, "{key: value}"}},
            {"iam:GetAccountAuthorizationDetails"},
            "name"},
           {"aws_iam_virtual_mfa_device",
            "iam:ListVirtualMFADevices.",
            {{"serial_number", T::kText, ""},
             {"user_name", T::kText, "NULL when not assigned"},
             {"user_arn", T::kText, ""},
             {"enable_date", T::kTimestamp, ""}},
            {"iam:ListVirtualMFADevices"},
            "serial_number"}}};
}

}  // namespace bulwark::collect
