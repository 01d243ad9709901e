// KMS, per region: every key with DescribeKey, its rotation status and its default policy.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Key(CollectContext& ctx, const std::string& region, const std::string& key_id) {
  Result<json> described = ctx.client.Json("kms", region, "DescribeKey", {{"KeyId", key_id}});
  if (!described.ok()) {
    ctx.RecordError("kms", "DescribeKey", region, described.status(), key_id);
    return false;
  }
  bool ok = true;
  json raw = (*described)["KeyMetadata"];
  const json& m = raw;
  json row = {{"id", StringOr(m, "KeyId", key_id)},
              {"arn", StringOr(m, "Arn")},
              {"description", StringOr(m, "Description")},
              {"key_manager", StringOr(m, "KeyManager")},
              {"key_state", StringOr(m, "KeyState")},
              {"key_usage", StringOr(m, "KeyUsage")},
              {"key_spec", StringOr(m, "KeySpec", StringOr(m, "CustomerMasterKeySpec"))},
              {"origin", StringOr(m, "Origin")},
              {"enabled", BoolOr(m, "Enabled")},
              {"multi_region", BoolOr(m, "MultiRegion")},
              {"creation_date", TimestampValue(m.value("CreationDate", json()))},
              {"deletion_date", TimestampValue(m.value("DeletionDate", json()))}};
  // Rotation applies to symmetric keys with key material from KMS; others answer an error.
  bool rotatable = StringOr(m, "KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT" &&
                   StringOr(m, "Origin", "AWS_KMS") == "AWS_KMS" &&
                   StringOr(m, "KeyState") != "PendingDeletion";
  if (rotatable) {
    Result<json> rot = ctx.client.Json("kms", region, "GetKeyRotationStatus", {{"KeyId", key_id}});
    if (rot.ok()) {
      row["key_rotation_enabled"] = BoolOr(*rot, "KeyRotationEnabled");
      raw["KeyRotationEnabled"] = row["key_rotation_enabled"];
    } else {
      ctx.RecordError("kms", "GetKeyRotationStatus", region, rot.status(), key_id);
      ok = false;
    }
  }
  Result<json> policy = ctx.client.Json("kms", region, "GetKeyPolicy",
                                        {{"KeyId", key_id}, {"PolicyName", "default"}});
  if (policy.ok()) {
    row["policy"] =
        ctx.PolicyDocument(StringOr(*policy, "Policy"), "kms", "GetKeyPolicy", region, key_id);
    raw["Policy"] = row["policy"];
  } else {
    ctx.RecordError("kms", "GetKeyPolicy", region, policy.status(), key_id);
    ok = false;
  }
  ctx.Put("aws_kms_key", region, row, raw);
  return ok;
}

bool Keys(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "kms", region, "ListKeys", {{"Limit", 1000}}, "Marker", "NextMarker", [&](const json& page) {
        for (const auto& k : ArrayOrEmpty(page, "Keys")) {
          std::string id = StringOr(k, "KeyId");
          ctx.spawn({"kms " + region + " key " + id,
                     [region, id](CollectContext& c) { return Key(c, region, id); }});
        }
      });
  return ctx.Check(s, "kms", "ListKeys", region);
}

void AddKmsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"kms " + r + " keys", [r](CollectContext& c) { return Keys(c, r); }});
}

}  // namespace

ServiceSpec service::kms() {
  using T = snapshot::ColumnType;
  return {"kms",
          Scope::kRegional,
          AddKmsTasks,
          {{"aws_kms_key",
            "KMS keys with DescribeKey, GetKeyRotationStatus and the default key policy.",
            {{"id", T::kText, ""},
             {"arn", T::kText, ""},
             {"description", T::kText, ""},
             {"key_manager", T::kText, "AWS or CUSTOMER"},
             {"key_state", T::kText, "Enabled, Disabled, PendingDeletion, ..."},
             {"key_usage", T::kText, ""},
             {"key_spec", T::kText, ""},
             {"origin", T::kText, ""},
             {"enabled", T::kBoolean, ""},
             {"multi_region", T::kBoolean, ""},
             {"creation_date", T::kTimestamp, ""},
             {"deletion_date", T::kTimestamp, ""},
             {"key_rotation_enabled", T::kBoolean, "NULL when not applicable or not readable",
              "kms:GetKeyRotationStatus"},
             {"policy", T::kJson, "key policy document", "kms:GetKeyPolicy"}},
            {"kms:ListKeys", "kms:DescribeKey"},
            "id"}}};
}

}  // namespace bulwark::collect
