#include "aws/protocol.h"

#include <pugixml.hpp>

#include "aws/xml_json.h"
#include "util/strings.h"

namespace bulwark::aws {

using nlohmann::json;

std::string EncodeForm(const QueryParams& params) {
  // application/x-www-form-urlencoded writes a space as '+', as botocore and the AWS CLI
  // send it (SigV4 signs the body's hash, so AWS takes either; moto re-encodes the form
  // that way before checking the signature).
  auto encode = [](const std::string& s) {
    std::string e = UriEncode(s), out;
    for (size_t i = 0; i < e.size(); ++i) {
      if (e.compare(i, 3, "%20") == 0) {
        out += '+';
        i += 2;
      } else {
        out += e[i];
      }
    }
    return out;
  };
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += encode(k) + "=" + encode(v);
  }
  return out;
}

ApiRequest BuildQueryRequest(const ServiceInfo& svc, const std::string& action,
                             const QueryParams& params) {
  ApiRequest req;
  QueryParams all = {{"Action", action}, {"Version", std::string(svc.api_version)}};
  all.insert(all.end(), params.begin(), params.end());
  req.body = EncodeForm(all);
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return req;
}

ApiRequest BuildJsonRequest(const ServiceInfo& svc, const std::string& operation,
                            const json& input) {
  ApiRequest req;
  // A parameter taken from another response may hold bytes that are not UTF-8.
  req.body =
      input.is_null() ? "{}" : input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  req.headers.emplace_back("Content-Type",
                           "application/x-amz-json-" + std::string(svc.json_version));
  req.headers.emplace_back("X-Amz-Target", std::string(svc.target_prefix) + "." + operation);
  return req;
}

ApiRequest BuildRestRequest(const std::string& method, const std::string& path,
                            const QueryParams& query, const std::string& body) {
  ApiRequest req;
  req.method = method;
  req.path = path;
  // S3 sub-resources (?acl, ?policy) are keys without a value.
  std::string q;
  for (const auto& [k, v] : query) {
    if (!q.empty()) q += '&';
    q += UriEncode(k);
    if (!v.empty()) {
      q += '=';  // not "=" + ...: GCC 12 -O2 reports a false -Wrestrict on that form
      q += UriEncode(v);
    }
  }
  req.query = q;
  req.body = body;
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  return req;
}

namespace {

// "aws.protocoltests#ThrottlingException:http://..." -> "ThrottlingException"
std::string CleanJsonErrorCode(std::string code) {
  size_t hash = code.rfind('#');
  if (hash != std::string::npos) code = code.substr(hash + 1);
  size_t colon = code.find(':');
  if (colon != std::string::npos) code = code.substr(0, colon);
  return Trim(code);
}

Status ParseXmlError(const HttpResponse& resp) {
  pugi::xml_document doc;
  if (!resp.body.empty() && doc.load_buffer(resp.body.data(), resp.body.size())) {
    pugi::xml_node code = doc.select_node("//Code").node();
    pugi::xml_node msg = doc.select_node("//Message").node();
    if (code) return Status::Aws(Trim(code.child_value()), Trim(msg.child_value()), resp.status);
  }
  return Status();
}

Status ParseJsonError(const HttpResponse& resp) {
  std::string code = resp.Header("x-amzn-errortype");
  std::string message;
  json doc = json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    if (code.empty()) code = StringOr(doc, "__type", StringOr(doc, "code", StringOr(doc, "Code")));
    message = StringOr(doc, "message", StringOr(doc, "Message"));
  }
  if (code.empty()) return Status();
  return Status::Aws(CleanJsonErrorCode(code), message, resp.status);
}

std::string FallbackCode(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "AccessDenied";
    case 404:
      return "NotFound";
    case 429:
      return "TooManyRequestsException";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    default:
      return "HTTP" + std::to_string(status);
  }
}

}  // namespace

Status ParseErrorResponse(const ServiceInfo& svc, const HttpResponse& resp) {
  Status s;
  bool json_protocol = svc.protocol == Protocol::kJson || svc.protocol == Protocol::kRestJson;
  // Services answer some errors in the other family's format (a gateway's XML in front of a
  // JSON service), so try both, the protocol's own first.
  s = json_protocol ? ParseJsonError(resp) : ParseXmlError(resp);
  if (s.ok()) s = json_protocol ? ParseXmlError(resp) : ParseJsonError(resp);
  if (!s.ok()) return s;
  std::string snippet = resp.body.substr(0, 200);
  return Status::Aws(FallbackCode(resp.status),
                     snippet.empty() ? "no error details in the response" : snippet, resp.status);
}

Result<json> ParseSuccessResponse(const ServiceInfo& svc, const HttpResponse& resp) {
  switch (svc.protocol) {
    case Protocol::kQuery:
      return ParseXmlResponse(resp.body, XmlDialect::kQuery, svc.id);
    case Protocol::kEc2:
      return ParseXmlResponse(resp.body, XmlDialect::kEc2, svc.id);
    case Protocol::kJson:
    case Protocol::kRestJson: {
      if (Trim(resp.body).empty()) return json::object();
      json doc = json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
      if (doc.is_discarded()) return Status::Parse("response is not valid JSON");
      return doc;
    }
    case Protocol::kRestXml:
      return json{{"__xml", resp.body}};
  }
  return Status::Internal("unknown protocol");
}

}  // namespace bulwark::aws
