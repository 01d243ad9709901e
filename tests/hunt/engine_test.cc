// The readers: every input form AWS produces, and bad input reported with file and offset
// while the rest is still read.
#include "hunt/engine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hunt/gzip.h"

namespace bulwark::hunt {
namespace {

namespace fs = std::filesystem;

RuleSet Rules() {
  RuleSet set;
  LoadRuleText(
      "title: stop\nid: stop\nlogsource: {product: aws, service: cloudtrail}\n"
      "detection: {s: {eventName: StopLogging}, condition: s}\n---\n"
      "title: ssh\nid: ssh\nlogsource: {product: aws, service: vpcflowlogs}\n"
      "detection: {s: {dstport: 22, action: ACCEPT}, condition: s}\n",
      "t.yml", set);
  ResolveCorrelations(set);
  EXPECT_TRUE(set.problems.empty());
  return set;
}

std::string Event(const std::string& name, int sec = 0) {
  return fmt::format(
      R"({{"eventVersion":"1.09","eventTime":"2026-11-20T10:00:{:02d}Z","eventSource":"cloudtrail.amazonaws.com","eventName":"{}","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.9","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::1:user/eve"}}}})",
      sec, name);
}

std::string Gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

HuntResult Hunted(const std::string& data, const std::string& name = "in") {
  return HuntBuffer(Rules(), name, data, HuntOptions{});
}

TEST(HuntInput, CloudTrailForms) {
  std::string records =
      "{\"Records\":[" + Event("StopLogging") + "," + Event("DescribeTrails", 1) + "]}";
  HuntResult r = Hunted(records);
  EXPECT_EQ(r.stats.events, 2u);
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].principal, "arn:aws:iam::1:user/eve");
  EXPECT_EQ(r.alerts[0].source_ip, "203.0.113.9");
  EXPECT_EQ(r.alerts[0].region, "eu-west-1");
  EXPECT_TRUE(r.problems.empty());

  // The same, gzipped (two members concatenated), pretty-printed, as JSON lines, as a JSON
  // array, and as `aws cloudtrail lookup-events` output.
  EXPECT_EQ(Hunted(Gzip(records.substr(0, 40)) + Gzip(records.substr(40))).alerts.size(), 1u);
  EXPECT_EQ(Hunted("{\n  \"Records\": [\n    " + Event("StopLogging") + "\n  ]\n}\n").alerts.size(),
            1u);
  HuntResult lines = Hunted(Event("StopLogging") + "\n" + Event("StopLogging", 5) + "\n\n");
  EXPECT_EQ(lines.alerts.size(), 2u);
  EXPECT_EQ(Hunted("[" + Event("StopLogging") + "]").alerts.size(), 1u);
  nlohmann::json lookup = {
      {"Events", {{{"EventId", "1"}, {"CloudTrailEvent", Event("StopLogging")}}}}};
  EXPECT_EQ(Hunted(lookup.dump(2)).alerts.size(), 1u);
}

TEST(HuntInput, FlowLogs) {
  std::string v2 =
      "2 1 eni-1 198.51.100.1 10.0.0.5 50000 22 6 3 180 1795000000 1795000060 ACCEPT OK\n"
      "2 1 eni-1 198.51.100.1 10.0.0.5 50001 443 6 3 180 1795000000 1795000060 ACCEPT OK\n";
  HuntResult r = Hunted(v2);
  EXPECT_EQ(r.stats.flow_records, 2u);
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].source_ip, "198.51.100.1");
  EXPECT_EQ(r.alerts[0].time_ms, 1795000000000);

  // A custom format named by its header line, fields in another order.
  std::string custom =
      "action dstport srcaddr dstaddr start\nACCEPT 22 198.51.100.2 10.0.0.5 1795000000\n";
  EXPECT_EQ(Hunted(custom).alerts.size(), 1u);
  // ${...} placeholders, as the console writes the format.
  EXPECT_EQ(Hunted("${action} ${dstport} ${srcaddr}\nACCEPT 22 198.51.100.2\n").alerts.size(), 1u);

  HuntResult bad = Hunted(v2 + "2 1 eni-1 short line\n");
  EXPECT_EQ(bad.alerts.size(), 1u);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].offset, v2.size());
  EXPECT_NE(bad.problems[0].message.find("has 5 fields, the format has 14"), std::string::npos);
}

TEST(HuntInput, BadInputIsReportedAndTheRestIsRead) {
  // A line that is not JSON among good lines.
  std::string good = Event("StopLogging") + "\n";
  HuntResult r = Hunted(good + "{\"eventName\": \"StopLogging\", oops\n" + good);
  EXPECT_EQ(r.alerts.size(), 2u);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, "in");
  EXPECT_EQ(r.problems[0].offset, good.size());
  EXPECT_NE(r.problems[0].message.find("not valid JSON"), std::string::npos);

  // Lines whose brackets do not pair, inside values no rule reads: reported and skipped on
  // both reading paths, the lines after them read.
  for (const std::string bad : {R"({"eventName":"StopLogging","s":{"a":{"b":1}]})",
                                R"({"eventName":"StopLogging","s":{"a":[1}}})"}) {
    for (bool scan : {true, false}) {
      HuntOptions o;
      o.scan_records = scan;
      HuntResult u = HuntBuffer(Rules(), "in", good + bad + "\n" + good + good, o);
      EXPECT_EQ(u.stats.events, 3u) << bad << scan;
      ASSERT_EQ(u.problems.size(), 1u) << bad << scan;
      EXPECT_EQ(u.problems[0].offset, good.size());
      EXPECT_NE(u.problems[0].message.find("not valid JSON"), std::string::npos);
    }
  }

  // A damaged first line costs that line only, as one in the middle does: cut short, not
  // JSON, invalid UTF-8, nested 100,000 deep.
  for (const std::string& first :
       {Event("StopLogging").substr(0, 40), std::string("not json at all"),
        std::string("{\"eventName\": \"StopLogging\", \"x\": \"\xff\xfe\"}"),
        std::string(100000, '[') + std::string(100000, ']')}) {
    for (bool scan : {true, false}) {
      HuntOptions o;
      o.scan_records = scan;
      HuntResult u = HuntBuffer(Rules(), "in", first + "\n" + good + good, o);
      EXPECT_EQ(u.stats.events, 2u) << first.substr(0, 40) << scan;
      EXPECT_EQ(u.alerts.size(), 2u) << first.substr(0, 40) << scan;
      ASSERT_EQ(u.problems.size(), 1u) << first.substr(0, 40) << scan;
      EXPECT_EQ(u.problems[0].offset, 0u);
      EXPECT_NE(u.problems[0].message.find("not valid JSON"), std::string::npos)
          << u.problems[0].message;
    }
  }
  // A compact JSON array whose second line is its one element is still one document.
  EXPECT_EQ(Hunted("[\n" + Event("StopLogging") + "\n]\n").alerts.size(), 1u);
  EXPECT_TRUE(Hunted("[\n" + Event("StopLogging") + "\n]\n").problems.empty());

  // Truncated gzip: what precedes the damage is read, and the offset is named.
  std::string many;
  for (int i = 0; i < 2000; ++i)
    many += Event(i % 2 ? "DescribeTrails" : "StopLogging", i % 60) + "\n";
  std::string gz = Gzip(many);
  HuntResult t = Hunted(gz.substr(0, gz.size() / 2), "cut.json.gz");
  EXPECT_GT(t.alerts.size(), 0u);
  EXPECT_LT(t.alerts.size(), 1000u);
  ASSERT_FALSE(t.problems.empty());
  EXPECT_NE(t.problems[0].message.find("truncated gzip stream"), std::string::npos)
      << t.problems[0].message;

  // Not JSON at all; JSON that is not CloudTrail; a record missing its fields.
  EXPECT_NE(Hunted("hello world\nthis is text\n").problems.at(0).message.find("neither CloudTrail"),
            std::string::npos);
  EXPECT_NE(Hunted("{\"colour\": \"blue\"}").problems.at(0).message.find("not CloudTrail"),
            std::string::npos);
  HuntResult missing = Hunted("{\"Records\":[{\"eventSource\":\"s3.amazonaws.com\"}]}");
  EXPECT_EQ(missing.stats.malformed, 1u);
  EXPECT_NE(missing.problems.at(0).message.find("record 0 lacks eventName"), std::string::npos);
  HuntResult truncated = Hunted("{\"Records\":[" + Event("StopLogging"));
  EXPECT_NE(truncated.problems.at(0).message.find("not valid JSON"), std::string::npos);
}

TEST(HuntInput, AHundredMegabyteLine) {
  std::string big = Event("StopLogging");
  big.insert(big.size() - 1,
             ",\"requestParameters\":{\"blob\":\"" + std::string(100 << 20, 'x') + "\"}");
  HuntResult r =
      Hunted(Event("DescribeTrails") + "\n" + big + "\n" + Event("StopLogging", 3) + "\n");
  EXPECT_TRUE(r.problems.empty()) << r.problems[0].message;
  EXPECT_EQ(r.stats.events, 3u);
  EXPECT_EQ(r.alerts.size(), 2u);
}

TEST(HuntInput, DirectoryTreesAndChunks) {
  fs::path dir = fs::temp_directory_path() / ("bulwark-hunt-" + std::to_string(::getpid()));
  fs::path day = dir / "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20";
  fs::create_directories(day);
  std::ofstream(day / "a.json.gz", std::ios::binary)
      << Gzip("{\"Records\":[" + Event("StopLogging") + "]}");
  std::ofstream(day / "b.json") << "{\"Records\":[" << Event("StopLogging", 9) << "]}";
  std::string lines;
  for (int i = 0; i < 5000; ++i)
    lines += Event(i % 100 ? "GetObject" : "StopLogging", i % 60) + "\n";
  std::ofstream(dir / "export.jsonl") << lines;
  std::vector<InputProblem> problems;
  std::vector<std::string> inputs = ExpandInputs({dir.string(), (dir / "nope").string()}, problems);
  EXPECT_EQ(inputs.size(), 3u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("no such file"), std::string::npos);
  HuntOptions options;
  options.chunk_bytes = 64 << 10;  // the JSON lines file is split across the workers
  options.threads = 2;
  HuntResult r = Hunt(Rules(), inputs, options);
  EXPECT_EQ(r.stats.files, 3u);
  EXPECT_EQ(r.stats.events, 5002u);
  EXPECT_EQ(r.alerts.size(), 52u);
  EXPECT_TRUE(r.problems.empty());
  fs::remove_all(dir);
}

// Files larger than whole_file_bytes (as stored or decompressed) are streamed in pieces:
// the same alerts, events and problems as reading them whole, in bounded memory.
TEST(HuntInput, LargeFilesAreStreamed) {
  HuntOptions small;
  small.whole_file_bytes = 1 << 20;
  small.chunk_bytes = 64 << 10;
  std::string lines;
  for (int i = 0; i < 20000; ++i) {
    lines += Event(i % 100 ? "GetObject" : "StopLogging", i % 60) + "\n";
    if (i == 12345) lines += "{\"eventName\": \"StopLogging\", oops\n";
  }
  ASSERT_GT(lines.size(), 3u << 20);
  fs::path dir = fs::temp_directory_path() / ("bulwark-stream-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "big.jsonl") << lines;
  std::ofstream(dir / "big.jsonl.gz", std::ios::binary) << Gzip(lines);
  HuntResult whole = HuntBuffer(Rules(), "in", lines, HuntOptions{});
  ASSERT_EQ(whole.alerts.size(), 200u);
  ASSERT_EQ(whole.problems.size(), 1u);
  for (const char* name : {"big.jsonl", "big.jsonl.gz"}) {
    for (bool scan : {true, false}) {
      HuntOptions o = small;
      o.scan_records = scan;
      HuntResult r = Hunt(Rules(), {(dir / name).string()}, o);
      EXPECT_EQ(r.stats.events, whole.stats.events) << name;
      EXPECT_EQ(r.stats.bytes, lines.size()) << name;
      EXPECT_EQ(r.alerts.size(), whole.alerts.size()) << name;
      ASSERT_EQ(r.problems.size(), 1u) << name;
      EXPECT_EQ(r.problems[0].offset, whole.problems[0].offset) << name;
    }
  }
  // Gzip decompressing past the limit from memory streams too.
  EXPECT_EQ(HuntBuffer(Rules(), "in.gz", Gzip(lines), small).alerts.size(), 200u);

  // Flow logs with a header line, streamed.
  std::string flows = "version srcaddr dstaddr dstport action\n";
  for (int i = 0; i < 60000; ++i)
    flows += fmt::format("2 198.51.100.{} 10.0.0.5 {} ACCEPT\n", i % 250, i % 1000 ? 443 : 22);
  std::ofstream(dir / "flows.log") << flows;
  HuntResult f = Hunt(Rules(), {(dir / "flows.log").string()}, small);
  EXPECT_TRUE(f.problems.empty()) << f.problems[0].message;
  EXPECT_EQ(f.stats.flow_records, 60000u);
  EXPECT_EQ(f.alerts.size(), 60u);

  // A gzip bomb: 64 MB of zeros in 64 KB. Reported after its first piece, never inflated.
  std::string bomb = Gzip(std::string(64 << 20, '\0'));
  ASSERT_LT(bomb.size(), 1u << 20);
  std::ofstream(dir / "bomb.gz", std::ios::binary) << bomb;
  HuntResult b = Hunt(Rules(), {(dir / "bomb.gz").string()}, small);
  ASSERT_EQ(b.problems.size(), 1u);
  EXPECT_NE(b.problems[0].message.find("neither CloudTrail"), std::string::npos);
  EXPECT_LE(b.stats.bytes, small.chunk_bytes);

  // One Records document larger than the limit: reported, not read.
  std::string records = "{\"Records\":[";
  for (int i = 0; i < 20000; ++i) {
    if (i) records += ',';
    records += Event("StopLogging", i % 60);
  }
  records += "]}";
  std::ofstream(dir / "records.json") << records;
  HuntResult d = Hunt(Rules(), {(dir / "records.json").string()}, small);
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_NE(d.problems[0].message.find("one JSON document of more than 1 MiB"), std::string::npos)
      << d.problems[0].message;

  // A line longer than the limit costs that line; the lines after it are read.
  std::string longline = Event("StopLogging");
  longline.insert(longline.size() - 1, ",\"x\":\"" + std::string(3 << 20, 'x') + "\"");
  std::ofstream(dir / "long.jsonl")
      << Event("StopLogging") + "\n" + longline + "\n" + Event("StopLogging") + "\n";
  HuntResult l = Hunt(Rules(), {(dir / "long.jsonl").string()}, small);
  EXPECT_EQ(l.alerts.size(), 2u);
  ASSERT_EQ(l.problems.size(), 1u);
  EXPECT_NE(l.problems[0].message.find("line longer than 1 MiB"), std::string::npos);
  EXPECT_EQ(l.problems[0].offset, Event("StopLogging").size() + 1);

  // Truncated gzip, streamed: what precedes the damage is read and the damage named.
  std::string gz = Gzip(lines);
  std::ofstream(dir / "cut.jsonl.gz", std::ios::binary) << gz.substr(0, gz.size() / 2);
  HuntResult t = Hunt(Rules(), {(dir / "cut.jsonl.gz").string()}, small);
  EXPECT_GT(t.alerts.size(), 50u);
  EXPECT_LT(t.alerts.size(), 200u);
  EXPECT_TRUE(std::any_of(t.problems.begin(), t.problems.end(), [](const InputProblem& p) {
    return p.message.find("truncated gzip stream at compressed byte") != std::string::npos;
  }));
  fs::remove_all(dir);
}

// The record scanner and the DOM parser must raise the same alerts with the same details,
// whatever the records look like: whitespace, escapes in keys and values, lists where
// objects stand, nulls, every JSON type, deep nesting (which the DOM parser takes over).
TEST(HuntInput, RecordScannerAgreesWithTheDomParser) {
  RuleSet set;
  LoadRules(std::string(BULWARK_SOURCE_DIR) + "/rules", set);
  ResolveCorrelations(set);
  ASSERT_TRUE(set.problems.empty());
  std::vector<std::string> records = {
      Event("StopLogging"),
      // Pretty-printed, and a key written with an escape.
      "{\n  \"event\\u004eame\" : \"DeleteTrail\" ,\n  \"eventTime\":\"2026-11-20T10:00:01Z\",\n"
      "  \"eventSource\": \"cloudtrail.amazonaws.com\", \"userIdentity\" : { \"arn\" : "
      "\"arn:aws:iam::1:user/eve\" , \"type\":\"IAMUser\"}\n}",
      // Escapes in values, a refused call, UTF-8.
      R"({"eventTime":"2026-11-20T10:00:02Z","eventName":"GetObject","errorCode":"Access\u0044enied","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/jos\u00e9","userName":"José"},"sourceIPAddress":"198.51.100.\u0037","awsRegion":"us-east-1"})",
      // Root, with every JSON type around it and a list where an object stands.
      R"({"eventTime":"2026-11-20T10:00:03Z","eventName":"ListBuckets","userIdentity":[{"type":"Root","arn":"arn:aws:iam::1:root"},{"type":"IAMUser"}],"readOnly":true,"n":-1.5e3,"z":null,"l":[[1,[2]],{"a":[]}],"requestParameters":null})",
      // A write call (the many-regions correlation's base rule) with nulls in place of
      // strings, and a security group opened to the world (a rule picked by event name,
      // reading nested lists).
      R"({"eventTime":"2026-11-20T10:00:04Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","readOnly":false,"errorCode":null,"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","invokedBy":null},"awsRegion":"eu-west-1","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}})",
      // Console login without MFA, and one missing its event name.
      R"({"eventTime":"2026-11-20T10:00:05Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/eve"},"additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Success"}})",
      R"({"eventTime":"2026-11-20T10:00:06Z","readOnly":false,"userIdentity":{"arn":"arn:aws:iam::1:user/eve"}})",
  };
  std::string doc = "{\"Records\":[";
  std::string lines;
  for (const auto& r : records) {
    if (doc.back() != '[') doc += ",\n";
    doc += r;
    lines += nlohmann::json::parse(r).dump() + "\n";
  }
  doc += "]}";
  std::string deep = "{\"Records\":[" + records[0].substr(0, records[0].size() - 1) +
                     ",\"deep\":" + std::string(100, '[') + std::string(100, ']') + "}]}";
  for (const std::string& input : {doc, lines, deep}) {
    HuntOptions dom_only;
    dom_only.scan_records = false;
    HuntResult scanned = HuntBuffer(set, "in", input, HuntOptions{});
    HuntResult parsed = HuntBuffer(set, "in", input, dom_only);
    EXPECT_GE(scanned.alerts.size(), input == deep ? 1u : 6u);
    ASSERT_EQ(scanned.alerts.size(), parsed.alerts.size()) << input;
    for (size_t i = 0; i < scanned.alerts.size(); ++i) {
      const Alert& a = scanned.alerts[i];
      const Alert& b = parsed.alerts[i];
      EXPECT_EQ(a.rule->id, b.rule->id);
      EXPECT_EQ(a.time_ms, b.time_ms);
      EXPECT_EQ(a.principal, b.principal) << a.rule->title;
      EXPECT_EQ(a.source_ip, b.source_ip) << a.rule->title;
      EXPECT_EQ(a.region, b.region) << a.rule->title;
      ASSERT_EQ(a.events.size(), b.events.size());
      for (size_t e = 0; e < a.events.size(); ++e) {
        EXPECT_EQ(nlohmann::json::parse(a.events[e]), nlohmann::json::parse(b.events[e]));
      }
    }
    ASSERT_EQ(scanned.problems.size(), parsed.problems.size());
    for (size_t i = 0; i < scanned.problems.size(); ++i) {
      EXPECT_EQ(scanned.problems[i].message, parsed.problems[i].message);
      EXPECT_EQ(scanned.problems[i].offset, parsed.problems[i].offset);
    }
  }
}

// Numbers are compared as the DOM reader writes them: integers as written (-0 as 0), other
// numbers in their shortest form.
TEST(HuntInput, NumbersReadAlikeByScannerAndDom) {
  RuleSet set;
  LoadRuleText(
      "title: n\nlogsource: {product: aws, service: cloudtrail}\n"
      "detection: {a: {c: '1000'}, b: {d: '1.5'}, z: {z: '0'}, u: {u: '18446744073709551615'},"
      " condition: a or b or z or u}\n",
      "n.yml", set);
  ResolveCorrelations(set);
  ASSERT_TRUE(set.problems.empty());
  const std::string head = R"({"eventName":"a","eventTime":"2026-11-20T10:00:00Z",)";
  const std::vector<std::pair<std::string, size_t>> cases = {
      {R"("c":1e3})", 1},   {R"("c":1000.0})", 1},
      {R"("c":1000})", 1},  {R"("d":1.50})", 1},
      {R"("d":15e-1})", 1}, {R"("z":-0})", 1},
      {R"("z":-0.0})", 0},  {R"("u":18446744073709551615})", 1},
      {R"("c":999})", 0}};
  for (const auto& [field, want] : cases) {
    std::string record = head + field;
    for (const std::string& input :
         {"{\"Records\":[" + record + "]}", record + "\n" + record + "\n"}) {
      for (bool scan : {true, false}) {
        HuntOptions options;
        options.scan_records = scan;
        HuntResult r = HuntBuffer(set, "in", input, options);
        EXPECT_EQ(r.alerts.size(), want * r.stats.events) << input << (scan ? " scanned" : " DOM");
      }
    }
  }
}

// Rules picked by event name are remembered per thread by the name as written: the same
// thread hunting with another rule set, or meeting the name in another case, still gets the
// rules of the set at hand.
TEST(HuntInput, RulesPickedByNameFollowTheRuleSetAndIgnoreCase) {
  auto set_for = [](const std::string& name) {
    RuleSet set;
    LoadRuleText("title: " + name + "\nlogsource: {product: aws, service: cloudtrail}\n" +
                     "detection: {s: {eventName: " + name + "}, condition: s}\n",
                 name + ".yml", set);
    ResolveCorrelations(set);
    return set;
  };
  const RuleSet create = set_for("createuser"), remove = set_for("DeleteUser");
  std::string input;
  for (const char* n : {"CreateUser", "DeleteUser", "CREATEUSER", "deleteuser", "Other"}) {
    input +=
        std::string(R"({"eventName":")") + n + R"(","eventTime":"2026-11-20T10:00:00Z"})" + "\n";
  }
  for (int round = 0; round < 2; ++round) {
    for (bool scan : {true, false}) {
      HuntOptions options;
      options.scan_records = scan;
      HuntResult a = HuntBuffer(create, "in", input, options);
      HuntResult b = HuntBuffer(remove, "in", input, options);
      ASSERT_EQ(a.alerts.size(), 2u) << round << scan;
      ASSERT_EQ(b.alerts.size(), 2u) << round << scan;
      EXPECT_EQ(a.alerts[0].rule->title, "createuser");
      EXPECT_EQ(b.alerts[0].rule->title, "DeleteUser");
    }
  }
}

TEST(HuntInput, Summary) {
  HuntOptions options;
  options.summary = true;
  std::string in = Event("StopLogging", 1) + "\n" + Event("DescribeTrails", 7) + "\n";
  HuntResult r = HuntBuffer(Rules(), "in", in, options);
  ASSERT_EQ(r.summary.principals.size(), 1u);
  const auto& e = r.summary.principals.begin()->second;
  EXPECT_EQ(e.calls, 2u);
  EXPECT_EQ(e.actions.at("cloudtrail:StopLogging"), 1u);
  EXPECT_EQ(e.others.at("203.0.113.9"), 2u);
  EXPECT_EQ(e.last_ms - e.first_ms, 6000);
  EXPECT_EQ(r.summary.source_ips.at("203.0.113.9").calls, 2u);
}

}  // namespace
}  // namespace bulwark::hunt
