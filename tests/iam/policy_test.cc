// Policy parsing, pattern matching, policy variables and condition operators, one by one.
#include "iam/policy.h"

#include <gtest/gtest.h>

#include "iam/condition.h"
#include "iam/match.h"

namespace bulwark::iam {
namespace {

TEST(PolicyParse, SingleStatementAndStringLists) {
  auto p = ParsePolicyText(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
    "Action":"s3:GetObject","Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}})",
                           "p");
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->statements.size(), 1u);
  EXPECT_EQ(p->statements[0].actions, std::vector<std::string>{"s3:GetObject"});
  EXPECT_EQ(p->statements[0].resources.size(), 2u);
  EXPECT_TRUE(p->VariablesEnabled());
}

TEST(PolicyParse, PrincipalsConditionsAndModifiers) {
  auto p = ParsePolicyText(R"({"Statement":[{"Sid":"X","Effect":"Deny","NotPrincipal":{"AWS":
    ["111122223333","arn:aws:iam::111122223333:user/a"]},"NotAction":"s3:*","NotResource":"*",
    "Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*","b"]},
    "Bool":{"aws:SecureTransport":false}}}]})",
                           "p");
  ASSERT_TRUE(p.ok()) << p.status().message();
  const Statement& s = p->statements[0];
  EXPECT_EQ(s.Label(), "X");
  EXPECT_TRUE(s.not_principal && s.not_action && s.not_resource);
  ASSERT_EQ(s.principals.size(), 2u);
  EXPECT_EQ(s.principals[0].type, "AWS");
  ASSERT_EQ(s.conditions.size(), 2u);
  const ConditionClause* like = nullptr;
  for (const auto& c : s.conditions) {
    if (c.base_op == "StringLike") like = &c;
  }
  ASSERT_NE(like, nullptr);
  EXPECT_EQ(like->set, ConditionClause::Set::kForAllValues);
  EXPECT_TRUE(like->if_exists);
  EXPECT_FALSE(p->VariablesEnabled());  // no Version: variables are literal text
}

TEST(PolicyParse, ErrorsNameTheStatement) {
  auto bad = [](const char* text) {
    auto p = ParsePolicyText(text, "file.json");
    EXPECT_FALSE(p.ok()) << text;
    return p.ok() ? std::string() : p.status().message();
  };
  EXPECT_NE(bad(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
      {"Effect":"Maybe","Action":"*"}]})")
                .find("file.json: statement 2"),
            std::string::npos);
  EXPECT_NE(bad(R"({"Statement":[{"Effect":"Allow","Resource":"*"}]})").find("no Action"),
            std::string::npos);
  EXPECT_NE(bad(R"({"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*"}]})")
                .find("both Action and NotAction"),
            std::string::npos);
  EXPECT_NE(
      bad(R"({"Statement":[{"Effect":"Allow","Action":"*","Principal":"me"}]})").find("Principal"),
      std::string::npos);
  EXPECT_NE(bad("[1,2]").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(bad("{oops").find("not valid JSON"), std::string::npos);
  EXPECT_NE(bad(R"({"Version":"2012-10-17"})").find("no Statement"), std::string::npos);
}

TEST(Match, Wildcards) {
  EXPECT_TRUE(WildcardMatch("s3:Get*", "s3:GetObject", false));
  EXPECT_TRUE(WildcardMatch("s3:Get?bject", "s3:GetObject", false));
  EXPECT_FALSE(WildcardMatch("s3:Get?", "s3:GetObject", false));
  EXPECT_TRUE(WildcardMatch("*", "", false));
  EXPECT_TRUE(WildcardMatch("a*b*c", "aXXbYYc", false));
  EXPECT_FALSE(WildcardMatch("a*b*c", "aXXbYY", false));
  EXPECT_TRUE(WildcardMatch("**x", "x", false));
  EXPECT_TRUE(WildcardMatch("*b", "*ab", false));  // a '*' in the text is no wildcard
  EXPECT_TRUE(WildcardMatch("a\\*", "a*", false));
  EXPECT_FALSE(WildcardMatch("a\\*", "ab", false));
  EXPECT_TRUE(WildcardMatch("a\\?*", "a?bc", false));
}

TEST(Match, ActionsIgnoreCaseResourcesDoNot) {
  EXPECT_TRUE(ActionMatches("S3:getobject", "s3:GetObject"));
  EXPECT_TRUE(ActionMatches("iam:*AccessKey*", "iam:CreateAccessKey"));
  EXPECT_FALSE(ActionMatches("iam:*AccessKey", "iam:CreateAccessKeys"));
  EXPECT_TRUE(ArnMatches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c"));
  EXPECT_FALSE(ArnMatches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a"));
  EXPECT_TRUE(ArnMatches("arn:aws:iam::*:role/admin", "arn:aws:iam::111122223333:role/admin"));
  // A wildcard stays inside its ARN part...
  EXPECT_FALSE(ArnMatches("arn:aws:iam::1*:role/x", "arn:aws:iam::111122223333:role/admin:role/x"));
  EXPECT_FALSE(ArnMatches("arn:aws:*:us-east-1:*:*", "arn:aws:sqs:us-east-2:1:q"));
  // ...except in a pattern of fewer than six parts, matched whole (the reading that grants
  // more, which is the safe error for an analysis).
  EXPECT_TRUE(ArnMatches("arn:aws:iam::*", "arn:aws:iam::111122223333:role/admin"));
  EXPECT_TRUE(ArnMatches("arn:aws:iam::*:*", "arn:aws:iam::111122223333:role/admin"));
  EXPECT_TRUE(ArnMatches("*", "anything"));
}

TEST(Match, PolicyVariables) {
  RequestContext ctx;
  ctx.Set("aws:username", "alice");
  ctx.Set("aws:PrincipalTag/team", "blue");
  EXPECT_EQ(SubstituteVariables("arn:aws:s3:::b/${aws:username}/*", ctx), "arn:aws:s3:::b/alice/*");
  EXPECT_EQ(SubstituteVariables("${AWS:UserName}", ctx), "alice");  // keys ignore case
  EXPECT_EQ(SubstituteVariables("${aws:PrincipalTag/team}-x", ctx), "blue-x");
  EXPECT_EQ(SubstituteVariables("a${*}b${?}c${$}", ctx), "a*b?c$");
  EXPECT_EQ(SubstituteVariables("${aws:userid}", ctx), std::nullopt);
  EXPECT_EQ(SubstituteVariables("${aws:userid, 'nobody'}", ctx), "nobody");
}

// One condition clause against a context.
bool Holds(const std::string& op, const std::string& key, std::vector<std::string> values,
           const RequestContext& ctx) {
  auto p = ParsePolicy(
      nlohmann::json{
          {"Version", "2012-10-17"},
          {"Statement",
           {{{"Effect", "Allow"}, {"Action", "*"}, {"Condition", {{op, {{key, values}}}}}}}}},
      "t");
  EXPECT_TRUE(p.ok());
  bool unknown = false;
  bool r = ConditionHolds(p->statements[0].conditions[0], ctx, true, &unknown);
  EXPECT_FALSE(unknown) << op;
  return r;
}

TEST(Condition, StringOperators) {
  RequestContext c;
  c.Set("s3:prefix", "home/Alice/");
  EXPECT_TRUE(Holds("StringEquals", "s3:prefix", {"x", "home/Alice/"}, c));
  EXPECT_FALSE(Holds("StringEquals", "s3:prefix", {"home/alice/"}, c));
  EXPECT_TRUE(Holds("StringEqualsIgnoreCase", "s3:prefix", {"HOME/ALICE/"}, c));
  EXPECT_FALSE(Holds("StringNotEquals", "s3:prefix", {"a", "home/Alice/"}, c));
  EXPECT_TRUE(Holds("StringNotEquals", "s3:prefix", {"a", "b"}, c));
  EXPECT_FALSE(Holds("StringNotEqualsIgnoreCase", "s3:prefix", {"HOME/alice/"}, c));
  EXPECT_TRUE(Holds("StringLike", "s3:prefix", {"home/*/"}, c));
  EXPECT_TRUE(Holds("StringLike", "s3:prefix", {"home/Alic?/"}, c));
  EXPECT_FALSE(Holds("StringLike", "s3:prefix", {"home/a*"}, c));
  EXPECT_TRUE(Holds("StringNotLike", "s3:prefix", {"tmp/*"}, c));
  EXPECT_TRUE(Holds("StringLike", "S3:Prefix", {"home/*"}, c));  // keys ignore case
}

TEST(Condition, MissingKeys) {
  RequestContext c;
  EXPECT_FALSE(Holds("StringEquals", "aws:SourceVpc", {"vpc-1"}, c));
  EXPECT_TRUE(Holds("StringNotEquals", "aws:SourceVpc", {"vpc-1"}, c));
  EXPECT_TRUE(Holds("StringEqualsIfExists", "aws:SourceVpc", {"vpc-1"}, c));
  EXPECT_TRUE(Holds("Null", "aws:SourceVpc", {"true"}, c));
  EXPECT_FALSE(Holds("Null", "aws:SourceVpc", {"false"}, c));
  EXPECT_TRUE(Holds("ForAllValues:StringEquals", "aws:TagKeys", {"a"}, c));
  EXPECT_FALSE(Holds("ForAnyValue:StringEquals", "aws:TagKeys", {"a"}, c));
  EXPECT_FALSE(Holds("NumericLessThan", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(Holds("NotIpAddress", "aws:SourceIp", {"10.0.0.0/8"}, c));
}

TEST(Condition, NumericDateBoolBinary) {
  RequestContext c;
  c.Set("s3:max-keys", "10");
  c.Set("aws:CurrentTime", "2026-11-23T12:00:00Z");
  c.Set("aws:EpochTime", "1795435200");
  c.Set("aws:SecureTransport", "true");
  c.Set("x:bin", "QmluYXJ5");
  EXPECT_TRUE(Holds("NumericEquals", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(Holds("NumericNotEquals", "s3:max-keys", {"11"}, c));
  EXPECT_TRUE(Holds("NumericLessThan", "s3:max-keys", {"11"}, c));
  EXPECT_FALSE(Holds("NumericLessThan", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(Holds("NumericLessThanEquals", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(Holds("NumericGreaterThan", "s3:max-keys", {"9.5"}, c));
  EXPECT_TRUE(Holds("NumericGreaterThanEquals", "s3:max-keys", {"10"}, c));
  EXPECT_FALSE(Holds("NumericEquals", "s3:max-keys", {"ten"}, c));
  EXPECT_TRUE(Holds("DateGreaterThan", "aws:CurrentTime", {"2026-11-23"}, c));
  EXPECT_TRUE(Holds("DateLessThan", "aws:CurrentTime", {"2026-11-23T13:00:00+00:30"}, c));
  EXPECT_TRUE(Holds("DateEquals", "aws:CurrentTime", {"2026-11-23T12:00:00.000Z"}, c));
  EXPECT_TRUE(Holds("DateNotEquals", "aws:CurrentTime", {"2026-11-24"}, c));
  EXPECT_TRUE(Holds("DateLessThanEquals", "aws:CurrentTime", {"1795435200"}, c));
  EXPECT_TRUE(Holds("DateGreaterThanEquals", "aws:EpochTime", {"2026-11-23T12:00:00Z"}, c));
  EXPECT_TRUE(Holds("Bool", "aws:SecureTransport", {"TRUE"}, c));
  EXPECT_FALSE(Holds("Bool", "aws:SecureTransport", {"false"}, c));
  EXPECT_TRUE(Holds("BinaryEquals", "x:bin", {"QmluYXJ5"}, c));
}

TEST(Condition, AddressesAndArns) {
  RequestContext c;
  c.Set("aws:SourceIp", "203.0.113.7");
  c.Set("x:ip6", "2001:db8::1");
  c.Set("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic");
  EXPECT_TRUE(Holds("IpAddress", "aws:SourceIp", {"203.0.113.0/24"}, c));
  EXPECT_TRUE(Holds("IpAddress", "aws:SourceIp", {"203.0.113.7"}, c));
  EXPECT_FALSE(Holds("IpAddress", "aws:SourceIp", {"203.0.113.8/32"}, c));
  EXPECT_TRUE(Holds("NotIpAddress", "aws:SourceIp", {"10.0.0.0/8", "192.168.0.0/16"}, c));
  EXPECT_TRUE(Holds("IpAddress", "x:ip6", {"2001:db8::/32"}, c));
  EXPECT_FALSE(Holds("IpAddress", "x:ip6", {"2001:db9::/32"}, c));
  EXPECT_TRUE(Holds("ArnLike", "aws:SourceArn", {"arn:aws:sns:*:111122223333:*"}, c));
  EXPECT_TRUE(Holds("ArnEquals", "aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:topic"}, c));
  EXPECT_FALSE(Holds("ArnLike", "aws:SourceArn", {"arn:aws:sqs:*"}, c));
  EXPECT_TRUE(Holds("ArnNotLike", "aws:SourceArn", {"arn:aws:sns:*:444455556666:*"}, c));
  EXPECT_FALSE(
      Holds("ArnNotEquals", "aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:topic"}, c));
}

TEST(Condition, SetOperators) {
  RequestContext c;
  c.Set("aws:TagKeys", std::vector<std::string>{"team", "cost"});
  EXPECT_TRUE(Holds("ForAllValues:StringEquals", "aws:TagKeys", {"team", "cost", "env"}, c));
  EXPECT_FALSE(Holds("ForAllValues:StringEquals", "aws:TagKeys", {"team"}, c));
  EXPECT_TRUE(Holds("ForAnyValue:StringEquals", "aws:TagKeys", {"team"}, c));
  EXPECT_FALSE(Holds("ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, c));
  EXPECT_TRUE(Holds("ForAnyValue:StringNotEquals", "aws:TagKeys", {"team"}, c));
  EXPECT_FALSE(Holds("ForAllValues:StringNotEquals", "aws:TagKeys", {"team"}, c));
  EXPECT_TRUE(Holds("ForAllValues:StringNotEquals", "aws:TagKeys", {"env"}, c));
  EXPECT_TRUE(Holds("ForAnyValue:StringLike", "aws:TagKeys", {"te*"}, c));
}

TEST(Condition, VariablesInValues) {
  RequestContext c;
  c.Set("aws:username", "alice");
  c.Set("s3:prefix", "home/alice/");
  EXPECT_TRUE(Holds("StringLike", "s3:prefix", {"home/${aws:username}/*"}, c));
  EXPECT_FALSE(Holds("StringLike", "s3:prefix", {"home/${aws:userid}/*"}, c));
}

TEST(Condition, UnknownOperatorNeverHolds) {
  RequestContext c;
  c.Set("k", "v");
  auto p = ParsePolicyText(
      R"({"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringSortOf":{"k":"v"}}}})",
      "t");
  ASSERT_TRUE(p.ok());
  bool unknown = false;
  EXPECT_FALSE(ConditionHolds(p->statements[0].conditions[0], c, true, &unknown));
  EXPECT_TRUE(unknown);
}

}  // namespace
}  // namespace bulwark::iam
