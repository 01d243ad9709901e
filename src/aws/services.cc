#include "aws/services.h"

#include <array>
#include <stdexcept>

#include "util/strings.h"

namespace bulwark::aws {
namespace {

constexpr std::array kServices = {
    ServiceInfo{"sts", Protocol::kQuery, "2011-06-15", "", "", "sts", ""},
    ServiceInfo{"iam", Protocol::kQuery, "2010-05-08", "", "", "iam", "iam.amazonaws.com"},
    ServiceInfo{"ec2", Protocol::kEc2, "2016-11-15", "", "", "ec2", ""},
    ServiceInfo{"rds", Protocol::kQuery, "2014-10-31", "", "", "rds", ""},
    ServiceInfo{"elasticloadbalancing", Protocol::kQuery, "2015-12-01", "", "",
                "elasticloadbalancing", ""},
    ServiceInfo{"sns", Protocol::kQuery, "2010-03-31", "", "", "sns", ""},
    ServiceInfo{"monitoring", Protocol::kQuery, "2010-08-01", "", "", "monitoring", ""},
    ServiceInfo{"redshift", Protocol::kQuery, "2012-12-01", "", "", "redshift", ""},
    ServiceInfo{"cloudtrail", Protocol::kJson, "",
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "1.1", "cloudtrail", ""},
    ServiceInfo{"kms", Protocol::kJson, "", "TrentService", "1.1", "kms", ""},
    ServiceInfo{"logs", Protocol::kJson, "", "Logs_20140328", "1.1", "logs", ""},
    ServiceInfo{"config", Protocol::kJson, "", "StarlingDoveService", "1.1", "config", ""},
    ServiceInfo{"organizations", Protocol::kJson, "", "AWSOrganizationsV20161128", "1.1",
                "organizations", "organizations.us-east-1.amazonaws.com"},
    ServiceInfo{"acm", Protocol::kJson, "", "CertificateManager", "1.1", "acm", ""},
    ServiceInfo{"ssm", Protocol::kJson, "", "AmazonSSM", "1.1", "ssm", ""},
    ServiceInfo{"wafv2", Protocol::kJson, "", "AWSWAF_20190729", "1.1", "wafv2", ""},
    ServiceInfo{"sqs", Protocol::kJson, "", "AmazonSQS", "1.0", "sqs", ""},
    ServiceInfo{"ecr", Protocol::kJson, "", "AmazonEC2ContainerRegistry_V20150921", "1.1",
                "api.ecr", ""},
    ServiceInfo{"secretsmanager", Protocol::kJson, "", "secretsmanager", "1.1", "secretsmanager",
                ""},
    ServiceInfo{"dynamodb", Protocol::kJson, "", "DynamoDB_20120810", "1.0", "dynamodb", ""},
    ServiceInfo{"guardduty", Protocol::kRestJson, "", "", "", "guardduty", ""},
    ServiceInfo{"securityhub", Protocol::kRestJson, "", "", "", "securityhub", ""},
    ServiceInfo{"access-analyzer", Protocol::kRestJson, "", "", "", "access-analyzer", ""},
    ServiceInfo{"lambda", Protocol::kRestJson, "", "", "", "lambda", ""},
    ServiceInfo{"eks", Protocol::kRestJson, "", "", "", "eks", ""},
    ServiceInfo{"elasticfilesystem", Protocol::kRestJson, "", "", "", "elasticfilesystem", ""},
    // IAM Identity Center's portal: bearer-token calls, never signed.
    ServiceInfo{"sso", Protocol::kRestJson, "", "", "", "portal.sso", ""},
    ServiceInfo{"s3", Protocol::kRestXml, "", "", "", "s3", ""},
    ServiceInfo{"cloudfront", Protocol::kRestXml, "", "", "", "cloudfront",
                "cloudfront.amazonaws.com"},
};

}  // namespace

const ServiceInfo& LookupService(std::string_view id) {
  for (const auto& s : kServices) {
    if (s.id == id) return s;
  }
  throw std::out_of_range("unknown AWS service: " + std::string(id));
}

std::string SigningRegion(const ServiceInfo& svc, const std::string& region) {
  return svc.global_host.empty() ? region : "us-east-1";
}

std::string ResolveEndpoint(const ServiceInfo& svc, const std::string& region,
                            const std::string& endpoint_override) {
  if (!endpoint_override.empty()) {
    std::string url = endpoint_override;
    while (EndsWith(url, "/")) url.pop_back();
    return url;
  }
  if (!svc.global_host.empty()) return "https://" + std::string(svc.global_host);
  std::string suffix = StartsWith(region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return "https://" + std::string(svc.endpoint_prefix) + "." + region + "." + suffix;
}

}  // namespace bulwark::aws
