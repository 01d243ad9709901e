// Every built-in rule under rules/ against its fixture (<rule>.test.yaml beside it):
// events that must raise its alert and events that must not, or, for correlation rules,
// sequences of events and the number of alerts they must raise.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hunt/engine.h"
#include "support/yaml_to_json.h"

namespace bulwark::hunt {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json ToJson(const YAML::Node& n) { return bulwark::testing::YamlToJson(n); }

std::vector<fs::path> RuleFiles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(BULWARK_SOURCE_DIR) / "rules")) {
    if (e.is_regular_file() && e.path().extension() == ".yml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Input text for a list of events (CloudTrail, as JSON lines) or flow log lines.
std::string Input(const YAML::Node& events, const YAML::Node& lines) {
  std::string text;
  if (events) {
    for (const auto& e : events) text += ToJson(e).dump() + "\n";
  }
  if (lines) {
    for (const auto& l : lines) text += l.as<std::string>() + "\n";
  }
  return text;
}

// The alerts the input raises, read three ways that must agree: as it is (JSON lines or
// flow log lines) through the record scanner, the same through the DOM parser alone, and
// for CloudTrail events as one {"Records":[...]} document, the form AWS writes to S3.
size_t AlertsOf(const RuleSet& set, const std::string& input, const std::string& rule_file) {
  HuntResult r = HuntBuffer(set, "fixture", input, HuntOptions{});
  EXPECT_TRUE(r.problems.empty()) << rule_file << ": " << r.problems[0].message;
  HuntOptions dom_only;
  dom_only.scan_records = false;
  EXPECT_EQ(HuntBuffer(set, "fixture", input, dom_only).alerts.size(), r.alerts.size())
      << rule_file << ": the DOM parser disagrees with the record scanner on\n"
      << input;
  if (!input.empty() && input[0] == '{') {
    std::string records = "{\"Records\":[";
    for (size_t pos = 0, end; (end = input.find('\n', pos)) != std::string::npos; pos = end + 1) {
      if (records.back() != '[') records += ',';
      records.append(input, pos, end - pos);
    }
    records += "]}";
    EXPECT_EQ(HuntBuffer(set, "fixture", records, HuntOptions{}).alerts.size(), r.alerts.size())
        << rule_file << ": as a Records document:\n"
        << records;
  }
  return r.alerts.size();
}

class RuleFixture : public ::testing::TestWithParam<fs::path> {};

TEST_P(RuleFixture, MatchesWhatItShould) {
  const fs::path file = GetParam();
  RuleSet set;
  LoadRules(file.string(), set);
  ResolveCorrelations(set);
  for (const auto& p : set.problems) ADD_FAILURE() << p.file << ": " << p.rule << ": " << p.reason;
  ASSERT_FALSE(set.rules.empty());
  fs::path fixture = file;
  fixture.replace_extension(".test.yaml");
  ASSERT_TRUE(fs::exists(fixture)) << "every rule needs " << fixture;
  YAML::Node doc = YAML::LoadFile(fixture.string());
  bool flow = set.rules[0].source == LogSource::kFlowLogs;
  if (doc["cases"]) {
    bool fired = false, quiet = false;
    for (const auto& c : doc["cases"]) {
      size_t want = c["alerts"].as<size_t>();
      EXPECT_EQ(AlertsOf(set, Input(c["events"], c["lines"]), file.string()), want)
          << "case: " << c["name"].as<std::string>();
      fired = fired || want > 0;
      quiet = quiet || want == 0;
    }
    EXPECT_TRUE(fired && quiet) << "a correlation needs a case that fires and one that does not";
    return;
  }
  ASSERT_TRUE(doc["match"] && doc["no_match"]) << fixture << " needs match and no_match";
  for (const auto& e : doc["match"]) {
    std::string in = flow ? e.as<std::string>() + "\n" : ToJson(e).dump() + "\n";
    EXPECT_EQ(AlertsOf(set, in, file.string()), 1u) << "should match: " << in;
  }
  for (const auto& e : doc["no_match"]) {
    std::string in = flow ? e.as<std::string>() + "\n" : ToJson(e).dump() + "\n";
    EXPECT_EQ(AlertsOf(set, in, file.string()), 0u) << "should not match: " << in;
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleFixture, ::testing::ValuesIn(RuleFiles()),
                         [](const auto& info) { return info.param.stem().string(); });

TEST(BuiltinRules, AllLoadAndCoverTheCisMonitoringControls) {
  RuleSet set;
  LoadRules(std::string(BULWARK_SOURCE_DIR) + "/rules", set);
  ResolveCorrelations(set);
  for (const auto& p : set.problems) ADD_FAILURE() << p.file << ": " << p.rule << ": " << p.reason;
  std::set<std::string> cis;
  for (const auto& r : set.rules) {
    for (const auto& t : r.tags) {
      if (t.rfind("cis.aws.", 0) == 0) cis.insert(t.substr(8));
    }
  }
  for (int i = 1; i <= 15; ++i) EXPECT_TRUE(cis.count("4." + std::to_string(i))) << "CIS 4." << i;
}

}  // namespace
}  // namespace bulwark::hunt
