// SNS, per region: topics and their subscriptions (who a CIS alarm reaches).
#include "aws/xml_json.h"
#include "collect/context.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::StringOr;
using nlohmann::json;

bool Subscriptions(CollectContext& ctx, const std::string& region, const std::string& topic) {
  Status s = ctx.client.PaginateQuery(
      "sns", region, "ListSubscriptionsByTopic", {{"TopicArn", topic}}, "NextToken", "NextToken",
      [&](const json& page) {
        for (const auto& sub : ArrayOrEmpty(page, "Subscriptions")) {
          json row = {{"subscription_arn", StringOr(sub, "SubscriptionArn")},
                      {"topic_arn", StringOr(sub, "TopicArn", topic)},
                      {"protocol", StringOr(sub, "Protocol")},
                      {"endpoint", StringOr(sub, "Endpoint")},
                      {"owner", StringOr(sub, "Owner")}};
          ctx.Put("aws_sns_topic_subscription", region, row, sub);
        }
      });
  return ctx.Check(s, "sns", "ListSubscriptionsByTopic", region);
}

bool Topics(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "sns", region, "ListTopics", {}, "NextToken", "NextToken", [&](const json& page) {
        for (const auto& t : ArrayOrEmpty(page, "Topics")) {
          std::string arn = StringOr(t, "TopicArn");
          ctx.Put("aws_sns_topic", region,
                  {{"topic_arn", arn}, {"name", arn.substr(arn.rfind(':') + 1)}}, t);
          ctx.spawn({"sns " + region + " subscriptions of " + arn,
                     [region, arn](CollectContext& c) { return Subscriptions(c, region, arn); }});
        }
      });
  return ctx.Check(s, "sns", "ListTopics", region);
}

}  // namespace

void AddSnsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"sns " + r + " topics", [r](CollectContext& c) { return Topics(c, r); }});
}

}  // namespace bulwark::collect
