// GuardDuty, per region: detectors and their status. No detector = GuardDuty is off there.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::StringOr;
using nlohmann::json;

bool Detector(CollectContext& ctx, const std::string& region, const std::string& id) {
  Result<json> d = ctx.client.RestJson("guardduty", region, "GET", "/detector/" + id);
  if (!ctx.Check(d.status(), "guardduty", "GetDetector", region, id)) return false;
  json row = {
      {"detector_id", id},
      {"status", StringOr(*d, "status")},
      {"finding_publishing_frequency", NullIfEmpty(StringOr(*d, "findingPublishingFrequency"))},
      {"created_at", NullIfEmpty(StringOr(*d, "createdAt"))},
      {"data_sources", d->value("dataSources", json())}};
  json raw = *d;
  raw["detectorId"] = id;
  ctx.Put("aws_guardduty_detector", region, row, raw);
  return true;
}

bool Detectors(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateRestJson(
      "guardduty", region, "/detector", {{"maxResults", "50"}}, "nextToken", "nextToken",
      [&](const json& page) {
        for (const auto& id : ArrayOrEmpty(page, "detectorIds")) {
          std::string detector = id.get<std::string>();
          ctx.spawn(
              {"guardduty " + region + " detector " + detector,
               [region, detector](CollectContext& c) { return Detector(c, region, detector); }});
        }
      });
  return ctx.Check(s, "guardduty", "ListDetectors", region);
}

void AddGuardDutyTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"guardduty " + r + " detectors", [r](CollectContext& c) { return Detectors(c, r); }});
}

}  // namespace

ServiceSpec service::guardduty() {
  using T = snapshot::ColumnType;
  return {"guardduty",
          Scope::kRegional,
          AddGuardDutyTasks,
          {{"aws_guardduty_detector",
            "guardduty:ListDetectors and GetDetector; no row in a region = GuardDuty off there.",
            {{"detector_id", T::kText, ""},
             {"status", T::kText, "ENABLED or DISABLED"},
             {"finding_publishing_frequency", T::kText, ""},
             {"created_at", T::kTimestamp, ""},
             {"data_sources", T::kJson, ""}},
            {"guardduty:ListDetectors", "guardduty:GetDetector"},
            "detector_id"}}};
}

}  // namespace bulwark::collect
