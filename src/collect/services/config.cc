// AWS Config, per region: configuration recorders and whether they are recording.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Recorders(CollectContext& ctx, const std::string& region) {
  Result<json> recorders = ctx.client.Json("config", region, "DescribeConfigurationRecorders");
  if (!ctx.Check(recorders.status(), "config", "DescribeConfigurationRecorders", region)) {
    return false;
  }
  Result<json> status = ctx.client.Json("config", region, "DescribeConfigurationRecorderStatus");
  bool ok = ctx.Check(status.status(), "config", "DescribeConfigurationRecorderStatus", region);
  for (json r : ArrayOrEmpty(*recorders, "ConfigurationRecorders")) {
    std::string name = StringOr(r, "name");
    const json group = r.contains("recordingGroup") ? r["recordingGroup"] : json::object();
    json row = {{"name", name},
                {"role_arn", NullIfEmpty(StringOr(r, "roleARN"))},
                {"all_supported", BoolOr(group, "allSupported")},
                {"include_global_resource_types", BoolOr(group, "includeGlobalResourceTypes")}};
    if (status.ok()) {
      for (const auto& st : ArrayOrEmpty(*status, "ConfigurationRecordersStatus")) {
        if (StringOr(st, "name") != name) continue;
        row["recording"] = BoolOr(st, "recording");
        row["last_status"] = NullIfEmpty(StringOr(st, "lastStatus"));
        r["Status"] = st;
      }
    }
    ctx.Put("aws_config_configuration_recorder", region, row, r);
  }
  return ok;
}

void AddConfigTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"config " + r + " recorders", [r](CollectContext& c) { return Recorders(c, r); }});
}

}  // namespace

ServiceSpec service::config() {
  using T = snapshot::ColumnType;
  return {"config",
          Scope::kRegional,
          AddConfigTasks,
          {{"aws_config_configuration_recorder",
            "config:DescribeConfigurationRecorders with their status; no row = no recorder.",
            {{"name", T::kText, ""},
             {"role_arn", T::kText, ""},
             {"all_supported", T::kBoolean, "records every supported resource type"},
             {"include_global_resource_types", T::kBoolean, ""},
             {"recording", T::kBoolean, "from DescribeConfigurationRecorderStatus",
              "config:DescribeConfigurationRecorderStatus"},
             {"last_status", T::kText, "SUCCESS, FAILURE or PENDING",
              "config:DescribeConfigurationRecorderStatus"}},
            {"config:DescribeConfigurationRecorders"},
            "name"}}};
}

}  // namespace bulwark::collect
