// CloudWatch, per region: metric alarms (CIS section 4 pairs them with metric filters).
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::IntOr;
using aws::StringOr;
using nlohmann::json;

bool Alarms(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "monitoring", region, "DescribeAlarms", {}, "NextToken", "NextToken", [&](const json& page) {
        for (const auto& a : ArrayOrEmpty(page, "MetricAlarms")) {
          json threshold;
          if (a.contains("Threshold"))
            threshold = std::strtod(StringOr(a, "Threshold").c_str(), nullptr);
          json row = {{"name", StringOr(a, "AlarmName")},
                      {"arn", StringOr(a, "AlarmArn")},
                      {"metric_name", NullIfEmpty(StringOr(a, "MetricName"))},
                      {"namespace", NullIfEmpty(StringOr(a, "Namespace"))},
                      {"statistic", NullIfEmpty(StringOr(a, "Statistic"))},
                      {"comparison_operator", StringOr(a, "ComparisonOperator")},
                      {"threshold", threshold},
                      {"period", IntOr(a, "Period")},
                      {"evaluation_periods", IntOr(a, "EvaluationPeriods")},
                      {"actions_enabled", BoolOr(a, "ActionsEnabled")},
                      {"alarm_actions", ArrayOrEmpty(a, "AlarmActions")},
                      {"ok_actions", ArrayOrEmpty(a, "OKActions")},
                      {"insufficient_data_actions", ArrayOrEmpty(a, "InsufficientDataActions")},
                      {"state_value", StringOr(a, "StateValue")},
                      {"dimensions", ArrayOrEmpty(a, "Dimensions")}};
          ctx.Put("aws_cloudwatch_alarm", region, row, a);
        }
      });
  return ctx.Check(s, "monitoring", "DescribeAlarms", region);
}

void AddCloudWatchTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"cloudwatch " + r + " alarms", [r](CollectContext& c) { return Alarms(c, r); }});
}

}  // namespace

ServiceSpec service::cloudwatch() {
  using T = snapshot::ColumnType;
  return {"cloudwatch",
          Scope::kRegional,
          AddCloudWatchTasks,
          {{"aws_cloudwatch_alarm",
            "cloudwatch:DescribeAlarms (metric alarms).",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"metric_name", T::kText, ""},
             {"namespace", T::kText, ""},
             {"statistic", T::kText, ""},
             {"comparison_operator", T::kText, ""},
             {"threshold", T::kReal, ""},
             {"period", T::kInteger, "seconds"},
             {"evaluation_periods", T::kInteger, ""},
             {"actions_enabled", T::kBoolean, ""},
             {"alarm_actions", T::kJson, "ARNs notified on ALARM"},
             {"ok_actions", T::kJson, ""},
             {"insufficient_data_actions", T::kJson, ""},
             {"state_value", T::kText, "OK, ALARM or INSUFFICIENT_DATA"},
             {"dimensions", T::kJson, ""}},
            {"monitoring:DescribeAlarms"},
            "name"}}};
}

}  // namespace bulwark::collect
