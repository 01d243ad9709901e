// RDS, per region: DB instances.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::IntOr;
using aws::StringOr;
using nlohmann::json;

bool Instances(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "rds", region, "DescribeDBInstances", {{"MaxRecords", "100"}}, "Marker", "Marker",
      [&](const json& page) {
        for (const auto& db : ArrayOrEmpty(page, "DBInstances")) {
          const json endpoint = db.contains("Endpoint") ? db["Endpoint"] : json::object();
          json row = {{"db_instance_identifier", StringOr(db, "DBInstanceIdentifier")},
                      {"arn", StringOr(db, "DBInstanceArn")},
                      {"engine", StringOr(db, "Engine")},
                      {"engine_version", StringOr(db, "EngineVersion")},
                      {"class", StringOr(db, "DBInstanceClass")},
                      {"status", StringOr(db, "DBInstanceStatus")},
                      {"publicly_accessible", BoolOr(db, "PubliclyAccessible")},
                      {"storage_encrypted", BoolOr(db, "StorageEncrypted")},
                      {"kms_key_id", NullIfEmpty(StringOr(db, "KmsKeyId"))},
                      {"multi_az", BoolOr(db, "MultiAZ")},
                      {"backup_retention_period", IntOr(db, "BackupRetentionPeriod")},
                      {"auto_minor_version_upgrade", BoolOr(db, "AutoMinorVersionUpgrade")},
                      {"deletion_protection", BoolOr(db, "DeletionProtection")},
                      {"iam_database_authentication_enabled",
                       BoolOr(db, "IAMDatabaseAuthenticationEnabled")},
                      {"endpoint_address", NullIfEmpty(StringOr(endpoint, "Address"))},
                      {"endpoint_port", OptionalInt(endpoint, "Port")},
                      {"vpc_security_groups", ArrayOrEmpty(db, "VpcSecurityGroups")}};
          ctx.Put("aws_rds_db_instance", region, row, db);
        }
      });
  return ctx.Check(s, "rds", "DescribeDBInstances", region);
}

void AddRdsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"rds " + r + " DB instances", [r](CollectContext& c) { return Instances(c, r); }});
}

}  // namespace

ServiceSpec service::rds() {
  using T = snapshot::ColumnType;
  return {"rds",
          Scope::kRegional,
          AddRdsTasks,
          {{"aws_rds_db_instance",
            "rds:DescribeDBInstances.",
            {{"db_instance_identifier", T::kText, ""},
             {"arn", T::kText, ""},
             {"engine", T::kText, ""},
             {"engine_version", T::kText, ""},
             {"class", T::kText, ""},
             {"status", T::kText, ""},
             {"publicly_accessible", T::kBoolean, ""},
             {"storage_encrypted", T::kBoolean, ""},
             {"kms_key_id", T::kText, ""},
             {"multi_az", T::kBoolean, ""},
             {"backup_retention_period", T::kInteger, "days"},
             {"auto_minor_version_upgrade", T::kBoolean, ""},
             {"deletion_protection", T::kBoolean, ""},
             {"iam_database_authentication_enabled", T::kBoolean, ""},
             {"endpoint_address", T::kText, ""},
             {"endpoint_port", T::kInteger, ""},
             {"vpc_security_groups", T::kJson, ""}},
            {"rds:DescribeDBInstances"},
            "db_instance_identifier"}}};
}

}  // namespace bulwark::collect
