// Admins, escalation paths, who-can and public grants over the example account
// (examples/iam/account-authorization-details.json, one principal per escalation method)
// and the demo snapshot; loader errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "iam/escalation.h"
#include "iam/who_can.h"

namespace bulwark::iam {
namespace {

const std::string kExample =
    std::string(BULWARK_SOURCE_DIR) + "/examples/iam/account-authorization-details.json";

Account Example() {
  auto a = Account::FromAuthorizationDetails(kExample);
  EXPECT_TRUE(a.ok()) << a.status().message();
  return std::move(a).value();
}

size_t IndexOf(const EscalationGraph& g, const std::string& name) {
  for (size_t i = 0; i < g.principals().size(); ++i) {
    if (g.principals()[i]->name == name) return i;
  }
  ADD_FAILURE() << "no principal " << name;
  return 0;
}

TEST(AuthorizationDetails, LoadsUsersGroupsRolesAndPolicies) {
  Account a = Example();
  EXPECT_EQ(a.id(), "111122223333");
  EXPECT_EQ(a.principals().size(), 16u);
  EXPECT_TRUE(a.problems().empty());
  const Principal* judy = a.Find("user/judy");
  ASSERT_NE(judy, nullptr);
  EXPECT_NE(judy->boundary, nullptr);
  EXPECT_EQ(judy->groups, std::vector<std::string>{"developers"});
  EXPECT_EQ(judy->policies.size(), 2u);  // attached AdministratorAccess + the group's ReadOnly
  EXPECT_EQ(a.Find("arn:aws:iam::111122223333:role/service-role/lambda-exec")->name, "lambda-exec");
  EXPECT_EQ(a.Find("nobody"), nullptr);
}

TEST(AuthorizationDetails, BadInputIsNamed) {
  auto missing = Account::FromAuthorizationDetails("/nonexistent/authz.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/authz.json"), std::string::npos);
  std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/notjson.json") << "{oops";
  auto bad = Account::FromAuthorizationDetails(dir + "/notjson.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("notjson.json"), std::string::npos);
  // Fields of the wrong shape stop the load with the file named.
  std::ofstream(dir + "/shape.json") << R"({"UserDetailList":[{"UserName":5}]})";
  auto shape = Account::FromAuthorizationDetails(dir + "/shape.json");
  ASSERT_FALSE(shape.ok());
  EXPECT_NE(shape.status().message().find("shape.json: unexpected shape"), std::string::npos);
  // A policy that does not parse is reported by name; the rest still loads.
  std::ofstream(dir + "/onebad.json") << R"({"UserDetailList":[
    {"UserName":"a","Arn":"arn:aws:iam::111122223333:user/a","UserPolicyList":[
      {"PolicyName":"broken","PolicyDocument":{"Statement":[{"Effect":"Perhaps","Action":"*"}]}},
      {"PolicyName":"fine","PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}}],
     "AttachedManagedPolicies":[{"PolicyName":"gone","PolicyArn":"arn:aws:iam::111122223333:policy/gone"}]}]})";
  auto partial = Account::FromAuthorizationDetails(dir + "/onebad.json");
  ASSERT_TRUE(partial.ok());
  ASSERT_EQ(partial->problems().size(), 2u);
  std::string all = partial->problems()[0] + "\n" + partial->problems()[1];
  EXPECT_NE(all.find("user/a (inline broken): statement 1"), std::string::npos) << all;
  EXPECT_NE(all.find("policy/gone is not in the input"), std::string::npos) << all;
  EXPECT_EQ(partial->Find("a")->policies.size(), 1u);
}

TEST(Escalation, AdministratorsAndSelfGrants) {
  Account a = Example();
  EscalationGraph g = EscalationGraph::Build(a);
  std::set<std::string> admins;
  for (size_t i = 0; i < g.principals().size(); ++i) {
    if (g.IsAdmin(i)) admins.insert(g.principals()[i]->name);
  }
  // judy holds AdministratorAccess inside a boundary: not an administrator.
  EXPECT_EQ(admins, (std::set<std::string>{"alice", "ec2-admin", "break-glass"}));
}

TEST(Escalation, EveryMethodOfTheExampleIsFound) {
  Account a = Example();
  EscalationGraph g = EscalationGraph::Build(a, 2);
  struct Want {
    const char* who;
    std::vector<const char*> methods;
  };
  const Want wants[] = {
      {"bob", {"iam:CreateAccessKey"}},
      {"carol", {"iam:CreatePolicyVersion"}},
      {"dave", {"iam:PassRole"}},
      {"erin", {"sts:AssumeRole", "iam:AttachRolePolicy"}},
      {"frank", {"iam:AddUserToGroup"}},
      {"heidi", {"iam:UpdateAssumeRolePolicy"}},
      {"ivan", {"iam:CreateLoginProfile"}},
      {"github-deploy", {"sts:AssumeRole", "iam:AttachRolePolicy"}},
  };
  for (const auto& w : wants) {
    auto path = g.PathToAdmin(IndexOf(g, w.who));
    std::vector<std::string> got;
    for (const auto* e : path) got.push_back(e->method);
    EXPECT_EQ(got, std::vector<std::string>(w.methods.begin(), w.methods.end())) << w.who;
  }
  for (const char* safe : {"judy", "partner-audit", "vendor-support", "lambda-exec"}) {
    EXPECT_TRUE(g.PathToAdmin(IndexOf(g, safe)).empty()) << safe;
  }
  std::string dot = g.Dot();
  EXPECT_NE(
      dot.find("\"user/dave\" -> \"role/ec2-admin\" [label=\"iam:PassRole + ec2:RunInstances\"]"),
      std::string::npos)
      << dot;
}

TEST(WhoCan, DirectAssumedAndExternal) {
  Account a = Example();
  WhoCanResult r = WhoCan(a, "s3:GetObject", "arn:aws:s3:::acme-reports/q4.pdf");
  std::set<std::string> names;
  for (const auto& e : r.entries) names.insert(e.principal);
  for (const char* want : {"user/alice", "user/judy", "role/vendor-support", "user/erin",
                           "account 777788889999 (arn:aws:iam::777788889999:root)"}) {
    EXPECT_TRUE(names.count(want)) << want;
  }
  for (const char* not_want : {"user/bob", "user/dave", "role/lambda-exec"}) {
    EXPECT_FALSE(names.count(not_want)) << not_want;
  }
  WhoCanResult none = WhoCan(a, "iam:CreateUser", "*");
  for (const auto& e : none.entries) EXPECT_NE(e.principal, "user/judy");  // its boundary
}

TEST(PublicGrants, OtherAccountsEveryoneAndNarrowing) {
  Account a = Example();
  std::map<std::string, bool> grants;  // grantee -> narrowed
  for (const auto& p : a.principals()) {
    if (!p.trust) continue;
    for (const auto& g : ExternalGrants(*p.trust, a.id(), "")) grants[p.name] = g.narrowed;
  }
  EXPECT_EQ(grants.size(), 3u);
  EXPECT_TRUE(grants.at("partner-audit"));    // sts:ExternalId
  EXPECT_FALSE(grants.at("vendor-support"));  // nothing
  EXPECT_FALSE(grants.at("github-deploy"));   // an audience condition admits any repository
  auto p =
      ParsePolicyText(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
    "Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-mine"}}}]})",
                      "bucket");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(ExternalGrants(*p, "111122223333", "o-mine").empty());  // own organization
  ASSERT_EQ(ExternalGrants(*p, "111122223333", "").size(), 1u);
  EXPECT_TRUE(ExternalGrants(*p, "111122223333", "")[0].narrowed);
}

TEST(Snapshot, DemoAccountLoads) {
  std::string db = std::string(BULWARK_BINARY_DIR) + "/demo-account.db";
  ASSERT_TRUE(std::filesystem::exists(db)) << db << " is built with the project (demo_snapshot)";
  auto a = Account::FromSnapshot(db);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->id(), "123456789012");
  EXPECT_GE(a->principals().size(), 5u);
  EXPECT_NE(a->ResourcePolicyFor("arn:aws:s3:::acme-web/index.html"), nullptr);
  EscalationGraph g = EscalationGraph::Build(*a);
  EXPECT_TRUE(g.IsAdmin(IndexOf(g, "ops-admin")));
}

}  // namespace
}  // namespace bulwark::iam
