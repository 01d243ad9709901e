// Organizations (global): the organization the account belongs to, if any.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::StringOr;
using nlohmann::json;

bool Organization(CollectContext& ctx, const std::string& home_region) {
  Result<json> doc = ctx.client.Json("organizations", home_region, "DescribeOrganization");
  if (!doc.ok()) {
    // Not being in an organization is a fact about the account, not a failure.
    if (doc.status().aws_code() == "AWSOrganizationsNotInUseException") return true;
    return ctx.Check(doc.status(), "organizations", "DescribeOrganization", "global");
  }
  const json org = doc->value("Organization", json::object());
  json row = {{"id", StringOr(org, "Id")},
              {"arn", StringOr(org, "Arn")},
              {"master_account_id", StringOr(org, "MasterAccountId")},
              {"feature_set", StringOr(org, "FeatureSet")}};
  ctx.Put("aws_organizations_organization", "global", row, org);
  return true;
}

void AddOrganizationsTasks(const std::string& home_region, std::vector<CollectTask>& tasks) {
  const std::string& r = home_region;
  tasks.push_back(
      {"organizations organization", [r](CollectContext& c) { return Organization(c, r); }});
}

}  // namespace

ServiceSpec service::organizations() {
  using T = snapshot::ColumnType;
  return {"organizations",
          Scope::kGlobal,
          AddOrganizationsTasks,
          {{"aws_organizations_organization",
            "organizations:DescribeOrganization; no row when the account is in no organization.",
            {{"id", T::kText, ""},
             {"arn", T::kText, ""},
             {"master_account_id", T::kText, ""},
             {"feature_set", T::kText, "ALL or CONSOLIDATED_BILLING"}},
            {"organizations:DescribeOrganization"},
            "id"}}};
}

}  // namespace bulwark::collect
