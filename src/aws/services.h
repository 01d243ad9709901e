// The AWS services bulwark talks to, declared as data: protocol, API version, JSON target
// prefix, endpoint prefix and whether the endpoint is global. Endpoint resolution too.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::aws {

enum class Protocol { kQuery, kEc2, kJson, kRestJson, kRestXml };

struct ServiceInfo {
  std::string_view id;  // our name, also the SigV4 signing name
  Protocol protocol;
  std::string_view api_version;      // query/ec2 "Version" parameter
  std::string_view target_prefix;    // json: X-Amz-Target = prefix + "." + operation
  std::string_view json_version;     // json: application/x-amz-json-<v>
  std::string_view endpoint_prefix;  // host prefix
  std::string_view global_host;      // non-empty for global services (IAM, CloudFront, ...)
};

// Throws std::out_of_range for a service bulwark does not know (a programming error).
const ServiceInfo& LookupService(std::string_view id);

// The region a request to this service is signed for (global services: us-east-1).
std::string SigningRegion(const ServiceInfo& svc, const std::string& region);

// https://{prefix}.{region}.amazonaws.com, the global host, or endpoint_override
// (--endpoint-url / AWS_ENDPOINT_URL) when non-empty. No trailing slash.
std::string ResolveEndpoint(const ServiceInfo& svc, const std::string& region,
                            const std::string& endpoint_override);

}  // namespace bulwark::aws
