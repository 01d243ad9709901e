// CloudWatch Logs, per region: log groups and metric filters (CIS section 4 reads these).
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::IntOr;
using aws::StringOr;
using nlohmann::json;

bool LogGroups(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "logs", region, "DescribeLogGroups", json::object(), "nextToken", "nextToken",
      [&](const json& page) {
        for (const auto& g : ArrayOrEmpty(page, "logGroups")) {
          json row = {{"name", StringOr(g, "logGroupName")},
                      {"arn", StringOr(g, "logGroupArn", StringOr(g, "arn"))},
                      {"creation_time", g.contains("creationTime")
                                            ? TimestampValue(IntOr(g, "creationTime") / 1000)
                                            : json()},
                      {"retention_in_days", OptionalInt(g, "retentionInDays")},
                      {"kms_key_id", NullIfEmpty(StringOr(g, "kmsKeyId"))},
                      {"stored_bytes", OptionalInt(g, "storedBytes")},
                      {"metric_filter_count", OptionalInt(g, "metricFilterCount")}};
          ctx.Put("aws_cloudwatch_log_group", region, row, g);
        }
      });
  return ctx.Check(s, "logs", "DescribeLogGroups", region);
}

bool MetricFilters(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "logs", region, "DescribeMetricFilters", json::object(), "nextToken", "nextToken",
      [&](const json& page) {
        for (const auto& f : ArrayOrEmpty(page, "metricFilters")) {
          json base = {{"name", StringOr(f, "filterName")},
                       {"log_group_name", StringOr(f, "logGroupName")},
                       {"filter_pattern", StringOr(f, "filterPattern")}};
          const json& transformations = ArrayOrEmpty(f, "metricTransformations");
          if (transformations.empty()) ctx.Put("aws_cloudwatch_log_metric_filter", region, base, f);
          for (const auto& t : transformations) {
            json row = base;
            row["metric_transformation_name"] = StringOr(t, "metricName");
            row["metric_transformation_namespace"] = StringOr(t, "metricNamespace");
            row["metric_transformation_value"] = StringOr(t, "metricValue");
            ctx.Put("aws_cloudwatch_log_metric_filter", region, row, f);
          }
        }
      });
  return ctx.Check(s, "logs", "DescribeMetricFilters", region);
}

void AddLogsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"logs " + r + " log groups", [r](CollectContext& c) { return LogGroups(c, r); }});
  tasks.push_back(
      {"logs " + r + " metric filters", [r](CollectContext& c) { return MetricFilters(c, r); }});
}

}  // namespace

ServiceSpec service::logs() {
  using T = snapshot::ColumnType;
  return {"logs",
          Scope::kRegional,
          AddLogsTasks,
          {{"aws_cloudwatch_log_group",
            "logs:DescribeLogGroups.",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"creation_time", T::kTimestamp, ""},
             {"retention_in_days", T::kInteger, "NULL = never expire"},
             {"kms_key_id", T::kText, ""},
             {"stored_bytes", T::kInteger, ""},
             {"metric_filter_count", T::kInteger, ""}},
            {"logs:DescribeLogGroups"},
            "name"},
           {"aws_cloudwatch_log_metric_filter",
            "logs:DescribeMetricFilters, one row per filter and metric transformation.",
            {{"name", T::kText, ""},
             {"log_group_name", T::kText, ""},
             {"filter_pattern", T::kText, ""},
             {"metric_transformation_name", T::kText, ""},
             {"metric_transformation_namespace", T::kText, ""},
             {"metric_transformation_value", T::kText, ""}},
            {"logs:DescribeMetricFilters"},
            ""}}};
}

}  // namespace bulwark::collect
