// SNS, per region: topics with their attributes (policy, encryption) and subscriptions
// (who a CIS alarm reaches).
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

// GetTopicAttributes; the topic is kept (with NULL attributes) when the call fails.
bool Topic(CollectContext& ctx, const std::string& region, const std::string& arn) {
  json row = {{"topic_arn", arn}, {"name", arn.substr(arn.rfind(':') + 1)}};
  json raw = {{"TopicArn", arn}};
  Result<json> attrs = ctx.client.Query("sns", region, "GetTopicAttributes", {{"TopicArn", arn}});
  bool ok = ctx.Check(attrs.status(), "sns", "GetTopicAttributes", region,
                      arn.substr(arn.rfind(':') + 1));
  if (ok) {
    const json a = attrs->value("Attributes", json::object());
    json policy = json::parse(StringOr(a, "Policy"), nullptr, false);
    row["policy"] = policy.is_discarded() ? json() : policy;
    row["kms_master_key_id"] = NullIfEmpty(StringOr(a, "KmsMasterKeyId"));
    row["owner"] = NullIfEmpty(StringOr(a, "Owner"));
    raw["Attributes"] = a;
  }
  ctx.Put("aws_sns_topic", region, row, raw);
  return ok;
}

bool Topics(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "sns", region, "ListTopics", {}, "NextToken", "NextToken", [&](const json& page) {
        for (const auto& t : ArrayOrEmpty(page, "Topics")) {
          std::string arn = StringOr(t, "TopicArn");
          ctx.spawn({"sns " + region + " attributes of " + arn,
                     [region, arn](CollectContext& c) { return Topic(c, region, arn); }});
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
