// Secrets Manager, per region: secret metadata (rotation, last use). Secret values are
// never requested.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Secrets(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "secretsmanager", region, "ListSecrets", {{"MaxResults", 100}}, "NextToken", "NextToken",
      [&](const json& page) {
        for (const auto& sec : ArrayOrEmpty(page, "SecretList")) {
          const json rules = sec.value("RotationRules", json::object());
          json row = {{"name", StringOr(sec, "Name")},
                      {"arn", StringOr(sec, "ARN")},
                      {"rotation_enabled", BoolOr(sec, "RotationEnabled")},
                      {"rotation_days", OptionalInt(rules, "AutomaticallyAfterDays")},
                      {"last_rotated_date", TimestampValue(sec.value("LastRotatedDate", json()))},
                      {"last_accessed_date", TimestampValue(sec.value("LastAccessedDate", json()))},
                      {"created_date", TimestampValue(sec.value("CreatedDate", json()))},
                      {"kms_key_id", NullIfEmpty(StringOr(sec, "KmsKeyId"))}};
          ctx.Put("aws_secretsmanager_secret", region, row, sec);
        }
      });
  return ctx.Check(s, "secretsmanager", "ListSecrets", region);
}

void AddSecretsManagerTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"secretsmanager " + r + " secrets", [r](CollectContext& c) { return Secrets(c, r); }});
}

}  // namespace

ServiceSpec service::secretsmanager() {
  using T = snapshot::ColumnType;
  return {"secretsmanager",
          Scope::kRegional,
          AddSecretsManagerTasks,
          {{"aws_secretsmanager_secret",
            "secretsmanager:ListSecrets (metadata only: secret values are never read).",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"rotation_enabled", T::kBoolean, ""},
             {"rotation_days", T::kInteger, "AutomaticallyAfterDays"},
             {"last_rotated_date", T::kTimestamp, ""},
             {"last_accessed_date", T::kTimestamp, ""},
             {"created_date", T::kTimestamp, ""},
             {"kms_key_id", T::kText, ""}},
            {"secretsmanager:ListSecrets"},
            "name"}}};
}

}  // namespace bulwark::collect
