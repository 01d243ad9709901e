// AwsClient: one signed, retried, concurrency-limited API call in any of the five protocols,
// plus pagination over list calls. Owned by the command that runs it; thread-safe.
#pragma once

#include <atomic>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/protocol.h"
#include "aws/retry.h"
#include "aws/services.h"
#include "util/thread_pool.h"

namespace bulwark::aws {

struct ClientOptions {
  std::string endpoint_url;  // --endpoint-url / AWS_ENDPOINT_URL; overrides every service
  RetryPolicy retry;
  int max_concurrent_per_service = 8;  // per service and region
  // Injected for tests; defaults sleep for real, draw from a PRNG and read the clock.
  std::function<void(double seconds)> sleep;
  std::function<double()> random01;
  std::function<std::time_t()> now;
};

struct ClientStats {
  std::atomic<long> calls{0};
  std::atomic<long> retries{0};
  std::atomic<long> throttled{0};
};

class AwsClient {
 public:
  using Page = std::function<void(const nlohmann::json&)>;

  AwsClient(HttpClient& http, CredentialProvider& credentials, ClientOptions options);

  // query and ec2 protocols.
  Result<nlohmann::json> Query(const std::string& service, const std::string& region,
                               const std::string& action, const QueryParams& params = {});
  // json protocol (X-Amz-Target).
  Result<nlohmann::json> Json(const std::string& service, const std::string& region,
                              const std::string& operation,
                              const nlohmann::json& input = nlohmann::json::object());
  // rest-json protocol.
  Result<nlohmann::json> RestJson(const std::string& service, const std::string& region,
                                  const std::string& method, const std::string& path,
                                  const QueryParams& query = {});
  // rest-xml protocol: returns the raw body. bucket = S3 bucket (virtual-hosted on AWS,
  // path-style under --endpoint-url).
  Result<std::string> RestXml(const std::string& service, const std::string& region,
                              const std::string& method, const std::string& path,
                              const QueryParams& query = {}, const std::string& bucket = "");

  // Pagination: calls again with input_token set to the response's output_token until the
  // response has none. Stops at the first error (pages already delivered stay delivered).
  Status PaginateQuery(const std::string& service, const std::string& region,
                       const std::string& action, const QueryParams& params,
                       const std::string& input_token, const std::string& output_token,
                       const Page& page);
  Status PaginateJson(const std::string& service, const std::string& region,
                      const std::string& operation, const nlohmann::json& input,
                      const std::string& input_token, const std::string& output_token,
                      const Page& page);
  Status PaginateRestJson(const std::string& service, const std::string& region,
                          const std::string& path, const QueryParams& query,
                          const std::string& input_token, const std::string& output_token,
                          const Page& page);

  const ClientStats& stats() const { return stats_; }
  const ClientOptions& options() const { return options_; }

 private:
  // Signs, sends and retries. The Status of a failure names service, operation and region.
  Result<HttpResponse> Send(const ServiceInfo& svc, const std::string& region,
                            const ApiRequest& request, const std::string& operation,
                            const std::string& host_prefix = "");
  Semaphore& ServiceLimit(const std::string& key);
  Status Paginate(const std::function<Result<nlohmann::json>(const std::string& token)>& call,
                  const std::string& output_token, const Page& page);

  HttpClient& http_;
  CredentialProvider& credentials_;
  ClientOptions options_;
  RetryQuota quota_;
  ClientStats stats_;
  std::mutex limits_mu_;
  std::map<std::string, std::unique_ptr<Semaphore>> limits_;
};

}  // namespace bulwark::aws
