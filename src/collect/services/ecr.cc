// ECR, per region: repositories with scanning, tag mutability, encryption and policy.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Repository(CollectContext& ctx, const std::string& region, const json& r) {
  std::string name = StringOr(r, "repositoryName");
  const json scan = r.value("imageScanningConfiguration", json::object());
  const json enc = r.value("encryptionConfiguration", json::object());
  json row = {{"name", name},
              {"arn", StringOr(r, "repositoryArn")},
              {"uri", StringOr(r, "repositoryUri")},
              {"image_tag_mutability", StringOr(r, "imageTagMutability")},
              {"scan_on_push", BoolOr(scan, "scanOnPush")},
              {"encryption_type", NullIfEmpty(StringOr(enc, "encryptionType"))}};
  bool ok = true;
  Result<json> policy =
      ctx.client.Json("ecr", region, "GetRepositoryPolicy", {{"repositoryName", name}});
  if (policy.ok()) {
    row["policy"] = ctx.PolicyDocument(StringOr(*policy, "policyText"), "ecr",
                                       "GetRepositoryPolicy", region, name);
  } else if (policy.status().aws_code() != "RepositoryPolicyNotFoundException") {
    ok = ctx.Check(policy.status(), "ecr", "GetRepositoryPolicy", region, name);
  }
  ctx.Put("aws_ecr_repository", region, row, r);
  return ok;
}

bool Repositories(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "ecr", region, "DescribeRepositories", {{"maxResults", 1000}}, "nextToken", "nextToken",
      [&](const json& page) {
        for (const auto& r : ArrayOrEmpty(page, "repositories")) {
          ctx.spawn({"ecr " + region + " repository " + StringOr(r, "repositoryName"),
                     [region, r](CollectContext& c) { return Repository(c, region, r); }});
        }
      });
  return ctx.Check(s, "ecr", "DescribeRepositories", region);
}

void AddEcrTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"ecr " + r + " repositories", [r](CollectContext& c) { return Repositories(c, r); }});
}

}  // namespace

ServiceSpec service::ecr() {
  using T = snapshot::ColumnType;
  return {"ecr",
          Scope::kRegional,
          AddEcrTasks,
          {{"aws_ecr_repository",
            "ecr:DescribeRepositories with GetRepositoryPolicy.",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"uri", T::kText, ""},
             {"image_tag_mutability", T::kText, "MUTABLE or IMMUTABLE"},
             {"scan_on_push", T::kBoolean, ""},
             {"encryption_type", T::kText, "AES256 or KMS"},
             {"policy", T::kJson, "repository policy, decoded; NULL when none",
              "ecr:GetRepositoryPolicy"}},
            {"ecr:DescribeRepositories"},
            "name"}}};
}

}  // namespace bulwark::collect
