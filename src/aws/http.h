// HTTP transport. HttpClient is an interface so tests can script responses; the real one
// is CurlHttpClient (libcurl, keep-alive connection reuse per thread).
#pragma once

#include <map>
#include <string>

#include "aws/sigv4.h"
#include "util/status.h"

namespace bulwark::aws {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // scheme://host[:port]/path?query
  HeaderList headers;
  std::string body;
  long timeout_ms = 60000;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Fails only for transport errors (DNS, connect, timeout); any HTTP status is a response.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient();
  Result<HttpResponse> Send(const HttpRequest& request) override;
};

// "https://host/path" without the query string, for error messages.
std::string UrlForDisplay(const std::string& url);

}  // namespace bulwark::aws
