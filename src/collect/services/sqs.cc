// SQS, per region: queues with their access policy and encryption.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::StringOr;
using nlohmann::json;

bool Queue(CollectContext& ctx, const std::string& region, const std::string& url) {
  Result<json> doc = ctx.client.Json("sqs", region, "GetQueueAttributes",
                                     {{"QueueUrl", url}, {"AttributeNames", {"All"}}});
  if (!ctx.Check(doc.status(), "sqs", "GetQueueAttributes", region,
                 url.substr(url.rfind('/') + 1))) {
    return false;
  }
  const json a = doc->value("Attributes", json::object());
  const std::string name = url.substr(url.rfind('/') + 1);
  json row = {{"queue_url", url},
              {"arn", StringOr(a, "QueueArn")},
              {"name", name},
              {"policy", ctx.PolicyDocument(StringOr(a, "Policy"), "sqs", "GetQueueAttributes",
                                            region, name)},
              {"kms_master_key_id", NullIfEmpty(StringOr(a, "KmsMasterKeyId"))},
              {"sqs_managed_sse_enabled", StringOr(a, "SqsManagedSseEnabled") == "true"}};
  ctx.Put("aws_sqs_queue", region, row, {{"QueueUrl", url}, {"Attributes", a}});
  return true;
}

bool Queues(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "sqs", region, "ListQueues", {{"MaxResults", 1000}}, "NextToken", "NextToken",
      [&](const json& page) {
        for (const auto& u : ArrayOrEmpty(page, "QueueUrls")) {
          std::string url = u.get<std::string>();
          ctx.spawn({"sqs " + region + " queue " + url,
                     [region, url](CollectContext& c) { return Queue(c, region, url); }});
        }
      });
  return ctx.Check(s, "sqs", "ListQueues", region);
}

void AddSqsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"sqs " + r + " queues", [r](CollectContext& c) { return Queues(c, r); }});
}

}  // namespace

ServiceSpec service::sqs() {
  using T = snapshot::ColumnType;
  return {"sqs",
          Scope::kRegional,
          AddSqsTasks,
          {{"aws_sqs_queue",
            "sqs:ListQueues with GetQueueAttributes.",
            {{"queue_url", T::kText, ""},
             {"arn", T::kText, ""},
             {"name", T::kText, ""},
             {"policy", T::kJson, "access policy, decoded"},
             {"kms_master_key_id", T::kText, ""},
             {"sqs_managed_sse_enabled", T::kBoolean, ""}},
            {"sqs:ListQueues", "sqs:GetQueueAttributes"},
            "name"}}};
}

}  // namespace bulwark::collect
