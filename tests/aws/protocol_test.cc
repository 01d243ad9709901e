// Request building and response/error parsing for each AWS protocol, on bodies shaped as
// the AWS API reference and botocore's models define them (several taken from
// ../shared/fixtures/aws-recorded).
#include "aws/protocol.h"

#include <gtest/gtest.h>

#include "support/fixtures.h"

namespace bulwark::aws {
namespace {

using nlohmann::json;

HttpResponse Response(int status, std::string body,
                      std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

std::string HeaderValue(const ApiRequest& req, const std::string& name) {
  for (const auto& [k, v] : req.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(QueryProtocol, BuildsAFormPostWithActionAndVersion) {
  ApiRequest req = BuildQueryRequest(LookupService("iam"), "ListAccessKeys",
                                     {{"UserName", "ops admin"}, {"Marker", "a/b+c="}});
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/");
  EXPECT_EQ(req.body,
            "Action=ListAccessKeys&Version=2010-05-08&UserName=ops+admin&Marker=a%2Fb%2Bc%3D");
  EXPECT_EQ(HeaderValue(req, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
}

TEST(Ec2Protocol, UsesItsOwnApiVersion) {
  ApiRequest req =
      BuildQueryRequest(LookupService("ec2"), "DescribeRegions", {{"AllRegions", "true"}});
  EXPECT_EQ(req.body, "Action=DescribeRegions&Version=2016-11-15&AllRegions=true");
}

TEST(JsonProtocol, SetsTargetAndContentType) {
  ApiRequest req = BuildJsonRequest(LookupService("kms"), "ListKeys", {{"Limit", 1000}});
  EXPECT_EQ(HeaderValue(req, "X-Amz-Target"), "TrentService.ListKeys");
  EXPECT_EQ(HeaderValue(req, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(req.body, R"({"Limit":1000})");
  ApiRequest ct = BuildJsonRequest(LookupService("cloudtrail"), "DescribeTrails", json::object());
  EXPECT_EQ(HeaderValue(ct, "X-Amz-Target"),
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails");
  EXPECT_EQ(ct.body, "{}");
}

TEST(RestProtocols, SubresourcesAreKeysWithoutValues) {
  ApiRequest req = BuildRestRequest("GET", "/bucket", {{"acl", ""}});
  EXPECT_EQ(req.query, "acl");
  ApiRequest paged =
      BuildRestRequest("GET", "/detector", {{"maxResults", "50"}, {"nextToken", "a b"}});
  EXPECT_EQ(paged.query, "maxResults=50&nextToken=a%20b");
}

TEST(Endpoints, RegionalGlobalAndOverridden) {
  EXPECT_EQ(ResolveEndpoint(LookupService("ec2"), "eu-west-1", ""),
            "https://ec2.eu-west-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(LookupService("iam"), "eu-west-1", ""), "https://iam.amazonaws.com");
  EXPECT_EQ(SigningRegion(LookupService("iam"), "eu-west-1"), "us-east-1");
  EXPECT_EQ(SigningRegion(LookupService("cloudfront"), "ap-south-1"), "us-east-1");
  EXPECT_EQ(ResolveEndpoint(LookupService("organizations"), "eu-west-1", ""),
            "https://organizations.us-east-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(LookupService("sts"), "eu-west-1", ""),
            "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(LookupService("s3"), "cn-north-1", ""),
            "https://s3.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(ResolveEndpoint(LookupService("kms"), "eu-west-1", "http://127.0.0.1:4566/"),
            "http://127.0.0.1:4566");
  EXPECT_THROW(LookupService("nosuchservice"), std::out_of_range);
}

TEST(ErrorParsing, QueryErrorResponse) {
  Status s = ParseErrorResponse(
      LookupService("iam"),
      Response(403,
               "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
               "<Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/x "
               "is not authorized to perform: iam:ListUsers</Message></Error><RequestId>r"
               "</RequestId></ErrorResponse>"));
  EXPECT_EQ(s.aws_code(), "AccessDenied");
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_NE(s.message().find("iam:ListUsers"), std::string::npos);
}

TEST(ErrorParsing, Ec2ErrorResponse) {
  Status s = ParseErrorResponse(
      LookupService("ec2"),
      Response(400,
               "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request "
               "limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>"));
  EXPECT_EQ(s.aws_code(), "RequestLimitExceeded");
  EXPECT_EQ(s.message(), "Request limit exceeded.");
}

TEST(ErrorParsing, JsonTypeWithNamespaceAndHeader) {
  Status s = ParseErrorResponse(
      LookupService("kms"),
      Response(
          400,
          R"({"__type":"com.amazonaws.kms#NotFoundException","message":"Key 'x' does not exist"})"));
  EXPECT_EQ(s.aws_code(), "NotFoundException");
  EXPECT_EQ(s.message(), "Key 'x' does not exist");
  Status h = ParseErrorResponse(
      LookupService("guardduty"),
      Response(400, R"({"message":"bad"})",
               {{"x-amzn-errortype", "BadRequestException:http://internal.amazon.com/"}}));
  EXPECT_EQ(h.aws_code(), "BadRequestException");
}

TEST(ErrorParsing, RestXmlS3Error) {
  Status s = ParseErrorResponse(
      LookupService("s3"),
      Response(404,
               "<?xml version=\"1.0\"?><Error><Code>NoSuchBucketPolicy</Code><Message>The "
               "bucket policy does not exist</Message><BucketName>b</BucketName></Error>"));
  EXPECT_EQ(s.aws_code(), "NoSuchBucketPolicy");
}

TEST(ErrorParsing, BodylessAndForeignBodies) {
  Status head = ParseErrorResponse(LookupService("s3"), Response(403, ""));
  EXPECT_EQ(head.aws_code(), "AccessDenied");
  Status html = ParseErrorResponse(LookupService("kms"), Response(503, "<html>busy</html>"));
  EXPECT_EQ(html.aws_code(), "ServiceUnavailable");
  EXPECT_EQ(html.http_status(), 503);
}

TEST(ErrorParsing, RecordedErrorsOfEveryProtocol) {
  namespace fs = std::filesystem;
  fs::path dir = bulwark::testing::SharedFixtures() / "aws-recorded";
  BULWARK_REQUIRE_FIXTURE(dir);
  struct Case {
    const char* file;
    const char* service;
    const char* code;
  } cases[] = {
      {"iam/0107-ListUsers.json", "iam", "SignatureDoesNotMatch"},
      {"ec2/0108-DescribeVpcs.json", "ec2", "AuthFailure"},
      {"kms/0110-ListKeys.json", "kms", "SignatureDoesNotMatch"},
      {"s3/0109-GET.json", "s3", "SignatureDoesNotMatch"},
      {"s3/0077-GET.json", "s3", "NoSuchPublicAccessBlockConfiguration"},
      {"securityhub/0037-GET.json", "securityhub", "InvalidAccessException"},
      {"organizations/0106-DescribeOrganization.json", "organizations",
       "AWSOrganizationsNotInUseException"},
  };
  for (const auto& c : cases) {
    json doc = json::parse(bulwark::testing::ReadFile(dir / c.file));
    HttpResponse r = Response(doc["status"], doc["response_body"]);
    Status s = ParseErrorResponse(LookupService(c.service), r);
    EXPECT_EQ(s.aws_code(), c.code) << c.file;
    EXPECT_FALSE(s.message().empty()) << c.file;
  }
}

TEST(SuccessParsing, QueryResultIsUnwrapped) {
  Result<json> doc = ParseSuccessResponse(
      LookupService("sts"),
      Response(200,
               "<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>U</UserId>"
               "<Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/r</Arn>"
               "</GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId>"
               "</ResponseMetadata></GetCallerIdentityResponse>"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["Account"], "123456789012");
  EXPECT_FALSE(doc->contains("ResponseMetadata"));
}

TEST(SuccessParsing, InvalidBodiesAreParseErrors) {
  EXPECT_EQ(ParseSuccessResponse(LookupService("iam"), Response(200, "<oops")).status().code(),
            Status::Code::kParse);
  EXPECT_EQ(ParseSuccessResponse(LookupService("kms"), Response(200, "{trunc")).status().code(),
            Status::Code::kParse);
  Result<json> empty = ParseSuccessResponse(LookupService("kms"), Response(200, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_object());
}

}  // namespace
}  // namespace bulwark::aws
