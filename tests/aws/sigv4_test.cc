// Runs every case of the AWS SigV4 test suite (../shared/fixtures/sigv4): header-signed
// and query-signed variants must reproduce the expected canonical request, string to sign
// and signature byte for byte.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "aws/crypto.h"
#include "support/fixtures.h"
#include "util/strings.h"

namespace bulwark::aws {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::ReadFile;

struct SuiteCase {
  SignableRequest request;
  Credentials creds;
  SigningParams params;
  bool sign_body = false;
};

std::time_t ParseTimestamp(const std::string& iso) {
  std::tm tm{};
  strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return timegm(&tm);
}

// request.txt is a raw HTTP request; header lines that start with whitespace continue the
// previous header's value.
SignableRequest ParseRequest(const std::string& text) {
  SignableRequest req;
  size_t pos = text.find('\n');
  std::string first = text.substr(0, pos);
  size_t sp = first.find(' ');
  size_t http = first.rfind(" HTTP/");
  req.method = first.substr(0, sp);
  std::string target = first.substr(sp + 1, http - sp - 1);
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  while (pos != std::string::npos && pos + 1 < text.size()) {
    size_t next = text.find('\n', pos + 1);
    std::string line = text.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
    pos = next;
    if (line.empty()) {
      if (pos != std::string::npos) req.body = text.substr(pos + 1);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !req.headers.empty()) {
      req.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    req.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return req;
}

SuiteCase LoadCase(const fs::path& dir) {
  SuiteCase c;
  c.request = ParseRequest(ReadFile(dir / "request.txt"));
  auto ctx = nlohmann::json::parse(ReadFile(dir / "context.json"));
  c.creds.access_key_id = ctx["credentials"]["access_key_id"];
  c.creds.secret_access_key = ctx["credentials"]["secret_access_key"];
  c.creds.session_token = ctx["credentials"].value("token", "");
  c.params.region = ctx["region"];
  c.params.service = ctx["service"];
  c.params.time = ParseTimestamp(ctx["timestamp"]);
  c.params.normalize_path = ctx.value("normalize", true);
  c.params.omit_session_token = ctx.value("omit_session_token", false);
  c.params.presign_expires_seconds = ctx.value("expiration_in_seconds", 3600);
  c.sign_body = ctx.value("sign_body", false);
  return c;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  fs::path root = bulwark::testing::SharedFixtures() / "sigv4";
  if (!fs::exists(root)) return {"missing"};
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SigV4SuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4SuiteTest, HeaderSigned) {
  fs::path dir = bulwark::testing::SharedFixtures() / "sigv4" / GetParam();
  BULWARK_REQUIRE_FIXTURE(dir);
  SuiteCase c = LoadCase(dir);
  c.params.add_content_sha256_header = c.sign_body;
  SigningResult r = SignRequest(c.request, c.creds, c.params);
  EXPECT_EQ(r.canonical_request, ReadFile(dir / "header-canonical-request.txt"));
  EXPECT_EQ(r.string_to_sign, ReadFile(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(r.signature, ReadFile(dir / "header-signature.txt"));
  std::string signed_request = ReadFile(dir / "header-signed-request.txt");
  EXPECT_NE(signed_request.find("Authorization:" + r.authorization + "\n"), std::string::npos)
      << signed_request;
}

TEST_P(SigV4SuiteTest, QuerySigned) {
  fs::path dir = bulwark::testing::SharedFixtures() / "sigv4" / GetParam();
  BULWARK_REQUIRE_FIXTURE(dir);
  SuiteCase c = LoadCase(dir);
  SigningResult r = PresignRequest(c.request, c.creds, c.params);
  EXPECT_EQ(r.canonical_request, ReadFile(dir / "query-canonical-request.txt"));
  EXPECT_EQ(r.string_to_sign, ReadFile(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(r.signature, ReadFile(dir / "query-signature.txt"));
  EXPECT_NE(c.request.query.find("X-Amz-Signature=" + r.signature), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteTest, ::testing::ValuesIn(CaseNames()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(SigV4, DerivedKeyMatchesAwsDocumentationExample) {
  // The worked example of the AWS General Reference ("Examples of how to derive a signing key").
  std::string key =
      DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  EXPECT_EQ(HexEncode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4, QueryParametersAreSortedAndReencoded) {
  EXPECT_EQ(CanonicalQuery("b=2&a=1&a=0&c=x%2Fy&d"), "a=0&a=1&b=2&c=x%2Fy&d=");
  EXPECT_EQ(CanonicalQuery("acl"), "acl=");
  EXPECT_EQ(CanonicalQuery("prefix=a b"), "prefix=a%20b");
}

TEST(SigV4, S3PathsAreNotNormalized) {
  EXPECT_EQ(CanonicalUri("/bucket//a/../b", false), "/bucket//a/../b");
  EXPECT_EQ(CanonicalUri("/bucket//a/../b", true), "/bucket/b");
  EXPECT_EQ(CanonicalUri("", true), "/");
}

TEST(SigV4, SessionTokenIsSignedUnlessOmitted) {
  SignableRequest req{"GET", "/", "", {{"Host", "example.amazonaws.com"}}, ""};
  Credentials creds{"AKID", "SECRET", "TOKEN", 0, "test"};
  SigningParams p;
  p.region = "us-east-1";
  p.service = "sts";
  p.time = 1440938160;
  SigningResult r = SignRequest(req, creds, p);
  EXPECT_NE(r.authorization.find("x-amz-security-token"), std::string::npos);
  EXPECT_EQ(r.authorization.find("SECRET"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::aws
