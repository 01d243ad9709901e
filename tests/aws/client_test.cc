// AwsClient against a scripted transport: signing headers, retries with backoff,
// pagination for every token family, error messages naming the call.
#include "aws/client.h"

#include <gtest/gtest.h>

#include <deque>

#include "util/strings.h"

namespace bulwark::aws {
namespace {

using nlohmann::json;

class ScriptedHttp : public HttpClient {
 public:
  struct Reply {
    int status;
    std::string body;
  };
  std::deque<Result<HttpResponse>> replies;
  std::vector<HttpRequest> sent;

  void Push(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    replies.push_back(r);
  }
  Result<HttpResponse> Send(const HttpRequest& request) override {
    sent.push_back(request);
    if (replies.empty()) return Status::Network("script exhausted");
    Result<HttpResponse> r = replies.front();
    replies.pop_front();
    return r;
  }
};

std::string Header(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (ToLower(k) == ToLower(name)) return v;
  }
  return "";
}

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() : creds_(Credentials{"AKIDTEST", "SECRETTEST", "TOKENTEST", 0, "test"}) {
    options_.sleep = [this](double s) { sleeps_.push_back(s); };
    options_.random01 = [] { return 0.5; };
    options_.now = [] { return std::time_t{1795410823}; };
  }
  AwsClient Client() { return AwsClient(http_, creds_, options_); }

  ScriptedHttp http_;
  StaticCredentialProvider creds_;
  ClientOptions options_;
  std::vector<double> sleeps_;
};

TEST_F(ClientTest, SignsAndSendsAQueryCall) {
  http_.Push(200,
             "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account>"
             "</GetCallerIdentityResult></GetCallerIdentityResponse>");
  AwsClient c = Client();
  Result<json> r = c.Query("sts", "eu-west-1", "GetCallerIdentity");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(http_.sent.size(), 1u);
  const HttpRequest& req = http_.sent[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_NE(
      Header(req, "Authorization").find("Credential=AKIDTEST/20261123/eu-west-1/sts/aws4_request"),
      std::string::npos);
  EXPECT_EQ(Header(req, "X-Amz-Security-Token"), "TOKENTEST");
  EXPECT_EQ(Header(req, "X-Amz-Date"), "20261123T051343Z");
  EXPECT_EQ(Header(req, "Authorization").find("SECRETTEST"), std::string::npos);
}

TEST_F(ClientTest, GlobalServicesAreSignedForUsEast1) {
  http_.Push(200, "<R><RResult/></R>");
  AwsClient c = Client();
  ASSERT_TRUE(c.Query("iam", "ap-south-1", "GetAccountSummary").ok());
  EXPECT_EQ(http_.sent[0].url, "https://iam.amazonaws.com/");
  EXPECT_NE(Header(http_.sent[0], "Authorization").find("/us-east-1/iam/"), std::string::npos);
}

TEST_F(ClientTest, S3CarriesContentSha256AndUsesVirtualHosts) {
  http_.Push(200, "<x/>");
  AwsClient c = Client();
  ASSERT_TRUE(c.RestXml("s3", "eu-west-1", "GET", "/", {{"acl", ""}}, "my-bucket").ok());
  EXPECT_EQ(http_.sent[0].url, "https://my-bucket.s3.eu-west-1.amazonaws.com/?acl");
  EXPECT_EQ(Header(http_.sent[0], "X-Amz-Content-Sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(ClientTest, EndpointOverrideUsesPathStyleForS3) {
  options_.endpoint_url = "http://127.0.0.1:9/";
  http_.Push(200, "<x/>");
  AwsClient c = Client();
  ASSERT_TRUE(c.RestXml("s3", "eu-west-1", "GET", "/", {{"policy", ""}}, "my.dotted.bucket").ok());
  EXPECT_EQ(http_.sent[0].url, "http://127.0.0.1:9/my.dotted.bucket?policy");
}

TEST_F(ClientTest, ThrottlingIsRetriedWithBackoff) {
  http_.Push(400,
             "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow "
             "down</Message></Error></Errors></Response>");
  http_.Push(503, "");
  http_.Push(200, "<DescribeVpcsResponse><vpcSet/></DescribeVpcsResponse>");
  AwsClient c = Client();
  Result<json> r = c.Query("ec2", "us-east-1", "DescribeVpcs");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(http_.sent.size(), 3u);
  EXPECT_EQ(sleeps_, (std::vector<double>{0.5, 1.0}));  // 0.5 * min(2^i, 20)
  EXPECT_EQ(c.stats().retries, 2);
  EXPECT_EQ(c.stats().throttled, 1);
}

TEST_F(ClientTest, GivesUpAfterMaxAttemptsAndNamesTheCall) {
  for (int i = 0; i < 3; ++i) {
    http_.Push(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
  }
  AwsClient c = Client();
  Result<json> r = c.Json("kms", "eu-west-1", "ListKeys");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(http_.sent.size(), 3u);
  EXPECT_EQ(r.status().aws_code(), "ThrottlingException");
  EXPECT_EQ(r.status().message(), "kms:ListKeys in eu-west-1: Rate exceeded");
}

TEST_F(ClientTest, AccessDeniedIsNotRetried) {
  http_.Push(403,
             "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error>"
             "</ErrorResponse>");
  AwsClient c = Client();
  Result<json> r = c.Query("iam", "us-east-1", "ListUsers");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(http_.sent.size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
  EXPECT_EQ(r.status().ToString(), "AccessDenied (HTTP 403): iam:ListUsers in us-east-1: no");
}

TEST_F(ClientTest, MaxAttemptsIsConfigurable) {
  options_.retry.max_attempts = 5;
  for (int i = 0; i < 5; ++i) http_.Push(500, "");
  AwsClient c = Client();
  EXPECT_FALSE(c.Query("iam", "us-east-1", "ListUsers").ok());
  EXPECT_EQ(http_.sent.size(), 5u);
}

TEST_F(ClientTest, PaginatesQueryWithMarkerAndIsTruncated) {
  http_.Push(200,
             "<R><RResult><Users><member><UserName>a</UserName></member></Users>"
             "<IsTruncated>true</IsTruncated><Marker>M1</Marker></RResult></R>");
  http_.Push(200,
             "<R><RResult><Users><member><UserName>b</UserName></member></Users>"
             "<IsTruncated>false</IsTruncated></RResult></R>");
  AwsClient c = Client();
  std::vector<std::string> names;
  Status s = c.PaginateQuery("iam", "us-east-1", "ListUsers", {}, "Marker", "Marker",
                             [&](const json& page) {
                               for (const auto& u : page["Users"]) names.push_back(u["UserName"]);
                             });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(http_.sent[1].body, "Action=ListUsers&Version=2010-05-08&Marker=M1");
}

TEST_F(ClientTest, PaginatesEc2WithNextToken) {
  http_.Push(200,
             "<D><securityGroupInfo><item><groupId>sg-1</groupId></item></securityGroupInfo>"
             "<nextToken>T/2</nextToken></D>");
  http_.Push(200,
             "<D><securityGroupInfo><item><groupId>sg-2</groupId></item></securityGroupInfo></D>");
  AwsClient c = Client();
  int pages = 0;
  ASSERT_TRUE(c.PaginateQuery("ec2", "us-east-1", "DescribeSecurityGroups", {{"MaxResults", "5"}},
                              "NextToken", "NextToken", [&](const json&) { ++pages; })
                  .ok());
  EXPECT_EQ(pages, 2);
  EXPECT_NE(http_.sent[1].body.find("NextToken=T%2F2"), std::string::npos);
}

TEST_F(ClientTest, PaginatesJsonWithNextMarkerAndTruncated) {
  http_.Push(200, R"({"Keys":[{"KeyId":"k1"}],"NextMarker":"n1","Truncated":true})");
  http_.Push(200, R"({"Keys":[{"KeyId":"k2"}],"NextMarker":null,"Truncated":false})");
  AwsClient c = Client();
  int keys = 0;
  ASSERT_TRUE(c.PaginateJson("kms", "us-east-1", "ListKeys", json::object(), "Marker", "NextMarker",
                             [&](const json& p) { keys += static_cast<int>(p["Keys"].size()); })
                  .ok());
  EXPECT_EQ(keys, 2);
  EXPECT_EQ(json::parse(http_.sent[1].body)["Marker"], "n1");
}

TEST_F(ClientTest, PaginatesRestJsonWithNextTokenInTheQuery) {
  http_.Push(200, R"({"detectorIds":["d1"],"nextToken":"abc"})");
  http_.Push(200, R"({"detectorIds":["d2"]})");
  AwsClient c = Client();
  int pages = 0;
  ASSERT_TRUE(c.PaginateRestJson("guardduty", "us-east-1", "/detector", {{"maxResults", "50"}},
                                 "nextToken", "nextToken", [&](const json&) { ++pages; })
                  .ok());
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(http_.sent[1].url,
            "https://guardduty.us-east-1.amazonaws.com/detector?maxResults=50&nextToken=abc");
}

TEST_F(ClientTest, ErrorOnSecondPageKeepsTheFirst) {
  http_.Push(200, R"({"logGroups":[{"logGroupName":"a"}],"nextToken":"t"})");
  http_.Push(400, R"({"__type":"AccessDeniedException","message":"denied"})");
  AwsClient c = Client();
  int groups = 0;
  Status s = c.PaginateJson(
      "logs", "us-east-1", "DescribeLogGroups", json::object(), "nextToken", "nextToken",
      [&](const json& p) { groups += static_cast<int>(p["logGroups"].size()); });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(groups, 1);
  EXPECT_EQ(s.aws_code(), "AccessDeniedException");
}

TEST_F(ClientTest, RepeatedTokenStopsPagination) {
  http_.Push(200, R"({"Items":[],"NextToken":"same"})");
  http_.Push(200, R"({"Items":[],"NextToken":"same"})");
  AwsClient c = Client();
  int pages = 0;
  ASSERT_TRUE(c.PaginateJson("ssm", "us-east-1", "DescribeParameters", json::object(), "NextToken",
                             "NextToken", [&](const json&) { ++pages; })
                  .ok());
  EXPECT_EQ(pages, 2);
}

}  // namespace
}  // namespace bulwark::aws
