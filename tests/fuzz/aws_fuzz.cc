// Fuzz target (see fuzz_main.cc): AWS responses as bulwark reads them. The first byte picks
// the service (and so the protocol: query, ec2, json, rest-json, rest-xml) and whether the
// answer is a success or an error; the rest is the body. Success bodies go through
// ParseSuccessResponse (XML to CLI-shaped JSON for the XML protocols), error bodies through
// ParseErrorResponse, and every body also through the query/EC2 XML reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/protocol.h"
#include "aws/xml_json.h"

namespace {

// As the snapshot stores a parsed document (see snapshot.cc).
std::string Stored(const nlohmann::json& doc) {
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

int FuzzAws(const uint8_t* data, size_t size) {
  using namespace bulwark;
  using namespace bulwark::aws;
  if (size == 0) return 0;
  static const char* const kServices[] = {"iam",    "ec2", "sts",        "kms",
                                          "lambda", "s3",  "cloudtrail", "eks"};
  const ServiceInfo& svc = LookupService(kServices[data[0] % 8]);
  HttpResponse resp;
  resp.status = (data[0] & 0x80) ? 400 + (data[0] & 0x0f) : 200;
  resp.headers["content-type"] =
      svc.protocol == Protocol::kJson ? "application/x-amz-json-1.1" : "text/xml";
  if (data[0] & 0x40) resp.headers["x-amzn-errortype"] = "ThrottlingException:http://x/";
  resp.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  if (resp.status >= 400) {
    Status s = ParseErrorResponse(svc, resp);
    (void)s.message();
  } else {
    Result<nlohmann::json> doc = ParseSuccessResponse(svc, resp);
    if (doc.ok()) (void)Stored(*doc);
  }
  // The XML reader with either dialect and a service's list names, whatever the protocol.
  XmlDialect dialect = (data[0] & 0x20) ? XmlDialect::kEc2 : XmlDialect::kQuery;
  Result<nlohmann::json> xml = ParseXmlResponse(resp.body, dialect, svc.id);
  if (xml.ok()) (void)Stored(*xml);
  return 0;
}
