// ACM, per region: certificates with expiry, type and where they are used.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::StringOr;
using nlohmann::json;

bool Certificate(CollectContext& ctx, const std::string& region, const std::string& arn) {
  Result<json> doc =
      ctx.client.Json("acm", region, "DescribeCertificate", {{"CertificateArn", arn}});
  if (!ctx.Check(doc.status(), "acm", "DescribeCertificate", region)) return false;
  const json c = doc->value("Certificate", json::object());
  json row = {{"certificate_arn", arn},
              {"domain_name", StringOr(c, "DomainName")},
              {"status", StringOr(c, "Status")},
              {"type", StringOr(c, "Type")},
              {"key_algorithm", NullIfEmpty(StringOr(c, "KeyAlgorithm"))},
              {"not_after", TimestampValue(c.value("NotAfter", json()))},
              {"in_use_by", ArrayOrEmpty(c, "InUseBy")},
              {"renewal_eligibility", NullIfEmpty(StringOr(c, "RenewalEligibility"))}};
  ctx.Put("aws_acm_certificate", region, row, c);
  return true;
}

bool Certificates(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateJson(
      "acm", region, "ListCertificates", json::object(), "NextToken", "NextToken",
      [&](const json& page) {
        for (const auto& c : ArrayOrEmpty(page, "CertificateSummaryList")) {
          std::string arn = StringOr(c, "CertificateArn");
          ctx.spawn({"acm " + region + " certificate " + arn,
                     [region, arn](CollectContext& c2) { return Certificate(c2, region, arn); }});
        }
      });
  return ctx.Check(s, "acm", "ListCertificates", region);
}

void AddAcmTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"acm " + r + " certificates", [r](CollectContext& c) { return Certificates(c, r); }});
}

}  // namespace

ServiceSpec service::acm() {
  using T = snapshot::ColumnType;
  return {"acm",
          Scope::kRegional,
          AddAcmTasks,
          {{"aws_acm_certificate",
            "acm:ListCertificates and DescribeCertificate.",
            {{"certificate_arn", T::kText, ""},
             {"domain_name", T::kText, ""},
             {"status", T::kText, ""},
             {"type", T::kText, "AMAZON_ISSUED or IMPORTED"},
             {"key_algorithm", T::kText, ""},
             {"not_after", T::kTimestamp, ""},
             {"in_use_by", T::kJson, ""},
             {"renewal_eligibility", T::kText, ""}},
            {"acm:ListCertificates", "acm:DescribeCertificate"},
            "certificate_arn"}}};
}

}  // namespace bulwark::collect
