// Security Hub, per region: whether the account is subscribed (DescribeHub).
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Hub(CollectContext& ctx, const std::string& region) {
  Result<json> hub = ctx.client.RestJson("securityhub", region, "GET", "/accounts");
  if (!hub.ok()) {
    // "not subscribed" is the answer for a region where Security Hub is off: a fact.
    const Status& s = hub.status();
    bool not_subscribed = s.aws_code() == "InvalidAccessException" &&
                          s.message().find("not subscribed") != std::string::npos;
    if (!not_subscribed) return ctx.Check(s, "securityhub", "DescribeHub", region);
    ctx.Put("aws_securityhub_hub", region, {{"enabled", false}}, json::object());
    return true;
  }
  json row = {{"hub_arn", StringOr(*hub, "HubArn")},
              {"enabled", true},
              {"subscribed_at", NullIfEmpty(StringOr(*hub, "SubscribedAt"))},
              {"auto_enable_controls", BoolOr(*hub, "AutoEnableControls")}};
  ctx.Put("aws_securityhub_hub", region, row, *hub);
  return true;
}

void AddSecurityHubTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"securityhub " + r + " hub", [r](CollectContext& c) { return Hub(c, r); }});
}

}  // namespace

ServiceSpec service::securityhub() {
  using T = snapshot::ColumnType;
  return {"securityhub",
          Scope::kRegional,
          AddSecurityHubTasks,
          {{"aws_securityhub_hub",
            "securityhub:DescribeHub, one row per region (enabled false when not subscribed).",
            {{"hub_arn", T::kText, ""},
             {"enabled", T::kBoolean, ""},
             {"subscribed_at", T::kTimestamp, ""},
             {"auto_enable_controls", T::kBoolean, ""}},
            {"securityhub:DescribeHub"},
            ""}}};
}

}  // namespace bulwark::collect
