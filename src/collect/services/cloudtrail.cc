// CloudTrail, per region: trails whose home region this is, with their logging status and
// event selectors. Multi-region trails show up in every region as shadow trails; they are
// stored once, from their home region.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

void PutTrail(CollectContext& ctx, const std::string& region, json trail) {
  std::string name = StringOr(trail, "Name");
  json row = {
      {"name", name},
      {"arn", StringOr(trail, "TrailARN")},
      {"home_region", StringOr(trail, "HomeRegion", region)},
      {"is_multi_region_trail", BoolOr(trail, "IsMultiRegionTrail")},
      {"is_organization_trail", BoolOr(trail, "IsOrganizationTrail")},
      {"include_global_service_events", BoolOr(trail, "IncludeGlobalServiceEvents")},
      {"log_file_validation_enabled", BoolOr(trail, "LogFileValidationEnabled")},
      {"s3_bucket_name", NullIfEmpty(StringOr(trail, "S3BucketName"))},
      {"s3_key_prefix", NullIfEmpty(StringOr(trail, "S3KeyPrefix"))},
      {"kms_key_id", NullIfEmpty(StringOr(trail, "KmsKeyId"))},
      {"cloudwatch_logs_log_group_arn", NullIfEmpty(StringOr(trail, "CloudWatchLogsLogGroupArn"))},
      {"cloudwatch_logs_role_arn", NullIfEmpty(StringOr(trail, "CloudWatchLogsRoleArn"))},
      {"sns_topic_arn", NullIfEmpty(StringOr(trail, "SnsTopicARN"))}};

  Result<json> status = ctx.client.Json("cloudtrail", region, "GetTrailStatus", {{"Name", name}});
  if (status.ok()) {
    row["is_logging"] = BoolOr(*status, "IsLogging");
    row["latest_delivery_time"] = TimestampValue(status->value("LatestDeliveryTime", json()));
    row["latest_delivery_error"] = NullIfEmpty(StringOr(*status, "LatestDeliveryError"));
    row["latest_cloudwatch_logs_delivery_time"] =
        TimestampValue(status->value("LatestCloudWatchLogsDeliveryTime", json()));
    trail["Status"] = *status;
  } else {
    ctx.RecordError("cloudtrail", "GetTrailStatus", region, status.status(), name);
  }
  Result<json> selectors =
      ctx.client.Json("cloudtrail", region, "GetEventSelectors", {{"TrailName", name}});
  if (selectors.ok()) {
    row["event_selectors"] = ArrayOrEmpty(*selectors, "EventSelectors");
    row["advanced_event_selectors"] = ArrayOrEmpty(*selectors, "AdvancedEventSelectors");
    trail["EventSelectors"] = row["event_selectors"];
    trail["AdvancedEventSelectors"] = row["advanced_event_selectors"];
  } else {
    ctx.RecordError("cloudtrail", "GetEventSelectors", region, selectors.status(), name);
  }
  ctx.Put("aws_cloudtrail_trail", region, row, trail);
}

bool Trails(CollectContext& ctx, const std::string& region) {
  Result<json> doc =
      ctx.client.Json("cloudtrail", region, "DescribeTrails", {{"includeShadowTrails", true}});
  if (!doc.ok()) {
    ctx.RecordError("cloudtrail", "DescribeTrails", region, doc.status());
    return false;
  }
  for (const auto& trail : ArrayOrEmpty(*doc, "trailList")) {
    if (StringOr(trail, "HomeRegion", region) != region) continue;
    PutTrail(ctx, region, trail);
  }
  return true;
}

void AddCloudTrailTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"cloudtrail " + r + " trails", [r](CollectContext& c) { return Trails(c, r); }});
}

}  // namespace

ServiceSpec service::cloudtrail() {
  using T = snapshot::ColumnType;
  return {
      "cloudtrail",
      Scope::kRegional,
      AddCloudTrailTasks,
      {{"aws_cloudtrail_trail",
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
         {"is_logging", T::kBoolean, "", "cloudtrail:GetTrailStatus"},
         {"latest_delivery_time", T::kTimestamp, "", "cloudtrail:GetTrailStatus"},
         {"latest_delivery_error", T::kText, "", "cloudtrail:GetTrailStatus"},
         {"latest_cloudwatch_logs_delivery_time", T::kTimestamp, "", "cloudtrail:GetTrailStatus"},
         {"event_selectors", T::kJson, "", "cloudtrail:GetEventSelectors"},
         {"advanced_event_selectors", T::kJson, "", "cloudtrail:GetEventSelectors"}},
        {"cloudtrail:DescribeTrails"},
        "name"}}};
}

}  // namespace bulwark::collect
