// IAM Access Analyzer, per region: the analyzers. None in a region = nobody is told there
// when a resource is shared outside the account or organization.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::StringOr;
using nlohmann::json;

bool Analyzers(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateRestJson(
      "access-analyzer", region, "/analyzer", {{"maxResults", "100"}}, "nextToken", "nextToken",
      [&](const json& page) {
        for (const auto& a : ArrayOrEmpty(page, "analyzers")) {
          json row = {{"name", StringOr(a, "name")},
                      {"arn", StringOr(a, "arn")},
                      {"type", StringOr(a, "type")},
                      {"status", StringOr(a, "status")},
                      {"created_at", TimestampValue(a.value("createdAt", json()))}};
          ctx.Put("aws_accessanalyzer_analyzer", region, row, a);
        }
      });
  return ctx.Check(s, "access-analyzer", "ListAnalyzers", region);
}

void AddAccessAnalyzerTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"access-analyzer " + r + " analyzers", [r](CollectContext& c) { return Analyzers(c, r); }});
}

}  // namespace

ServiceSpec service::accessanalyzer() {
  using T = snapshot::ColumnType;
  return {"accessanalyzer",
          Scope::kRegional,
          AddAccessAnalyzerTasks,
          {{"aws_accessanalyzer_analyzer",
            "access-analyzer:ListAnalyzers, per region.",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"type", T::kText, "ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ..."},
             {"status", T::kText, "ACTIVE, CREATING, DISABLED or FAILED"},
             {"created_at", T::kTimestamp, ""}},
            {"access-analyzer:ListAnalyzers"},
            "name"}}};
}

}  // namespace bulwark::collect
