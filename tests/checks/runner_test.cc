// What a check rests on is derived from the columns its SQL reads; these tests hold the
// derivation to the collectors' declarations and to the account model's own reads.
#include "checks/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "checks/check.h"
#include "checks/iam_functions.h"
#include "collect/service.h"
#include "iam/account.h"
#include "snapshot/snapshot.h"
#include "support/fixtures.h"

namespace bulwark::checks {
namespace {

namespace fs = std::filesystem;

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bulwark-runner-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "empty.db").string();
    auto snap = snapshot::Snapshot::Create(path_, collect::SnapshotSchema());
    ASSERT_TRUE(snap.ok());
    ASSERT_TRUE((*snap)->Finish({}).ok());
    auto ro = snapshot::Snapshot::Open(path_);
    ASSERT_TRUE(ro.ok());
    snap_ = std::move(*ro);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<snapshot::Snapshot> snap_;
};

int Collect(void* arg, int action, const char* a, const char* b, const char*, const char*) {
  auto* reads = static_cast<std::set<std::pair<std::string, std::string>>*>(arg);
  if (action == SQLITE_READ && a && std::string(a).rfind("aws_", 0) == 0) reads->insert({a, b});
  return SQLITE_OK;
}

// The columns IamFunctionReads declares are exactly those the account model reads.
TEST_F(RunnerTest, IamFunctionReadsAreWhatTheAccountModelReads) {
  std::set<std::pair<std::string, std::string>> seen;
  sqlite3_set_authorizer(snap_->db(), Collect, &seen);
  iam::Account::FromDatabase(snap_->db());
  sqlite3_set_authorizer(snap_->db(), nullptr, nullptr);
  auto declared = IamFunctionReads("iam_is_admin");
  std::set<std::pair<std::string, std::string>> want(declared.begin(), declared.end());
  EXPECT_EQ(seen, want);
  EXPECT_TRUE(IamFunctionReads("cidr_is_world").empty());
}

Check Named(const std::string& id) {
  CheckSet set = LoadChecks((testing::SourceDir() / "checks").string());
  for (auto& c : set.checks) {
    if (c.id == id) return c;
  }
  ADD_FAILURE() << "no check " << id;
  return {};
}

bool Has(const std::vector<std::string>& calls, const std::string& call) {
  return std::find(calls.begin(), calls.end(), call) != calls.end();
}

// The dependencies named in the trust issue, derived from what the SQL reads.
TEST_F(RunnerTest, DependenciesComeFromTheColumnsRead) {
  auto trail_bucket = DependsOn(snap_->db(), Named("cloudtrail_bucket_not_public"));
  EXPECT_TRUE(Has(trail_bucket, "cloudtrail:DescribeTrails"));
  EXPECT_TRUE(Has(trail_bucket, "s3:GetBucketPolicy"));
  EXPECT_TRUE(Has(trail_bucket, "s3:GetBucketAcl"));
  EXPECT_TRUE(Has(trail_bucket, "s3:GetPublicAccessBlock"));
  EXPECT_FALSE(Has(trail_bucket, "s3:GetBucketVersioning"));
  EXPECT_FALSE(Has(trail_bucket, "cloudtrail:GetTrailStatus"));

  auto initial_key = DependsOn(snap_->db(), Named("iam_user_no_initial_access_key"));
  EXPECT_TRUE(Has(initial_key, "iam:GenerateCredentialReport"));
  EXPECT_TRUE(Has(initial_key, "iam:GetCredentialReport"));

  auto read_logging = DependsOn(snap_->db(), Named("s3_object_level_read_logging"));
  EXPECT_TRUE(Has(read_logging, "cloudtrail:GetTrailStatus"));
  EXPECT_TRUE(Has(read_logging, "cloudtrail:GetEventSelectors"));
}

// Every shipped check rests on at least one call, found from its SQL alone.
TEST_F(RunnerTest, EveryCheckRestsOnSomeCall) {
  CheckSet set = LoadChecks((testing::SourceDir() / "checks").string());
  ASSERT_FALSE(set.checks.empty());
  for (const Check& c : set.checks) {
    EXPECT_TRUE(c.requires_calls.empty()) << c.id << ": dependencies are derived, not listed";
    EXPECT_FALSE(DependsOn(snap_->db(), c).empty()) << c.id;
  }
}

// A check over a table no collector declares may still list the calls it rests on.
TEST_F(RunnerTest, ListedCallsAddToTheDerivedOnes) {
  auto check = ParseCheck(R"(id: own_check
title: t
severity: low
service: own
rationale: r
remediation: m
requires: ["own:ListThings"]
query: SELECT 'us-east-1' AS region, 'thing' AS resource_id, 'PASS' AS status, 'ok' AS message
)",
                          "own_check.yaml");
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_EQ(DependsOn(snap_->db(), *check), std::vector<std::string>{"own:ListThings"});
}

// A snapshot from before snapshot_tables held the map is judged by the declarations.
TEST_F(RunnerTest, ASnapshotWithoutTheMapUsesTheDeclarations) {
  std::string old = (dir_ / "old.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(old.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE snapshot_tables (table_name TEXT, column_name TEXT, "
                         "column_type TEXT, description TEXT);"
                         "CREATE TABLE aws_cloudtrail_trail (account_id TEXT, region TEXT, name "
                         "TEXT, arn TEXT, s3_bucket_name TEXT, is_logging INTEGER);"
                         "CREATE TABLE aws_s3_bucket (account_id TEXT, region TEXT, name TEXT, "
                         "arn TEXT, policy TEXT, acl_grants TEXT, restrict_public_buckets "
                         "INTEGER, ignore_public_acls INTEGER);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto check = Named("cloudtrail_bucket_not_public");
  auto calls = DependsOn(db, check);
  sqlite3_close(db);
  EXPECT_TRUE(Has(calls, "cloudtrail:DescribeTrails"));
  EXPECT_TRUE(Has(calls, "s3:GetBucketPolicy"));
}

TEST_F(RunnerTest, ADuplicateCheckIdNamesBothFiles) {
  const std::string text = R"(id: twice
title: t
severity: low
service: own
rationale: r
remediation: m
query: SELECT 'r' AS region, 'x' AS resource_id, 'PASS' AS status, 'ok' AS message
)";
  fs::create_directories(dir_ / "checks" / "b");
  std::ofstream(dir_ / "checks" / "a.yaml") << text;
  std::ofstream(dir_ / "checks" / "b" / "again.yaml") << text;
  CheckSet set = LoadChecks((dir_ / "checks").string());
  ASSERT_EQ(set.checks.size(), 1u);
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_NE(set.problems[0].file.find("again.yaml"), std::string::npos);
  EXPECT_NE(set.problems[0].message.find("a.yaml"), std::string::npos) << set.problems[0].message;
}

}  // namespace
}  // namespace bulwark::checks
