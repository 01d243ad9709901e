#include "checks/sql_functions.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace bulwark::checks {
namespace {

TEST(SqlFunctions, Cidr) {
  EXPECT_TRUE(CidrIsWorld("0.0.0.0/0"));
  EXPECT_TRUE(CidrIsWorld("::/0"));
  EXPECT_TRUE(CidrIsWorld(" ::0/0 "));
  EXPECT_FALSE(CidrIsWorld("10.0.0.0/8"));
  EXPECT_FALSE(CidrIsWorld("0.0.0.0"));
  EXPECT_FALSE(CidrIsWorld(""));
  EXPECT_EQ(CidrPrefixLength("10.0.0.0/8"), 8);
  EXPECT_EQ(CidrPrefixLength("2001:db8::/128"), 128);
  EXPECT_EQ(CidrPrefixLength("10.0.0.0/33"), -1);
  EXPECT_EQ(CidrPrefixLength("10.0.0.0/x"), -1);
  EXPECT_EQ(CidrPrefixLength("/8"), -1);
}

TEST(SqlFunctions, WildcardMatch) {
  EXPECT_TRUE(IamWildcardMatch("*", "s3:GetObject"));
  EXPECT_TRUE(IamWildcardMatch("s3:*", "S3:GetObject"));
  EXPECT_TRUE(IamWildcardMatch("s3:Get*", "s3:getobject"));
  EXPECT_TRUE(IamWildcardMatch("iam:Pass?ole", "iam:PassRole"));
  EXPECT_TRUE(IamWildcardMatch("*:*", "kms:Decrypt"));
  EXPECT_FALSE(IamWildcardMatch("s3:Put*", "s3:GetObject"));
  EXPECT_FALSE(IamWildcardMatch("s3:GetObject", "s3:GetObjectAcl"));
  EXPECT_TRUE(IamWildcardMatch("s3:*Object*", "s3:GetObjectAcl"));
}

TEST(SqlFunctions, PolicyAllowsPublic) {
  std::string actions;
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]})",
      &actions));
  EXPECT_EQ(actions, "s3:GetObject");
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":["sqs:*"]}})"));
  // Narrowed by organisation, source account or VPC endpoint: not public.
  EXPECT_FALSE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]})"));
  EXPECT_FALSE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:Publish","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}}]})"));
  EXPECT_FALSE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}}]})"));
  // Conditions that do not narrow: world CIDR, wildcard value, IfExists, negation.
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]})"));
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringLike":{"aws:PrincipalOrgID":"*"}}}]})"));
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"1"}}}]})"));
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringNotEquals":{"aws:SourceAccount":"1"}}}]})"));
  EXPECT_TRUE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*"}]})"));
  // Specific principals, Deny statements, no policy, garbage.
  EXPECT_FALSE(PolicyAllowsPublic(
      R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*"}]})"));
  EXPECT_FALSE(
      PolicyAllowsPublic(R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*"}]})"));
  EXPECT_FALSE(PolicyAllowsPublic(""));
  EXPECT_FALSE(PolicyAllowsPublic("not json"));
  // A document double-encoded as a JSON string.
  EXPECT_TRUE(PolicyAllowsPublic(
      R"("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\"}]}")"));
}

TEST(SqlFunctions, FullAdminAndActions) {
  EXPECT_TRUE(
      PolicyGrantsFullAdmin(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"));
  EXPECT_TRUE(PolicyGrantsFullAdmin(
      R"({"Statement":[{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}]})"));
  EXPECT_FALSE(PolicyGrantsFullAdmin(
      R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]})"));
  EXPECT_FALSE(
      PolicyGrantsFullAdmin(R"({"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})"));
  EXPECT_TRUE(PolicyAllowsAction(
      R"({"Statement":[{"Effect":"Allow","Action":["iam:Pass*"],"Resource":"*"}]})",
      "iam:PassRole"));
  EXPECT_TRUE(PolicyAllowsAction(
      R"({"Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]})", "iam:PassRole"));
  EXPECT_FALSE(PolicyAllowsAction(
      R"({"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]})", "iam:PassRole"));
}

TEST(SqlFunctions, ServiceWildcards) {
  EXPECT_EQ(
      PolicyServiceWildcards(
          R"({"Statement":[{"Effect":"Allow","Action":["S3:*","kms:Decrypt","iam:*"],"Resource":"*"}]})"),
      "iam:*,s3:*");
  EXPECT_EQ(
      PolicyServiceWildcards(
          R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]})"),
      "");
  EXPECT_EQ(
      PolicyServiceWildcards(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"),
      "");
}

TEST(SqlFunctions, DeniesInsecureTransport) {
  EXPECT_TRUE(PolicyDeniesInsecureTransport(
      R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})"));
  EXPECT_TRUE(PolicyDeniesInsecureTransport(
      R"({"Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]})"));
  // Only some actions, or not for everyone, or the wrong value: not TLS-only.
  EXPECT_FALSE(PolicyDeniesInsecureTransport(
      R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})"));
  EXPECT_FALSE(PolicyDeniesInsecureTransport(
      R"({"Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})"));
  EXPECT_FALSE(PolicyDeniesInsecureTransport(
      R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]})"));
}

// The same functions through SQLite, as checks call them.
class SqlFunctionsDb : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    std::string error;
    ASSERT_TRUE(RegisterSqlFunctions(db_, &error)) << error;
  }
  void TearDown() override { sqlite3_close(db_); }
  std::string Eval(const std::string& expr) {
    sqlite3_stmt* stmt = nullptr;
    std::string sql = "SELECT " + expr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    std::string out = "?";
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, 0);
      out = t ? reinterpret_cast<const char*>(t) : "NULL";
    }
    sqlite3_finalize(stmt);
    return out;
  }
  sqlite3* db_ = nullptr;
};

TEST_F(SqlFunctionsDb, PortRange) {
  EXPECT_EQ(Eval("port_range_includes(22, 22, 22)"), "1");
  EXPECT_EQ(Eval("port_range_includes(0, 1024, 3389)"), "0");
  EXPECT_EQ(Eval("port_range_includes(NULL, NULL, 3389)"), "1");
  EXPECT_EQ(Eval("port_range_includes(-1, -1, 22)"), "1");
  EXPECT_EQ(Eval("port_range_includes(3306, NULL, 3306)"), "1");
  EXPECT_EQ(Eval("port_range_includes(1, 2, NULL)"), "NULL");
}

TEST_F(SqlFunctionsDb, PolicyFunctions) {
  EXPECT_EQ(Eval("cidr_is_world('::/0')"), "1");
  EXPECT_EQ(Eval("cidr_prefix_length('10.1.0.0/16')"), "16");
  EXPECT_EQ(Eval("cidr_prefix_length('nope')"), "NULL");
  EXPECT_EQ(Eval("policy_allows_public(NULL)"), "0");
  EXPECT_EQ(
      Eval(
          R"(policy_public_actions('{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject","s3:GetObject"]}]}'))"),
      "s3:GetObject,s3:PutObject");
  EXPECT_EQ(
      Eval(
          R"(policy_allows_action('{"Statement":{"Effect":"Allow","Action":"kms:*"}}', 'kms:Decrypt'))"),
      "1");
  EXPECT_EQ(
      Eval(
          R"(policy_condition_keys('{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":{"sts:ExternalId":"x"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}'))"),
      "aws:multifactorauthpresent,sts:externalid");
}

}  // namespace
}  // namespace bulwark::checks
