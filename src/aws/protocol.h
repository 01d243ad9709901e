// Request building and response/error parsing for the five AWS protocols: query and ec2
// (form POST, XML answer), json (X-Amz-Target), rest-json and rest-xml.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "aws/http.h"
#include "aws/services.h"
#include "util/status.h"

namespace bulwark::aws {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// What the client signs and sends, before host and signing headers are added.
struct ApiRequest {
  std::string method = "POST";
  std::string path = "/";
  std::string query;  // wire-encoded, no '?'
  HeaderList headers;
  std::string body;
};

ApiRequest BuildQueryRequest(const ServiceInfo& svc, const std::string& action,
                             const QueryParams& params);
ApiRequest BuildJsonRequest(const ServiceInfo& svc, const std::string& operation,
                            const nlohmann::json& input);
ApiRequest BuildRestRequest(const std::string& method, const std::string& path,
                            const QueryParams& query, const std::string& body = "");

// A query-protocol form body: k=v&k2=v2 with SigV4's percent-encoding, spaces as '+'.
std::string EncodeForm(const QueryParams& params);

// Turns an error response into Status::Aws(code, message, http status). Works for every
// protocol's error shape; falls back to "HTTP <status>" when the body says nothing.
Status ParseErrorResponse(const ServiceInfo& svc, const HttpResponse& resp);

// Parses a successful response: XML protocols to CLI-shaped JSON, JSON protocols as is.
// rest-xml bodies are returned as {"__xml": body} for the caller to read.
Result<nlohmann::json> ParseSuccessResponse(const ServiceInfo& svc, const HttpResponse& resp);

}  // namespace bulwark::aws
