// SNS, per region: topics with their attributes (policy, encryption) and subscriptions
// (who a CIS alarm reaches).
#include "aws/xml_json.h"
#include "collect/service.h"

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
    row["policy"] = ctx.PolicyDocument(StringOr(a, "Policy"), "sns", "GetTopicAttributes", region,
                                       arn.substr(arn.rfind(':') + 1));
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

void AddSnsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"sns " + r + " topics", [r](CollectContext& c) { return Topics(c, r); }});
}

}  // namespace

ServiceSpec service::sns() {
  using T = snapshot::ColumnType;
  return {"sns",
          Scope::kRegional,
          AddSnsTasks,
          {{"aws_sns_topic",
            "sns:ListTopics with GetTopicAttributes.",
            {{"topic_arn", T::kText, ""},
             {"name", T::kText, ""},
             {"policy", T::kJson, "access policy, decoded", "sns:GetTopicAttributes"},
             {"kms_master_key_id", T::kText, "NULL when not encrypted at rest",
              "sns:GetTopicAttributes"},
             {"owner", T::kText, "owning account", "sns:GetTopicAttributes"}},
            {"sns:ListTopics"},
            "name"},
           {"aws_sns_topic_subscription",
            "sns:ListSubscriptionsByTopic for every topic.",
            {{"subscription_arn", T::kText, "PendingConfirmation until confirmed"},
             {"topic_arn", T::kText, ""},
             {"protocol", T::kText, "email, https, sqs, lambda, ..."},
             {"endpoint", T::kText, ""},
             {"owner", T::kText, ""}},
            {"sns:ListTopics", "sns:ListSubscriptionsByTopic"},
            "subscription_arn"}}};
}

}  // namespace bulwark::collect
