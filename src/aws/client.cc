#include "aws/client.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <random>
#include <thread>

#include "aws/sigv4.h"
#include "aws/xml_json.h"
#include "util/strings.h"

namespace bulwark::aws {

using nlohmann::json;

namespace {

double DefaultRandom01() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Everything of the endpoint URL after the host, e.g. a path prefix of a proxy.
std::string PathPrefixOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t slash = url.find('/', start);
  return slash == std::string::npos ? "" : url.substr(slash);
}

bool IsDnsCompatibleBucket(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

AwsClient::AwsClient(HttpClient& http, CredentialProvider& credentials, ClientOptions options)
    : http_(http), credentials_(credentials), options_(std::move(options)) {
  if (!options_.sleep) {
    options_.sleep = [](double s) {
      std::this_thread::sleep_for(std::chrono::duration<double>(s));
    };
  }
  if (!options_.random01) options_.random01 = DefaultRandom01;
  if (!options_.now) options_.now = [] { return std::time(nullptr); };
  if (options_.retry.max_attempts < 1) options_.retry.max_attempts = 1;
}

Semaphore& AwsClient::ServiceLimit(const std::string& key) {
  std::lock_guard<std::mutex> lock(limits_mu_);
  auto& slot = limits_[key];
  if (!slot) slot = std::make_unique<Semaphore>(std::max(1, options_.max_concurrent_per_service));
  return *slot;
}

namespace {

// Where a request goes: scheme, host (with an S3 bucket's virtual-host prefix) and the
// endpoint's own path prefix (an AWS-compatible endpoint may live below a path).
struct Target {
  std::string scheme;
  std::string host;
  std::string path_prefix;
};

Target TargetOf(const std::string& endpoint, const std::string& host_prefix) {
  Target t;
  t.scheme = endpoint.substr(0, endpoint.find("://"));
  t.host = HostOf(endpoint);
  if (!host_prefix.empty()) t.host = host_prefix + "." + t.host;
  t.path_prefix = PathPrefixOf(endpoint);
  return t;
}

HttpRequest SignedHttpRequest(const ServiceInfo& svc, const std::string& signing_region,
                              const Target& target, const ApiRequest& request,
                              const Credentials& creds, std::time_t now) {
  SignableRequest sreq;
  sreq.method = request.method;
  sreq.path = target.path_prefix + request.path;
  if (sreq.path.empty()) sreq.path = "/";
  sreq.query = request.query;
  sreq.headers = request.headers;
  sreq.headers.emplace_back("Host", target.host);
  sreq.body = request.body;
  SigningParams params;
  params.region = signing_region;
  params.service = std::string(svc.id);
  params.time = now;
  params.normalize_path = svc.id != "s3";  // S3 signs the path as sent
  params.add_content_sha256_header = svc.id == "s3";
  SignRequest(sreq, creds, params);

  HttpRequest hreq;
  hreq.method = sreq.method;
  hreq.url = target.scheme + "://" + target.host + sreq.path +
             (sreq.query.empty() ? "" : "?" + sreq.query);
  hreq.headers = std::move(sreq.headers);
  hreq.body = std::move(sreq.body);
  return hreq;
}

}  // namespace

Result<HttpResponse> AwsClient::Send(const ServiceInfo& svc, const std::string& region,
                                     const ApiRequest& request, const std::string& operation,
                                     const std::string& host_prefix) {
  const std::string signing_region = SigningRegion(svc, region);
  const Target target = TargetOf(ResolveEndpoint(svc, region, options_.endpoint_url), host_prefix);
  const std::string where = fmt::format("{}:{} in {}", svc.id, operation, region);

  // AWS throttles per account, service and region, so that is the unit of the limit.
  Semaphore& limit = ServiceLimit(std::string(svc.id) + "/" + signing_region);
  int retry_cost = 0;
  Status last;
  for (int attempt = 0; attempt < options_.retry.max_attempts; ++attempt) {
    if (attempt > 0) {
      retry_cost = quota_.Acquire(last);
      if (retry_cost == 0) break;  // retry quota exhausted: give up on this error
      stats_.retries++;
      options_.sleep(BackoffSeconds(attempt - 1, options_.random01(), options_.retry));
    }
    // Asked on every attempt: temporary credentials may have been refreshed meanwhile.
    Result<Credentials> creds = credentials_.GetCredentials();
    if (!creds.ok()) {
      if (creds.status().code() == Status::Code::kAws) return creds.status();  // names its call
      return Status::InvalidArgument(
          fmt::format("{}: no credentials: {}", where, creds.status().message()));
    }
    HttpRequest hreq =
        SignedHttpRequest(svc, signing_region, target, request, *creds, options_.now());
    stats_.calls++;
    limit.Acquire();
    Result<HttpResponse> resp = http_.Send(hreq);
    limit.Release();
    if (resp.ok() && resp->status < 300) {
      quota_.OnSuccess(retry_cost);
      return resp;
    }
    last = resp.ok() ? ParseErrorResponse(svc, *resp) : resp.status();
    if (IsThrottlingError(last) || last.http_status() == 429) stats_.throttled++;
    if (!IsRetryableError(last)) break;
  }
  if (last.code() == Status::Code::kAws) {
    return Status::Aws(last.aws_code(), fmt::format("{}: {}", where, last.message()),
                       last.http_status());
  }
  return Status::Network(fmt::format("{}: {}", where, last.message()));
}

Result<json> AwsClient::Query(const std::string& service, const std::string& region,
                              const std::string& action, const QueryParams& params) {
  const ServiceInfo& svc = LookupService(service);
  Result<HttpResponse> resp = Send(svc, region, BuildQueryRequest(svc, action, params), action);
  if (!resp.ok()) return resp.status();
  Result<json> doc = ParseSuccessResponse(svc, *resp);
  if (!doc.ok()) {
    return Status::Parse(
        fmt::format("{}:{} in {}: {}", service, action, region, doc.status().message()));
  }
  return doc;
}

Result<json> AwsClient::Json(const std::string& service, const std::string& region,
                             const std::string& operation, const json& input) {
  const ServiceInfo& svc = LookupService(service);
  Result<HttpResponse> resp = Send(svc, region, BuildJsonRequest(svc, operation, input), operation);
  if (!resp.ok()) return resp.status();
  Result<json> doc = ParseSuccessResponse(svc, *resp);
  if (!doc.ok()) {
    return Status::Parse(
        fmt::format("{}:{} in {}: {}", service, operation, region, doc.status().message()));
  }
  return doc;
}

Result<json> AwsClient::RestJson(const std::string& service, const std::string& region,
                                 const std::string& method, const std::string& path,
                                 const QueryParams& query) {
  const ServiceInfo& svc = LookupService(service);
  std::string operation = method + " " + path;
  Result<HttpResponse> resp = Send(svc, region, BuildRestRequest(method, path, query), operation);
  if (!resp.ok()) return resp.status();
  Result<json> doc = ParseSuccessResponse(svc, *resp);
  if (!doc.ok()) {
    return Status::Parse(
        fmt::format("{}:{} in {}: {}", service, operation, region, doc.status().message()));
  }
  return doc;
}

Result<std::string> AwsClient::RestXml(const std::string& service, const std::string& region,
                                       const std::string& method, const std::string& path,
                                       const QueryParams& query, const std::string& bucket) {
  const ServiceInfo& svc = LookupService(service);
  std::string full_path = path;
  std::string host_prefix;
  if (!bucket.empty()) {
    if (options_.endpoint_url.empty() && IsDnsCompatibleBucket(bucket)) {
      host_prefix = bucket;
    } else {
      full_path = "/";  // appended: GCC 12 -O2 reports a false -Wrestrict on "/" + ...
      full_path += UriEncode(bucket);
      if (path != "/") full_path += path;
    }
  }
  std::string operation = method + " " + (bucket.empty() ? "" : bucket) + path;
  if (!query.empty()) operation += "?" + query.front().first;
  Result<HttpResponse> resp =
      Send(svc, region, BuildRestRequest(method, full_path, query), operation, host_prefix);
  if (!resp.ok()) return resp.status();
  return std::move(resp->body);
}

namespace {

// The next-page token of a response, or "" when it is the last page.
std::string NextToken(const json& page, const std::string& output_token) {
  if (page.contains("IsTruncated") && !BoolOr(page, "IsTruncated")) return "";
  if (page.contains("Truncated") && !BoolOr(page, "Truncated")) return "";
  return StringOr(page, output_token);
}

}  // namespace

// Every token family pages the same way: call with the token, hand over the page, take
// the next token; a token seen twice ends the loop (some services repeat the last one).
Status AwsClient::Paginate(const std::function<Result<json>(const std::string& token)>& call,
                           const std::string& output_token, const Page& page) {
  std::string token;
  std::string previous;
  do {
    Result<json> doc = call(token);
    if (!doc.ok()) return doc.status();
    page(*doc);
    previous = token;
    token = NextToken(*doc, output_token);
  } while (!token.empty() && token != previous);
  return Status::Ok();
}

Status AwsClient::PaginateQuery(const std::string& service, const std::string& region,
                                const std::string& action, const QueryParams& params,
                                const std::string& input_token, const std::string& output_token,
                                const Page& page) {
  return Paginate(
      [&](const std::string& token) {
        QueryParams p = params;
        if (!token.empty()) p.emplace_back(input_token, token);
        return Query(service, region, action, p);
      },
      output_token, page);
}

Status AwsClient::PaginateJson(const std::string& service, const std::string& region,
                               const std::string& operation, const json& input,
                               const std::string& input_token, const std::string& output_token,
                               const Page& page) {
  return Paginate(
      [&](const std::string& token) {
        json body = input;
        if (!token.empty()) body[input_token] = token;
        return Json(service, region, operation, body);
      },
      output_token, page);
}

Status AwsClient::PaginateRestJson(const std::string& service, const std::string& region,
                                   const std::string& path, const QueryParams& query,
                                   const std::string& input_token, const std::string& output_token,
                                   const Page& page) {
  return Paginate(
      [&](const std::string& token) {
        QueryParams q = query;
        if (!token.empty()) q.emplace_back(input_token, token);
        return RestJson(service, region, "GET", path, q);
      },
      output_token, page);
}

}  // namespace bulwark::aws
