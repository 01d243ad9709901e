#include "snapshot/schema.h"

#include <fmt/format.h>

namespace bulwark::snapshot {
namespace {

using T = ColumnType;

std::vector<TableSpec> BuildTables() {
  return {
      {"aws_account",
       "The account the credentials belong to (sts:GetCallerIdentity).",
       {{"arn", T::kText, "ARN of the calling identity"},
        {"user_id", T::kText, "unique id of the calling identity"}}},
      {"aws_region",
       "Regions of the account (ec2:DescribeRegions --all-regions).",
       {{"name", T::kText, "region name"},
        {"opt_in_status", T::kText, "opt-in-not-required, opted-in or not-opted-in"},
        {"endpoint", T::kText, "EC2 endpoint host"}}},
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
        {"summary_map", T::kJson, "every SummaryMap entry"}}},
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
        {"hard_expiry", T::kBoolean, ""}}},
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
        {"cert_2_last_rotated", T::kTimestamp, ""}}},
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
        {"tags", T::kJson, "{key: value}"}}},
      {"aws_iam_group",
       "IAM groups (iam:GetAccountAuthorizationDetails).",
       {{"name", T::kText, ""},
        {"group_id", T::kText, ""},
        {"arn", T::kText, ""},
        {"path", T::kText, ""},
        {"create_date", T::kTimestamp, ""},
        {"attached_policy_arns", T::kJson, ""},
        {"inline_policies", T::kJson, "[{PolicyName, PolicyDocument}]"}}},
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
        {"tags", T::kJson, "{key: value}"}}},
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
        {"update_date", T::kTimestamp, ""}}},
      {"aws_iam_virtual_mfa_device",
       "iam:ListVirtualMFADevices.",
       {{"serial_number", T::kText, ""},
        {"user_name", T::kText, "NULL when not assigned"},
        {"user_arn", T::kText, ""},
        {"enable_date", T::kTimestamp, ""}}},
      {"aws_iam_access_key",
       "iam:ListAccessKeys per user with iam:GetAccessKeyLastUsed.",
       {{"access_key_id", T::kText, ""},
        {"user_name", T::kText, ""},
        {"status", T::kText, "Active or Inactive"},
        {"create_date", T::kTimestamp, ""},
        {"access_key_last_used_date", T::kTimestamp, ""},
        {"access_key_last_used_service", T::kText, ""},
        {"access_key_last_used_region", T::kText, ""}}},
      {"aws_ec2_security_group",
       "ec2:DescribeSecurityGroups.",
       {{"group_id", T::kText, ""},
        {"group_name", T::kText, ""},
        {"arn", T::kText, ""},
        {"description", T::kText, ""},
        {"vpc_id", T::kText, ""},
        {"owner_id", T::kText, ""},
        {"ip_permissions", T::kJson, "ingress rules"},
        {"ip_permissions_egress", T::kJson, "egress rules"},
        {"tags", T::kJson, "{key: value}"}}},
      {"aws_vpc_security_group_rule",
       "One row per security group rule and source (CIDR, IPv6 CIDR, group or prefix list).",
       {{"group_id", T::kText, ""},
        {"group_name", T::kText, ""},
        {"vpc_id", T::kText, ""},
        {"is_egress", T::kBoolean, ""},
        {"ip_protocol", T::kText, "tcp, udp, icmp, -1 (all)"},
        {"from_port", T::kInteger, "NULL for all traffic"},
        {"to_port", T::kInteger, ""},
        {"cidr_ipv4", T::kText, ""},
        {"cidr_ipv6", T::kText, ""},
        {"referenced_group_id", T::kText, ""},
        {"prefix_list_id", T::kText, ""},
        {"description", T::kText, ""}}},
      {"aws_vpc_network_acl",
       "ec2:DescribeNetworkAcls.",
       {{"network_acl_id", T::kText, ""},
        {"vpc_id", T::kText, ""},
        {"is_default", T::kBoolean, ""},
        {"owner_id", T::kText, ""},
        {"entries", T::kJson, "rules in CLI shape"},
        {"associations", T::kJson, ""},
        {"tags", T::kJson, "{key: value}"}}},
      {"aws_vpc_network_acl_entry",
       "One row per network ACL rule.",
       {{"network_acl_id", T::kText, ""},
        {"vpc_id", T::kText, ""},
        {"rule_number", T::kInteger, ""},
        {"egress", T::kBoolean, ""},
        {"rule_action", T::kText, "allow or deny"},
        {"protocol", T::kText, "protocol number, -1 = all"},
        {"cidr_block", T::kText, ""},
        {"ipv6_cidr_block", T::kText, ""},
        {"from_port", T::kInteger, "NULL when the rule has no port range"},
        {"to_port", T::kInteger, ""}}},
      {"aws_vpc",
       "ec2:DescribeVpcs.",
       {{"vpc_id", T::kText, ""},
        {"cidr_block", T::kText, ""},
        {"state", T::kText, ""},
        {"is_default", T::kBoolean, ""},
        {"owner_id", T::kText, ""},
        {"tags", T::kJson, "{key: value}"}}},
      {"aws_vpc_flow_log",
       "ec2:DescribeFlowLogs.",
       {{"flow_log_id", T::kText, ""},
        {"resource_id", T::kText, "VPC, subnet or ENI"},
        {"traffic_type", T::kText, "ACCEPT, REJECT or ALL"},
        {"flow_log_status", T::kText, ""},
        {"deliver_logs_status", T::kText, ""},
        {"log_destination_type", T::kText, "cloud-watch-logs, s3, kinesis-data-firehose"},
        {"log_destination", T::kText, ""},
        {"log_group_name", T::kText, ""}}},
      {"aws_ec2_instance",
       "ec2:DescribeInstances, one row per instance.",
       {{"instance_id", T::kText, ""},
        {"arn", T::kText, ""},
        {"instance_type", T::kText, ""},
        {"instance_state", T::kText, "pending, running, stopped, ..."},
        {"image_id", T::kText, ""},
        {"vpc_id", T::kText, ""},
        {"subnet_id", T::kText, ""},
        {"private_ip_address", T::kText, ""},
        {"public_ip_address", T::kText, ""},
        {"iam_instance_profile_arn", T::kText, ""},
        {"launch_time", T::kTimestamp, ""},
        {"metadata_options", T::kJson, "MetadataOptions as the CLI prints them"},
        {"http_tokens", T::kText, "required = IMDSv2 only"},
        {"http_endpoint", T::kText, "enabled or disabled"},
        {"security_groups", T::kJson, ""},
        {"tags", T::kJson, "{key: value}"}}},
      {"aws_ebs_volume",
       "ec2:DescribeVolumes.",
       {{"volume_id", T::kText, ""},
        {"arn", T::kText, ""},
        {"size", T::kInteger, "GiB"},
        {"volume_type", T::kText, ""},
        {"state", T::kText, ""},
        {"encrypted", T::kBoolean, ""},
        {"kms_key_id", T::kText, ""},
        {"availability_zone", T::kText, ""},
        {"create_time", T::kTimestamp, ""},
        {"attachments", T::kJson, ""},
        {"tags", T::kJson, "{key: value}"}}},
      {"aws_ec2_regional_settings",
       "ec2:GetEbsEncryptionByDefault, one row per region.",
       {{"default_ebs_encryption_enabled", T::kBoolean, ""}}},
      {"aws_cloudtrail_trail",
       "Trails in their home region, with GetTrailStatus and GetEventSelectors.",
       {{"name", T::kText, ""},
        {"arn", T::kText, ""},
        {"home_region", T::kText, ""},
        {"is_multi_region_trail", T::kBoolean, ""},
        {"is_organization_trail", T::kBoolean, ""},
        {"include_global_service_events", T::kBoolean, ""},
        {"log_file_validation_enabled", T::kBoolean, ""},
        {"s3_bucket_name", T::kText, ""},
        {"s3_key_prefix", T::kText, ""},
        {"kms_key_id", T::kText, "NULL = not encrypted with KMS"},
        {"cloudwatch_logs_log_group_arn", T::kText, ""},
        {"cloudwatch_logs_role_arn", T::kText, ""},
        {"sns_topic_arn", T::kText, ""},
        {"is_logging", T::kBoolean, ""},
        {"latest_delivery_time", T::kTimestamp, ""},
        {"latest_delivery_error", T::kText, ""},
        {"latest_cloudwatch_logs_delivery_time", T::kTimestamp, ""},
        {"event_selectors", T::kJson, ""},
        {"advanced_event_selectors", T::kJson, ""}}},
      {"aws_kms_key",
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
        {"key_rotation_enabled", T::kBoolean, "NULL when not applicable or not readable"},
        {"policy", T::kJson, "key policy document"}}},
      {"aws_s3_bucket",
       "S3 buckets (global list) with location, ACL, policy, public access block, default "
       "encryption, versioning and logging. region is the bucket's region.",
       {{"name", T::kText, ""},
        {"arn", T::kText, ""},
        {"creation_date", T::kTimestamp, ""},
        {"owner_id", T::kText, ""},
        {"acl_grants", T::kJson, "[{Grantee: {...}, Permission}]"},
        {"policy", T::kJson, "bucket policy document; NULL when none"},
        {"block_public_acls", T::kBoolean, "NULL when no public access block"},
        {"ignore_public_acls", T::kBoolean, ""},
        {"block_public_policy", T::kBoolean, ""},
        {"restrict_public_buckets", T::kBoolean, ""},
        {"server_side_encryption_configuration", T::kJson, "NULL when none"},
        {"versioning_enabled", T::kBoolean, ""},
        {"versioning_mfa_delete", T::kBoolean, ""},
        {"logging_target_bucket", T::kText, "NULL when access logging is off"},
        {"logging_target_prefix", T::kText, ""}}},
  };
}

}  // namespace

const std::vector<TableSpec>& ResourceTables() {
  static const std::vector<TableSpec> tables = BuildTables();
  return tables;
}

const TableSpec* FindTable(const std::string& name) {
  for (const auto& t : ResourceTables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const char* SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kText:
    case ColumnType::kJson:
    case ColumnType::kTimestamp:
      return "TEXT";
  }
  return "TEXT";
}

std::string SchemaSql() {
  std::string sql;
  for (const auto& t : ResourceTables()) {
    sql += fmt::format("CREATE TABLE {} (\n  account_id TEXT NOT NULL,\n  region TEXT NOT NULL",
                       t.name);
    for (const auto& c : t.columns) sql += fmt::format(",\n  {} {}", c.name, SqlType(c.type));
    sql += ",\n  raw TEXT\n);\n";
  }
  sql +=
      "CREATE TABLE collection_errors (\n"
      "  account_id TEXT, region TEXT NOT NULL, service TEXT NOT NULL, operation TEXT NOT NULL,\n"
      "  error_code TEXT, http_status INTEGER, message TEXT NOT NULL, recorded_at TEXT NOT NULL\n"
      ");\n"
      "CREATE TABLE snapshot_info (\n"
      "  tool_version TEXT, account_id TEXT, partition TEXT, regions TEXT, endpoint_url TEXT,\n"
      "  started_at TEXT, finished_at TEXT, api_calls INTEGER, retries INTEGER,\n"
      "  throttled INTEGER, errors INTEGER\n"
      ");\n"
      "CREATE TABLE snapshot_tables (\n"
      "  table_name TEXT, column_name TEXT, column_type TEXT, description TEXT\n"
      ");\n";
  return sql;
}

}  // namespace bulwark::snapshot
