// The Sigma loader and matcher: each modifier, each condition form, correlation parsing,
// and rules that cannot load being reported with file and reason.
#include "hunt/sigma.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <ctime>

#include "hunt/engine.h"

namespace bulwark::hunt {
namespace {

// Loads one rule for aws/cloudtrail with the given detection block.
Rule Load(const std::string& detection, std::string* problem = nullptr) {
  RuleSet set;
  LoadRuleText(
      "title: t\nid: x\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n" + detection,
      "inline.yml", set);
  if (problem) *problem = set.problems.empty() ? "" : set.problems[0].reason;
  if (set.rules.empty()) return Rule{};
  return set.rules[0];
}

bool Match(const Rule& r, const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(json);
  return Matches(r, CloudTrailEvent(e));
}

const char* kEvent = R"({"eventName":"PutUserPolicy","eventSource":"iam.amazonaws.com",
  "eventTime":"2026-11-20T10:00:00Z","sourceIPAddress":"198.51.100.23","errorCode":null,
  "userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::1:user/alice"},
  "requestParameters":{"userName":"alice","policyDocument":"{\"Action\":\"*\"}",
  "count":42,"tags":[{"key":"env","value":"prod"},{"key":"team","value":"sec"}]},
  "cmd":"aws s3 cp -r x","b64":"dGhlIHNlY3JldCB3b3Jk"})";

TEST(Sigma, PlainValuesAreCaseInsensitiveWithWildcards) {
  EXPECT_TRUE(Match(Load("  s: {eventName: putuserpolicy}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName: 'Put*Policy'}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName: 'PutUserPolic?'}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {eventName: 'Put'}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName: [GetUser, PutUserPolicy]}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {requestParameters.count: 42}\n  condition: s"), kEvent));
  // Lists inside the event: any element.
  EXPECT_TRUE(Match(Load("  s: {requestParameters.tags.value: sec}\n  condition: s"), kEvent));
  // null: absent or null.
  EXPECT_TRUE(Match(Load("  s: {errorCode: null}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {errorMessage: null}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {eventName: null}\n  condition: s"), kEvent));
}

TEST(Sigma, Modifiers) {
  EXPECT_TRUE(Match(Load("  s: {eventName|contains: UserPol}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName|startswith: put}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName|endswith: Policy}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {eventName|endswith: Put}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName|contains|all: [Put, User]}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {eventName|contains|all: [Put, Group]}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName|cased: PutUserPolicy}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {eventName|cased: putuserpolicy}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName|re: '^Put.*Policy$'}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {eventName|re: '^put'}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {eventName|re|i: '^put'}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {sourceIPAddress|cidr: 198.51.100.0/24}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {sourceIPAddress|cidr: 10.0.0.0/8}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {sourceIPAddress|cidr: '::ffff:198.51.100.0/120'}\n  condition: s"),
                    kEvent));
  EXPECT_TRUE(
      Match(Load("  s: {errorCode|exists: true}\n  condition: s"), kEvent));  // present, null
  EXPECT_TRUE(Match(Load("  s: {errorMessage|exists: false}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {requestParameters.count|gt: 41}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {requestParameters.count|lt: 42}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {requestParameters.count|lte: 42}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(
      Load("  s: {requestParameters.userName|fieldref: userIdentity.userName}\n  condition: s"),
      kEvent));
  // base64 of "the secret word"; base64offset finds "secret" at any alignment.
  EXPECT_TRUE(Match(Load("  s: {b64|base64: the secret word}\n  condition: s"), kEvent));
  EXPECT_TRUE(Match(Load("  s: {b64|base64offset|contains: secret}\n  condition: s"), kEvent));
  EXPECT_FALSE(Match(Load("  s: {b64|base64offset|contains: public}\n  condition: s"), kEvent));
  // windash: "-r" also matches "/r" and the dash look-alikes.
  EXPECT_TRUE(Match(Load("  s: {cmd|windash|contains: ' /r '}\n  condition: s"), kEvent));
}

TEST(Sigma, Conditions) {
  const std::string sels =
      "  a: {eventName: PutUserPolicy}\n  b: {eventSource: s3.amazonaws.com}\n"
      "  c_one: {userIdentity.type: IAMUser}\n  c_two: {userIdentity.type: Root}\n";
  EXPECT_TRUE(Match(Load(sels + "  condition: a and not b"), kEvent));
  EXPECT_FALSE(Match(Load(sels + "  condition: a and b"), kEvent));
  EXPECT_TRUE(Match(Load(sels + "  condition: b or a"), kEvent));
  EXPECT_TRUE(Match(Load(sels + "  condition: (b or a) and (c_one or c_two)"), kEvent));
  EXPECT_TRUE(Match(Load(sels + "  condition: 1 of c_*"), kEvent));
  EXPECT_FALSE(Match(Load(sels + "  condition: all of c_*"), kEvent));
  EXPECT_FALSE(Match(Load(sels + "  condition: all of them"), kEvent));
  EXPECT_TRUE(Match(Load(sels + "  condition: 1 of them"), kEvent));
  EXPECT_TRUE(Match(Load(sels + "  condition: not not a"), kEvent));
  // A list of maps is OR; keywords search the whole record.
  EXPECT_TRUE(Match(Load("  s:\n    - {eventName: GetUser}\n    - {eventName: PutUserPolicy}\n"
                         "  condition: s"),
                    kEvent));
  EXPECT_TRUE(Match(Load("  k: [198.51.100.23]\n  condition: k"), kEvent));
  EXPECT_FALSE(Match(Load("  k: [192.0.2.1]\n  condition: k"), kEvent));
}

TEST(Sigma, PrefilterOnEventName) {
  Rule r = Load(
      "  a: {eventName: [PutUserPolicy, PutRolePolicy]}\n  f: {errorCode|exists: true}\n"
      "  condition: a and not f");
  EXPECT_EQ(r.event_names, (std::vector<std::string>{"putrolepolicy", "putuserpolicy"}));
  EXPECT_TRUE(Load("  a: {eventName|contains: Put}\n  condition: a").event_names.empty());
  EXPECT_TRUE(
      Load("  a: {eventName: X}\n  b: {eventSource: y}\n  condition: a or b").event_names.empty());
}

TEST(Sigma, UnsupportedConstructsAreReportedWithTheReason) {
  std::string why;
  Load("  s: {eventName|utf16le: x}\n  condition: s", &why);
  EXPECT_NE(why.find("modifier 'utf16le'"), std::string::npos) << why;
  Load("  s: {eventName: x}\n  condition: s | count() > 5", &why);
  EXPECT_NE(why.find("aggregation"), std::string::npos) << why;
  Load("  s: {eventName: x}\n  condition: s and missing", &why);
  EXPECT_NE(why.find("no selection named 'missing'"), std::string::npos) << why;
  Load("  s: {eventName|re: '(unclosed'}\n  condition: s", &why);
  EXPECT_NE(why.find("regular expression"), std::string::npos) << why;

  RuleSet set;
  LoadRuleText(
      "title: windows\nlogsource: {product: windows}\ndetection: {s: {a: b}, condition: s}\n"
      "---\ntitle: fine\nlogsource: {product: aws, service: cloudtrail}\n"
      "detection: {s: {eventName: x}, condition: s}\n---\n: [bad",
      "mixed.yml", set);
  ASSERT_EQ(set.rules.size(), 1u);  // each document loads on its own
  ASSERT_EQ(set.problems.size(), 2u);
  EXPECT_EQ(set.problems[0].file, "mixed.yml");
  EXPECT_NE(set.problems[1].reason.find("line "), std::string::npos) << set.problems[1].reason;

  // Input on which yaml-cpp 0.7's LoadAll never returns (found by the fuzz target).
  RuleSet odd;
  LoadRuleText(",titltie:tle: Ad ", "odd.yml", odd);
  EXPECT_TRUE(odd.rules.empty());

  RuleSet ok;
  LoadRuleText(
      "title: windows\nlogsource: {product: windows}\ndetection: {s: {a: b}, condition: s}\n"
      "---\ntitle: fine\nlogsource: {product: aws, service: cloudtrail}\n"
      "detection: {s: {eventName: x}, condition: s}\n",
      "two.yml", ok);
  ASSERT_EQ(ok.rules.size(), 1u);  // the other rule still loads
  ASSERT_EQ(ok.problems.size(), 1u);
  EXPECT_EQ(ok.problems[0].rule, "windows");
  EXPECT_NE(ok.problems[0].reason.find("logsource"), std::string::npos);
}

TEST(Sigma, Correlations) {
  RuleSet set;
  LoadRuleText(
      "title: base\nname: denied\nlogsource: {product: aws, service: cloudtrail}\n"
      "detection: {s: {errorCode: AccessDenied}, condition: s}\n---\n"
      "title: burst\ncorrelation: {type: event_count, rules: [denied], group-by: "
      "[userIdentity.arn],"
      " timespan: 1m, condition: {gte: 3}}\n---\n"
      "title: upper\ncorrelation: {type: event_count, rules: [denied], timespan: 1m, "
      "condition: {lt: 3}}\n---\n"
      "title: dangling\ncorrelation: {type: temporal, rules: [nope], timespan: 1m}\n",
      "c.yml", set);
  ResolveCorrelations(set);
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_TRUE(set.rules[0].silent);
  ASSERT_TRUE(set.rules[1].correlation);
  EXPECT_EQ(set.rules[1].correlation->timespan_ms, 60'000);
  ASSERT_EQ(set.problems.size(), 2u);
  EXPECT_NE(set.problems[0].reason.find("'lt'"), std::string::npos);
  EXPECT_NE(set.problems[1].reason.find("unknown rule 'nope'"), std::string::npos);

  auto line = [](int sec, const char* who) {
    return fmt::format(
               R"({{"eventName":"GetObject","eventTime":"2026-11-20T10:00:{:02d}Z","errorCode":"AccessDenied","userIdentity":{{"arn":"{}"}}}})",
               sec, who) +
           "\n";
  };
  std::string in = line(0, "a") + line(10, "a") + line(20, "b") + line(30, "a") + line(59, "b");
  HuntResult r = HuntBuffer(set, "c.jsonl", in, HuntOptions{});
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].group, "userIdentity.arn=a");
  EXPECT_EQ(r.alerts[0].event_count, 3u);
  EXPECT_EQ(r.alerts[0].events.size(), 3u);
}

TEST(Sigma, Timespans) {
  EXPECT_EQ(ParseTimespan("30s"), 30'000);
  EXPECT_EQ(ParseTimespan("2h"), 7'200'000);
  EXPECT_EQ(ParseTimespan("1d"), 86'400'000);
  EXPECT_EQ(ParseTimespan("5"), -1);
  EXPECT_EQ(ParseTimespan("xm"), -1);
}

// Event times are read by calendar arithmetic; it must agree with timegm on every date,
// including leap days, the 31st of short months and leap seconds (both roll over).
TEST(EventTime, AgreesWithTimegm) {
  EXPECT_EQ(ParseIsoMillis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIsoMillis("2024-02-29T23:59:59.5Z"), 1709251199500);
  EXPECT_EQ(ParseIsoMillis("2026-11-20 10:00:00"), 1795168800000);
  EXPECT_EQ(ParseIsoMillis("2026-11-20"), -1);
  EXPECT_EQ(ParseIsoMillis("2026-1x-20T10:00:00Z"), -1);
  uint64_t state = 1;
  auto next = [&](int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(n));
  };
  for (int i = 0; i < 100000; ++i) {
    std::tm tm{};
    tm.tm_year = 1900 + next(300) - 1900;
    tm.tm_mon = next(12);
    tm.tm_mday = 1 + next(31);
    tm.tm_hour = next(24);
    tm.tm_min = next(60);
    tm.tm_sec = next(61);
    int ms = next(1000);
    std::string text =
        fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    int64_t want = static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
    ASSERT_EQ(ParseIsoMillis(text), want) << text;
  }
}

}  // namespace
}  // namespace bulwark::hunt
