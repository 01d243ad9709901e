// DynamoDB, per region: tables with encryption, deletion protection and point-in-time
// recovery.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Table(CollectContext& ctx, const std::string& region, const std::string& name) {
  Result<json> doc = ctx.client.Json("dynamodb", region, "DescribeTable", {{"TableName", name}});
  if (!ctx.Check(doc.status(), "dynamodb", "DescribeTable", region, name)) return false;
  json t = doc->value("Table", json::object());
  const json sse = t.value("SSEDescription", json::object());
  json row = {{"name", StringOr(t, "TableName", name)},
              {"arn", StringOr(t, "TableArn")},
              {"status", StringOr(t, "TableStatus")},
              {"sse_type", NullIfEmpty(StringOr(sse, "SSEType"))},
              {"deletion_protection", BoolOr(t, "DeletionProtectionEnabled")}};
  bool ok = true;
  Result<json> backups =
      ctx.client.Json("dynamodb", region, "DescribeContinuousBackups", {{"TableName", name}});
  if (backups.ok()) {
    const json pitr = backups->value("ContinuousBackupsDescription", json::object())
                          .value("PointInTimeRecoveryDescription", json::object());
    row["point_in_time_recovery"] = StringOr(pitr, "PointInTimeRecoveryStatus") == "ENABLED";
    t["ContinuousBackupsDescription"] = backups->value("ContinuousBackupsDescription", json());
  } else {
    ok = ctx.Check(backups.status(), "dynamodb", "DescribeContinuousBackups", region, name);
  }
  ctx.Put("aws_dynamodb_table", region, row, t);
  return ok;
}

bool Tables(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "dynamodb", region, "ListTables", {{"Limit", 100}}, "ExclusiveStartTableName",
      "LastEvaluatedTableName", [&](const json& page) {
        for (const auto& n : ArrayOrEmpty(page, "TableNames")) {
          std::string name = n.get<std::string>();
          ctx.spawn({"dynamodb " + region + " table " + name,
                     [region, name](CollectContext& c) { return Table(c, region, name); }});
        }
      });
  return ctx.Check(s, "dynamodb", "ListTables", region);
}

void AddDynamoDbTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"dynamodb " + r + " tables", [r](CollectContext& c) { return Tables(c, r); }});
}

}  // namespace

ServiceSpec service::dynamodb() {
  using T = snapshot::ColumnType;
  return {"dynamodb",
          Scope::kRegional,
          AddDynamoDbTasks,
          {{"aws_dynamodb_table",
            "dynamodb:ListTables with DescribeTable and DescribeContinuousBackups.",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"status", T::kText, ""},
             {"sse_type", T::kText, "KMS when encrypted with a KMS key; NULL for the default"},
             {"deletion_protection", T::kBoolean, ""},
             {"point_in_time_recovery", T::kBoolean, "", "dynamodb:DescribeContinuousBackups"}},
            {"dynamodb:ListTables", "dynamodb:DescribeTable"},
            "name"}}};
}

}  // namespace bulwark::collect
