// CloudFront (global): distributions with their viewer protocol policy, TLS minimum and
// origins (origin access control for S3 origins).
#include <pugixml.hpp>

#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

constexpr const char* kGlobal = "global";

// CloudFront lists are <Things><Quantity/><Items><Thing/>...</Items></Things>.
json Items(const json& wrapper) {
  return wrapper.is_object() ? ArrayOrEmpty(wrapper, "Items") : json::array();
}

bool Distributions(CollectContext& ctx) {
  std::string marker;
  do {
    aws::QueryParams query = {{"MaxItems", "100"}};
    if (!marker.empty()) query.emplace_back("Marker", marker);
    Result<std::string> body =
        ctx.client.RestXml("cloudfront", "us-east-1", "GET", "/2020-05-31/distribution", query);
    if (!ctx.Check(body.status(), "cloudfront", "ListDistributions", kGlobal)) return false;
    pugi::xml_document doc;
    if (!doc.load_buffer(body->data(), body->size())) {
      return ctx.Check(Status::Parse("cloudfront:ListDistributions: response is not valid XML"),
                       "cloudfront", "ListDistributions", kGlobal);
    }
    json list = aws::XmlToJson(doc.document_element(), aws::XmlDialect::kQuery,
                               &aws::XmlListMemberNames("cloudfront"));
    for (const auto& d : Items(list)) {
      const json behavior = d.value("DefaultCacheBehavior", json::object());
      const json cert = d.value("ViewerCertificate", json::object());
      json row = {
          {"id", StringOr(d, "Id")},
          {"arn", StringOr(d, "ARN")},
          {"domain_name", StringOr(d, "DomainName")},
          {"enabled", BoolOr(d, "Enabled")},
          {"viewer_protocol_policy", NullIfEmpty(StringOr(behavior, "ViewerProtocolPolicy"))},
          {"minimum_protocol_version", NullIfEmpty(StringOr(cert, "MinimumProtocolVersion"))},
          {"web_acl_id", NullIfEmpty(StringOr(d, "WebACLId"))},
          {"origins", Items(d.value("Origins", json()))},
          {"cache_behaviors", Items(d.value("CacheBehaviors", json()))}};
      ctx.Put("aws_cloudfront_distribution", kGlobal, row, d);
    }
    std::string next = BoolOr(list, "IsTruncated") ? StringOr(list, "NextMarker") : "";
    marker = next == marker ? "" : next;
  } while (!marker.empty());
  return true;
}

void AddCloudFrontTasks(const std::string& /*home_region*/, std::vector<CollectTask>& tasks) {
  tasks.push_back({"cloudfront distributions", [](CollectContext& c) { return Distributions(c); }});
}

}  // namespace

ServiceSpec service::cloudfront() {
  using T = snapshot::ColumnType;
  return {"cloudfront",
          Scope::kGlobal,
          AddCloudFrontTasks,
          {{"aws_cloudfront_distribution",
            "cloudfront:ListDistributions (global; region is global).",
            {{"id", T::kText, ""},
             {"arn", T::kText, ""},
             {"domain_name", T::kText, ""},
             {"enabled", T::kBoolean, ""},
             {"viewer_protocol_policy", T::kText, "of the default cache behavior"},
             {"minimum_protocol_version", T::kText, "of the viewer certificate"},
             {"web_acl_id", T::kText, ""},
             {"origins", T::kJson, ""},
             {"cache_behaviors", T::kJson, ""}},
            {"cloudfront:ListDistributions"},
            "id"}}};
}

}  // namespace bulwark::collect
