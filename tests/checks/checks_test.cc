// Data-driven tests of the posture checks: every checks/<service>/<id>.yaml has a sibling
// <id>.test.yaml whose cases (snapshot rows and collection errors) must produce exactly the
// expected (resource_id, status) findings. Every check needs at least one PASS and one FAIL.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "checks/check.h"
#include "checks/runner.h"
#include "collect/service.h"
#include "snapshot/snapshot.h"
#include "support/fixtures.h"
#include "support/yaml_to_json.h"

namespace bulwark::checks {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path ChecksDir() { return testing::SourceDir() / "checks"; }

// YAML to JSON: quoted scalars stay strings; plain true/false/null/integers are typed.
json ToJson(const YAML::Node& n) { return bulwark::testing::YamlToJson(n); }

std::vector<fs::path> CheckFiles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(ChecksDir())) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > 5 && name.ends_with(".yaml") &&
        !name.ends_with(".test.yaml")) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

using Expected = std::vector<std::pair<std::string, std::string>>;  // resource_id, status

Expected RunCase(const Check& check, const YAML::Node& c, const fs::path& dir) {
  std::string path = (dir / "case.db").string();
  fs::remove(path);
  auto snap = snapshot::Snapshot::Create(path, collect::SnapshotSchema());
  EXPECT_TRUE(snap.ok()) << snap.status().message();
  std::string account = c["account"] ? c["account"].as<std::string>() : "1";
  if (const YAML::Node& tables = c["tables"]) {
    for (const auto& t : tables) {
      for (const auto& r : t.second) {
        json row = ToJson(r);
        std::string acct = row.value("account_id", account);
        std::string region = row.value("region", "global");
        row.erase("account_id");
        row.erase("region");
        // The API document kept in `raw` defaults to the row itself; a fixture may give it.
        json raw = row.contains("raw") ? row["raw"] : row;
        row.erase("raw");
        Status s = (*snap)->Insert(t.first.as<std::string>(), acct, region, row, raw);
        EXPECT_TRUE(s.ok()) << s.message();
      }
    }
  }
  if (const YAML::Node& errors = c["collection_errors"]) {
    for (const auto& e : errors) {
      (*snap)->RecordError({account, e["region"].as<std::string>(), e["service"].as<std::string>(),
                            e["operation"].as<std::string>(), e["error_code"].as<std::string>(),
                            403, "denied",
                            e["resource_id"] ? e["resource_id"].as<std::string>() : ""});
    }
  }
  snapshot::SnapshotInfo info;
  info.account_id = account;
  if (c["snapshot_started_at"]) info.started_at = c["snapshot_started_at"].as<std::string>();
  if (c["snapshot_regions"]) info.regions = c["snapshot_regions"].as<std::vector<std::string>>();
  EXPECT_TRUE((*snap)->Finish(info).ok());
  auto ro = snapshot::Snapshot::Open(path);
  std::vector<std::string> trusted;
  if (c["trusted_accounts"]) trusted = c["trusted_accounts"].as<std::vector<std::string>>();
  ScanResult result = RunChecks((*ro)->db(), {check}, trusted);
  for (const auto& p : result.problems) ADD_FAILURE() << p;
  Expected got;
  for (const auto& f : result.findings) {
    EXPECT_FALSE(f.message.empty()) << check.id << " " << f.resource_id;
    got.emplace_back(f.resource_id, findings::ToString(f.status));
  }
  std::sort(got.begin(), got.end());
  return got;
}

class CheckFixtureTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(CheckFixtureTest, CasesGiveTheExpectedFindings) {
  const fs::path file = GetParam();
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  Result<Check> check = ParseCheck(ss.str(), file.string());
  ASSERT_TRUE(check.ok()) << check.status().message();
  fs::path fixture = file;
  fixture.replace_extension(".test.yaml");
  ASSERT_TRUE(fs::exists(fixture)) << "every check needs " << fixture;
  YAML::Node doc = YAML::LoadFile(fixture.string());
  fs::path dir =
      fs::temp_directory_path() / ("bulwark-check-" + std::to_string(::getpid()) + "-" + check->id);
  fs::create_directories(dir);
  std::set<std::string> statuses;
  for (const auto& c : doc["cases"]) {
    Expected want;
    for (const auto& e : c["expect"]) {
      want.emplace_back(e["resource_id"].as<std::string>(), e["status"].as<std::string>());
      statuses.insert(e["status"].as<std::string>());
    }
    std::sort(want.begin(), want.end());
    EXPECT_EQ(RunCase(*check, c, dir), want) << "case: " << c["name"].as<std::string>();
  }
  fs::remove_all(dir);
  // A control verified by hand yields only MANUAL; every other check shows both outcomes.
  if (statuses == std::set<std::string>{"MANUAL"}) return;
  EXPECT_TRUE(statuses.count("PASS")) << check->id << " has no PASS case";
  EXPECT_TRUE(statuses.count("FAIL")) << check->id << " has no FAIL case";
}

INSTANTIATE_TEST_SUITE_P(Checks, CheckFixtureTest, ::testing::ValuesIn(CheckFiles()),
                         [](const auto& info) { return info.param.stem().string(); });

TEST(CheckLoading, EveryShippedCheckLoads) {
  CheckSet set = LoadChecks(ChecksDir().string());
  for (const auto& p : set.problems) ADD_FAILURE() << p.file << ": " << p.message;
  EXPECT_EQ(set.checks.size(), CheckFiles().size());
}

// Every control of the CIS AWS Foundations Benchmark v3.0.0 is mapped by at least one
// check (automated, or MANUAL for those no API can judge).
TEST(CheckLoading, EveryCisControlIsCovered) {
  const std::vector<std::string> controls = {
      "1.1",   "1.2",   "1.3",   "1.4",   "1.5",   "1.6",   "1.7",   "1.8",   "1.9",
      "1.10",  "1.11",  "1.12",  "1.13",  "1.14",  "1.15",  "1.16",  "1.17",  "1.18",
      "1.19",  "1.20",  "1.21",  "1.22",  "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.2.1",
      "2.3.1", "2.3.2", "2.3.3", "2.4.1", "3.1",   "3.2",   "3.3",   "3.4",   "3.5",
      "3.6",   "3.7",   "3.8",   "3.9",   "4.1",   "4.2",   "4.3",   "4.4",   "4.5",
      "4.6",   "4.7",   "4.8",   "4.9",   "4.10",  "4.11",  "4.12",  "4.13",  "4.14",
      "4.15",  "4.16",  "5.1",   "5.2",   "5.3",   "5.4",   "5.5",   "5.6"};
  std::set<std::string> mapped;
  for (const auto& c : LoadChecks(ChecksDir().string()).checks) {
    auto it = c.compliance.find("cis-3.0");
    if (it != c.compliance.end()) mapped.insert(it->second.begin(), it->second.end());
  }
  for (const auto& id : controls) EXPECT_TRUE(mapped.count(id)) << "CIS 3.0 control " << id;
  for (const auto& id : mapped) {
    EXPECT_NE(std::find(controls.begin(), controls.end(), id), controls.end())
        << "no CIS 3.0 control " << id;
  }
}

TEST(CheckLoading, BadFilesAreReportedAndTheRestLoads) {
  EXPECT_NE(ParseCheck("id: x\ntitle: t\n", "a.yaml")
                .status()
                .message()
                .find("a.yaml: missing or empty 'severity'"),
            std::string::npos);
  EXPECT_NE(ParseCheck("id: X-Y\n", "b.yaml").status().message().find("lower_snake_case"),
            std::string::npos);
  std::string bad_yaml = ParseCheck("id: [unclosed\n", "c.yaml").status().message();
  EXPECT_NE(bad_yaml.find("c.yaml:"), std::string::npos) << bad_yaml;
  EXPECT_NE(
      ParseCheck(
          "id: a\ntitle: t\nseverity: urgent\nservice: s\nrationale: r\nremediation: m\nquery: q\n",
          "d.yaml")
          .status()
          .message()
          .find("severity 'urgent'"),
      std::string::npos);
}

// The bundled demo account against every shipped check, compared with a golden file.
// BULWARK_UPDATE_GOLDEN=1 rewrites the file after an intended change.
TEST(DemoFindings, MatchTheGoldenFile) {
  fs::path db = fs::path(BULWARK_BINARY_DIR) / "demo-account.db";
  ASSERT_TRUE(fs::exists(db)) << db << " is built by the demo_snapshot target";
  fs::path golden = testing::SourceDir() / "examples/demo-account.findings.tsv";
  CheckSet set = LoadChecks(ChecksDir().string());
  auto snap = snapshot::Snapshot::Open(db.string());
  ASSERT_TRUE(snap.ok());
  ScanResult result = RunChecks((*snap)->db(), set.checks);
  std::vector<std::string> lines;
  for (const auto& f : result.findings) {
    lines.push_back(f.check_id + "\t" + f.region + "\t" + f.resource_id + "\t" +
                    findings::ToString(f.status));
  }
  std::sort(lines.begin(), lines.end());
  std::string got;
  for (const auto& l : lines) got += l + "\n";
  if (std::getenv("BULWARK_UPDATE_GOLDEN")) std::ofstream(golden) << got;
  EXPECT_EQ(got, testing::ReadFile(golden)) << "rerun with BULWARK_UPDATE_GOLDEN=1 if intended";
}

TEST(CheckRunner, BrokenQueriesAreErrorsNotCrashes) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  Check bad;
  bad.id = "broken";
  bad.query = "SELECT nope FROM nowhere";
  Check partial;
  partial.id = "partial";
  partial.query = "SELECT 'r' AS region, 'x' AS resource_id";
  Check odd;
  odd.id = "odd";
  odd.query = "SELECT 'r' AS region, 'x' AS resource_id, 'MAYBE' AS status, 'm' AS message";
  ScanResult r = RunChecks(db, {bad, partial, odd});
  ASSERT_EQ(r.findings.size(), 3u);
  for (const auto& f : r.findings)
    EXPECT_EQ(f.status, findings::FindingStatus::kError) << f.check_id;
  EXPECT_EQ(r.problems.size(), 2u);
  sqlite3_close(db);
}

}  // namespace
}  // namespace bulwark::checks
