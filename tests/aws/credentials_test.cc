// The credential chain in the AWS CLI's order, with a temporary HOME and environment:
// environment keys, profiles from both files, assume-role (external id, MFA, duration)
// through a loopback STS, credential_process, container credentials and IMDSv2.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "aws/credential_chain.h"
#include "aws/crypto.h"
#include "aws/ini.h"
#include "support/replay_server.h"

namespace bulwark::aws {
namespace {

namespace fs = std::filesystem;

class CredentialChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("bulwark-creds-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(home_ / ".aws");
    env_.vars["HOME"] = home_.string();
    env_.vars["AWS_EC2_METADATA_DISABLED"] = "true";  // never reach for a real IMDS
  }
  void TearDown() override { fs::remove_all(home_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(home_ / rel) << text;
  }
  Result<Credentials> Resolve(const std::string& profile = "", std::string endpoint = "") {
    ChainOptions o;
    o.profile = profile;
    o.env = env_;
    o.endpoint_url = std::move(endpoint);
    o.mfa_prompt = mfa_;
    chain_ = std::make_unique<CredentialChain>(o, http_);
    return chain_->GetCredentials();
  }

  fs::path home_;
  Environment env_;
  CurlHttpClient http_;
  std::function<std::optional<std::string>(const std::string&)> mfa_;
  std::unique_ptr<CredentialChain> chain_;
};

TEST(Ini, ParsesProfilesCommentsAndNestedSections) {
  IniFile f = ParseIni(
      "# comment\n[default]\nregion = eu-west-1\n; other\n[profile dev]\nrole_arn=arn:x\n"
      "s3 =\n  max_concurrent_requests = 20\nAWS_ACCESS_KEY_ID = K\r\n");
  EXPECT_EQ(f["default"]["region"], "eu-west-1");
  EXPECT_EQ(f["profile dev"]["role_arn"], "arn:x");
  EXPECT_EQ(f["profile dev"].count("max_concurrent_requests"), 0u);
  EXPECT_EQ(f["profile dev"]["aws_access_key_id"], "K");
}

TEST(Ini, MalformedLinesAreNamedByNumberNeverByText) {
  std::vector<IniProblem> problems;
  IniFile f = ParseIni(
      "orphan = 1\n[default]\nregion = eu-west-1\naws_secret_access_key SECRETVALUE\n"
      "= nothing\n[profile broken\nx = 1\n[]\n[ok]\nregion = us-east-1\n",
      &problems);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0].line, 1);
  EXPECT_NE(problems[0].message.find("before any [section]"), std::string::npos);
  EXPECT_EQ(problems[1].line, 4);
  EXPECT_NE(problems[1].message.find("not 'name = value'"), std::string::npos);
  EXPECT_EQ(problems[2].line, 5);
  EXPECT_EQ(problems[3].line, 6);
  EXPECT_NE(problems[3].message.find("closing ']'"), std::string::npos);
  EXPECT_EQ(problems[4].line, 8);
  for (const auto& p : problems) EXPECT_EQ(p.message.find("SECRET"), std::string::npos);
  EXPECT_EQ(f["default"]["region"], "eu-west-1");
  EXPECT_EQ(f["ok"]["region"], "us-east-1");
  EXPECT_EQ(f.count("profile broken"), 0u);
}

TEST_F(CredentialChainTest, AMalformedSharedFileIsRefusedNamingFileAndLine) {
  Write(".aws/credentials",
        "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key SECRETVALUE\n");
  Result<Credentials> c = Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(".aws/credentials line 3: not 'name = value'"),
            std::string::npos)
      << c.status().message();
  EXPECT_EQ(c.status().message().find("SECRETVALUE"), std::string::npos);
  Write(".aws/credentials", "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=S\n");
  Write(".aws/config", "[profile dev\nregion = eu-west-1\n");
  c = Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(".aws/config line 1: a section header without"),
            std::string::npos)
      << c.status().message();
}

TEST_F(CredentialChainTest, EnvironmentComesFirst) {
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "SECRETENV";
  env_.vars["AWS_SESSION_TOKEN"] = "TOKENENV";
  Write(".aws/credentials", "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=S\n");
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->session_token, "TOKENENV");
  EXPECT_EQ(c->source, "environment");
}

TEST_F(CredentialChainTest, ExplicitProfileBeatsEnvironment) {
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "SECRETENV";
  Write(".aws/credentials", "[prod]\naws_access_key_id=AKIDPROD\naws_secret_access_key=S\n");
  Result<Credentials> c = Resolve("prod");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "AKIDPROD");
}

TEST_F(CredentialChainTest, ProfileFromEnvironmentAndConfigFileWithRegion) {
  env_.vars["AWS_PROFILE"] = "dev";
  Write(".aws/config",
        "[profile dev]\nregion = ap-south-1\naws_access_key_id = AKIDCFG\n"
        "aws_secret_access_key = S\n");
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "AKIDCFG");
  EXPECT_EQ(chain_->DefaultRegion(), "ap-south-1");
  env_.vars["AWS_DEFAULT_REGION"] = "eu-north-1";
  Resolve();
  EXPECT_EQ(chain_->DefaultRegion(), "eu-north-1");
  env_.vars["AWS_REGION"] = "sa-east-1";
  Resolve();
  EXPECT_EQ(chain_->DefaultRegion(), "sa-east-1");
}

TEST_F(CredentialChainTest, HonoursFileLocationVariables) {
  Write("creds-elsewhere", "[default]\naws_access_key_id=AKIDELSE\naws_secret_access_key=S\n");
  env_.vars["AWS_SHARED_CREDENTIALS_FILE"] = (home_ / "creds-elsewhere").string();
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "AKIDELSE");
}

TEST_F(CredentialChainTest, UnknownProfileIsAClearError) {
  Result<Credentials> c = Resolve("nope");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("profile 'nope'"), std::string::npos);
}

TEST_F(CredentialChainTest, ChosenProfileWithoutKeysSaysSo) {
  Write(".aws/config", "[profile empty]\nregion = eu-west-1\n");
  Result<Credentials> c = Resolve("empty");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "profile 'empty' holds no credentials");
}

TEST_F(CredentialChainTest, NothingFoundSaysWhereItLooked) {
  Result<Credentials> c = Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST_F(CredentialChainTest, CredentialProcess) {
  Write("proc.sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
        "\"SPROC\", \"SessionToken\": \"TPROC\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'\n");
  fs::permissions(home_ / "proc.sh", fs::perms::owner_all);
  Write(".aws/config", "[profile p]\ncredential_process = " + (home_ / "proc.sh").string() + "\n");
  Result<Credentials> c = Resolve("p");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "AKIDPROC");
  EXPECT_EQ(c->session_token, "TPROC");
  EXPECT_EQ(c->expiration, 32472144000);
}

TEST_F(CredentialChainTest, FailingCredentialProcessDoesNotEchoItsOutput) {
  Write("bad.sh", "#!/bin/sh\necho 'SECRETLEAK'; exit 3\n");
  fs::permissions(home_ / "bad.sh", fs::perms::owner_all);
  Write(".aws/config", "[profile p]\ncredential_process = " + (home_ / "bad.sh").string() + "\n");
  Result<Credentials> c = Resolve("p");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("exited with status 3"), std::string::npos);
  EXPECT_EQ(c.status().message().find("SECRETLEAK"), std::string::npos);
}

bulwark::testing::Exchange AssumeRoleExchange() {
  bulwark::testing::Exchange e;
  e.service = "sts";
  e.region = "us-east-1";
  e.operation = "AssumeRole";
  e.request_body = "Action=AssumeRole&Version=2011-06-15";
  e.response_body =
      "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
      "<Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>assumed/secret"
      "</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>2999-01-01T00:00:00Z"
      "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>"
      "arn:aws:sts::210987654321:assumed-role/audit/s</Arn></AssumedRoleUser></AssumeRoleResult>"
      "</AssumeRoleResponse>";
  return e;
}

TEST_F(CredentialChainTest, AssumeRoleWithExternalIdMfaAndDuration) {
  bulwark::testing::ReplayServer::Options opts;
  opts.credentials = Credentials{"AKIDSOURCE", "source/secret", "", 0, "t"};
  bulwark::testing::ReplayServer sts(opts);
  sts.Add(AssumeRoleExchange());
  std::string url = sts.Start();
  Write(".aws/credentials",
        "[base]\naws_access_key_id=AKIDSOURCE\naws_secret_access_key=source/secret\n");
  Write(".aws/config",
        "[profile audit]\nrole_arn = arn:aws:iam::210987654321:role/audit\nsource_profile = base\n"
        "external_id = ext-123\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"
        "duration_seconds = 900\nrole_session_name = bulwark-test\nregion = us-east-1\n");
  std::string asked;
  mfa_ = [&](const std::string& serial) -> std::optional<std::string> {
    asked = serial;
    return std::string("123456");
  };
  Result<Credentials> c = Resolve("audit", url);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIAASSUMED");
  EXPECT_EQ(c->session_token, "assumed-token");
  EXPECT_EQ(asked, "arn:aws:iam::123456789012:mfa/me");
  auto got = sts.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].signature_ok);
  const auto& p = got[0].params;
  EXPECT_EQ(p["RoleArn"], "arn:aws:iam::210987654321:role/audit");
  EXPECT_EQ(p["ExternalId"], "ext-123");
  EXPECT_EQ(p["SerialNumber"], "arn:aws:iam::123456789012:mfa/me");
  EXPECT_EQ(p["TokenCode"], "123456");
  EXPECT_EQ(p["DurationSeconds"], "900");
  EXPECT_EQ(p["RoleSessionName"], "bulwark-test");
}

TEST_F(CredentialChainTest, AssumeRoleFailureNamesProfileAndRoleButNoSecret) {
  bulwark::testing::ReplayServer::Options opts;
  opts.credentials = Credentials{"AKIDOTHER", "other/secret", "", 0, "t"};  // signature will fail
  bulwark::testing::ReplayServer sts(opts);
  std::string url = sts.Start();
  Write(".aws/credentials",
        "[base]\naws_access_key_id=AKIDSOURCE\naws_secret_access_key=source/secret\n");
  Write(".aws/config",
        "[profile audit]\nrole_arn = arn:aws:iam::210987654321:role/audit\n"
        "source_profile = base\n");
  Result<Credentials> c = Resolve("audit", url);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().aws_code(), "SignatureDoesNotMatch");
  EXPECT_NE(c.status().message().find("profile 'audit'"), std::string::npos);
  EXPECT_NE(c.status().message().find("role/audit"), std::string::npos);
  EXPECT_EQ(c.status().message().find("source/secret"), std::string::npos);
}

TEST_F(CredentialChainTest, MfaRequiredButNoTerminal) {
  Write(".aws/credentials", "[base]\naws_access_key_id=A\naws_secret_access_key=S\n");
  Write(".aws/config",
        "[profile audit]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\n"
        "mfa_serial = arn:aws:iam::1:mfa/me\n");
  Result<Credentials> c = Resolve("audit", "http://127.0.0.1:1");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("MFA"), std::string::npos);
}

TEST_F(CredentialChainTest, SourceProfileLoopIsDetected) {
  Write(".aws/config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
        "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n");
  Result<Credentials> c = Resolve("a", "http://127.0.0.1:1");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("role chain"), std::string::npos);
}

// A loopback stand-in for the instance metadata service and the container endpoint.
class MetadataServer {
 public:
  MetadataServer() {
    server_.Put("/latest/api/token", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds").empty()) {
        res.status = 400;
        return;
      }
      res.set_content("imds-token", "text/plain");
    });
    server_.Get(R"(/latest/meta-data/iam/security-credentials/(.*))",
                [](const httplib::Request& req, httplib::Response& res) {
                  if (req.get_header_value("X-aws-ec2-metadata-token") != "imds-token") {
                    res.status = 401;
                    return;
                  }
                  if (req.matches[1].str().empty()) {
                    res.set_content("web-role\n", "text/plain");
                  } else {
                    res.set_content(
                        R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s",)"
                        R"("Token":"imds-session","Expiration":"2999-01-01T00:00:00Z"})",
                        "application/json");
                  }
                });
    server_.Get("/creds", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Authorization") != "container-auth") {
        res.status = 403;
        return;
      }
      res.set_content(R"({"AccessKeyId":"ASIAECS","SecretAccessKey":"s","Token":"ecs-session",)"
                      R"("Expiration":"2999-01-01T00:00:00Z"})",
                      "application/json");
    });
    server_.Post("/", [](const httplib::Request& req, httplib::Response& res) {
      bool ok = !req.has_header("Authorization") &&
                req.body.find("Action=AssumeRoleWithWebIdentity") != std::string::npos &&
                req.body.find("WebIdentityToken=oidc-token") != std::string::npos &&
                req.body.find("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fci") !=
                    std::string::npos;
      if (!ok) {
        res.status = 400;
        res.set_content(
            "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token"
            "</Message></Error></ErrorResponse>",
            "text/xml");
        return;
      }
      res.set_content(
          "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
          "<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>web/secret</SecretAccessKey>"
          "<SessionToken>web-session</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration>"
          "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
          "text/xml");
    });
    server_.Get("/federation/credentials", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("x-amz-sso_bearer_token") != "sso-access-token" ||
          req.get_param_value("account_id") != "111122223333" ||
          req.get_param_value("role_name") != "Audit") {
        res.status = 401;
        res.set_content(R"({"message":"Session token not found or invalid"})", "application/json");
        res.set_header("x-amzn-ErrorType", "UnauthorizedException");
        return;
      }
      res.set_content(
          R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso/secret",)"
          R"("sessionToken":"sso-session","expiration":32472144000000}})",
          "application/json");
    });
    server_.set_keep_alive_timeout(1);  // Stop() waits for idle connections to time out
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~MetadataServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(CredentialChainTest, ImdsV2) {
  MetadataServer imds;
  env_.vars.erase("AWS_EC2_METADATA_DISABLED");
  env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.url();
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->session_token, "imds-session");
}

TEST_F(CredentialChainTest, ContainerCredentialsWithAuthorizationToken) {
  MetadataServer ecs;
  env_.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ecs.url() + "/creds";
  env_.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-auth";
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIAECS");
}

TEST_F(CredentialChainTest, WebIdentityFromEnvironment) {
  MetadataServer sts;
  Write("token", "oidc-token\n");
  env_.vars["AWS_WEB_IDENTITY_TOKEN_FILE"] = (home_ / "token").string();
  env_.vars["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/ci";
  Result<Credentials> c = Resolve("", sts.url());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
  EXPECT_EQ(c->session_token, "web-session");
}

TEST_F(CredentialChainTest, WebIdentityFromProfileAndItsErrors) {
  MetadataServer sts;
  Write("token", "wrong-token");
  Write(".aws/config",
        "[profile ci]\nrole_arn = arn:aws:iam::111122223333:role/ci\n"
        "web_identity_token_file = " +
            (home_ / "token").string() + "\n");
  Result<Credentials> c = Resolve("ci", sts.url());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().aws_code(), "InvalidIdentityToken");
  EXPECT_EQ(c.status().message().find("wrong-token"), std::string::npos);
  Write("token", "oidc-token");
  c = Resolve("ci", sts.url());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
}

TEST_F(CredentialChainTest, IdentityCenterFromTheCliTokenCache) {
  MetadataServer portal;
  Write(".aws/config",
        "[profile audit]\nsso_session = corp\nsso_account_id = 111122223333\n"
        "sso_role_name = Audit\nregion = eu-west-1\n"
        "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = "
        "https://corp.awsapps.com/start\n");
  fs::create_directories(home_ / ".aws/sso/cache");
  // The CLI names the cache file after the SHA-1 of the session name.
  Write(".aws/sso/cache/" + Sha1Hex("corp") + ".json",
        R"({"accessToken":"sso-access-token","expiresAt":"2999-01-01T00:00:00Z"})");
  Result<Credentials> c = Resolve("audit", portal.url());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIASSO");
  EXPECT_EQ(c->expiration, 32472144000);
}

TEST_F(CredentialChainTest, ExpiredIdentityCenterSessionSaysHowToRenew) {
  Write(".aws/config",
        "[profile audit]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = Audit\n");
  fs::create_directories(home_ / ".aws/sso/cache");
  Write(".aws/sso/cache/" + Sha1Hex("https://corp.awsapps.com/start") + ".json",
        R"({"accessToken":"old","expiresAt":"2001-01-01T00:00:00Z"})");
  Result<Credentials> c = Resolve("audit", "http://127.0.0.1:1");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("aws sso login --profile audit"), std::string::npos);
}

TEST_F(CredentialChainTest, ExpiredCredentialsAreRefreshed) {
  int calls = 0;
  Write("proc.sh", "#!/bin/sh\necho x >> " + (home_ / "count").string() +
                       "\necho '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
                       "\"SessionToken\":\"T\",\"Expiration\":\"2000-01-01T00:00:00Z\"}'\n");
  fs::permissions(home_ / "proc.sh", fs::perms::owner_all);
  Write(".aws/config", "[profile p]\ncredential_process = " + (home_ / "proc.sh").string() + "\n");
  ASSERT_TRUE(Resolve("p").ok());
  ASSERT_TRUE(chain_->GetCredentials().ok());  // already expired: asks again
  std::ifstream in(home_ / "count");
  std::string line;
  while (std::getline(in, line)) ++calls;
  EXPECT_EQ(calls, 2);
}

TEST(Iso8601, ParsesAwsTimestamps) {
  EXPECT_EQ(ParseIso8601("2026-11-23T05:14:54Z"), 1795410894);
  EXPECT_EQ(ParseIso8601("2026-11-23T05:14:54.123456Z"), 1795410894);
  EXPECT_EQ(ParseIso8601("2026-11-23T06:14:54+01:00"), 1795410894);
  EXPECT_EQ(ParseIso8601("garbage"), 0);
}

}  // namespace
}  // namespace bulwark::aws
