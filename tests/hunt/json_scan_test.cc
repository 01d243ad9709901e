#include "hunt/json_scan.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace bulwark::hunt {
namespace {

// What the scanner read at `slot` for the current record, as text ("" when absent).
std::string Read(const RecordScanner& sc, int slot) {
  std::vector<FieldValue> v;
  if (!sc.Values(slot, v)) return "<absent>";
  std::string out;
  for (const auto& f : v) out += std::string(f.text) + ";";
  return out;
}

// The same from the DOM of the record.
std::string Dom(simdjson::dom::element rec, const char* key, const char* sub = nullptr) {
  simdjson::dom::element e;
  if (rec[key].get(e) != simdjson::SUCCESS) return "<absent>";
  if (sub != nullptr && e[sub].get(e) != simdjson::SUCCESS) return "<absent>";
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s) + ";";
  return std::string(simdjson::to_string(e)) + ";";
}

// Skipped values holding what a block-at-a-time reader can get wrong: runs of backslashes
// before a quote, brackets and quotes inside strings, strings longer than a block, all
// moved across every position of a 64-byte block by the padding in front of them.
void AgreesWithTheDomAtEveryBlockOffset() {
  const std::vector<std::string> hops = {
      R"({"a":"x\\","b":"}}]]"})",
      R"({"a":"\\\"{[","b":["\\\\\\","\"]"]})",
      R"([{"k":"\\\\\\\\"},{"k":"\\\\\\\\\""},"{{{{"])",
      R"("a plain string with \"quotes\" and \\ backslashes \\\\")",
      R"({"deep":[[[[{"x":[{"y":"]]]]}}}"}]}]]]]})",
      // Strings longer than a block, brackets on both sides of its edge.
      R"({"s":"}}}}]]]]{{{{[[[[}}}}]]]]{{{{[[[[}}}}]]]]{{{{[[[[}}}}]]]]{{{{[[[[}}}}]]]]{{{{[[[[}}}}]]]]"})",
      R"(["\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\"}", "]"])",
  };
  Projection p;
  const int name = p.Add("eventName"), arn = p.Add("userIdentity.arn"), hop = p.Add("hop"),
            after = p.Add("after");
  RecordScanner sc(p);
  simdjson::dom::parser parser;
  for (size_t shift = 0; shift < 140; ++shift) {
    std::string doc = "{\"Records\":[";
    for (size_t h = 0; h < hops.size(); ++h) {
      if (h) doc += ",";
      // Blocks are counted from the start of the value hopped over: the padding goes
      // inside it.
      std::string pad(1, '"');
      pad.append(shift, 'p').append("\",");
      doc += R"({"skipped":[)" + pad + hops[h] + R"(],"eventName":"E)" + std::to_string(h) +
             R"(","userIdentity":{"x":[)" + pad + hops[h] + "]" + R"(,"arn":"arn:)" +
             std::string(shift % 7, '\\') + std::string(shift % 7, '\\') + R"(q"},"hop":)" +
             hops[h] + R"(,"after":"\u0041\\"})";
    }
    doc += "]}";
    std::string padded = doc + std::string(simdjson::SIMDJSON_PADDING, ' ');
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(doc).get(root), simdjson::SUCCESS) << doc;
    simdjson::dom::array records = root["Records"].get_array();
    std::vector<simdjson::dom::element> want(records.begin(), records.end());
    size_t n = 0;
    bool ok =
        sc.Scan(std::string_view(padded.data(), doc.size()), false, [&](const ScannedRecord& rec) {
          ASSERT_LT(n, want.size());
          simdjson::dom::element w = want[n++];
          EXPECT_EQ(Read(sc, name), Dom(w, "eventName")) << shift;
          EXPECT_EQ(Read(sc, arn), Dom(w, "userIdentity", "arn")) << shift;
          EXPECT_EQ(Read(sc, after), Dom(w, "after")) << shift;
          EXPECT_TRUE(sc.Has(hop));
          EXPECT_EQ(rec.raw.front(), '{');
          EXPECT_EQ(rec.raw.back(), '}');
        });
    ASSERT_TRUE(ok) << doc;
    EXPECT_EQ(n, hops.size());
  }
}

// Runs `check` with both SIMD variants: the baseline one, and AVX2 where the CPU has it.
void WithEachSimd(void (*check)()) {
  for (bool avx2 : {false, true}) {
    if (UseAvx2(avx2) != avx2) continue;
    SCOPED_TRACE(avx2 ? "AVX2" : "baseline");
    check();
  }
  UseAvx2(true);
}

TEST(RecordScanner, AgreesWithTheDomAtEveryBlockOffset) {
  WithEachSimd(AgreesWithTheDomAtEveryBlockOffset);
}

// Keys are first compared with the key (and the '":' after it) seen at the same position of
// the record before: a key spelled otherwise, spaced, longer, given twice or escaped is
// still read as the DOM reads it.
TEST(RecordScanner, KeysSpelledOtherwiseThanTheRecordBefore) {
  const std::vector<std::string> records = {
      R"({"eventName":"A","s":"x"})",
      R"({"eventName" : "B","s":"x"})",
      R"({"eventNameX":"C","eventName":"D"})",
      R"({"eventName":"E","eventName":"F"})",
      R"({"event\u004eame":"G"})",
      R"({"eventNam":"H","eventName":"I"})",
      R"({"eventName":
"J"})",
      R"({"eventName":"K"})",
  };
  Projection p;
  const int name = p.Add("eventName");
  RecordScanner sc(p);
  simdjson::dom::parser parser;
  std::string lines;
  for (const auto& r : records) lines += r + "\n";
  std::string padded = lines + std::string(simdjson::SIMDJSON_PADDING, ' ');
  size_t n = 0;
  ASSERT_TRUE(
      sc.Scan(std::string_view(padded.data(), lines.size()), true, [&](const ScannedRecord&) {
        ASSERT_LT(n, records.size());
        simdjson::dom::element w;
        ASSERT_EQ(parser.parse(records[n]).get(w), simdjson::SUCCESS);
        EXPECT_EQ(Read(sc, name), Dom(w, "eventName")) << records[n];
        ++n;
      }));
  EXPECT_EQ(n, records.size());
}

// What the DOM refuses, the scanner refuses too, wherever it stands.
void RefusesBrokenInput() {
  Projection p;
  p.Add("eventName");
  RecordScanner sc(p);
  const std::vector<std::string> bad = {
      R"({"Records":[{"eventName":"x","s":"unterminated}]})",
      R"({"Records":[{"eventName":"x","s":{"a":[1,2}]})",
      "{\"Records\":[{\"eventName\":\"x\",\"s\":\"raw\ttab\"}]}",
      "{\"Records\":[{\"eventName\":\"raw\nnewline\"}]}",
      "{\"Records\":[{\"eventName\":\"x\",\"s\":\"\xff\xfe\"}]}",
      R"({"Records":[{"eventName":x}]})",
      R"({"Records":[{"eventName":"x"})",
      R"({"Records":[{"eventName":"x"}]} trailing)",
  };
  for (const std::string& doc : bad) {
    std::string padded = doc + std::string(simdjson::SIMDJSON_PADDING, ' ');
    EXPECT_FALSE(
        sc.Scan(std::string_view(padded.data(), doc.size()), false, [](const ScannedRecord&) {}))
        << doc;
  }
}

TEST(RecordScanner, RefusesBrokenInput) { WithEachSimd(RefusesBrokenInput); }

}  // namespace
}  // namespace bulwark::hunt
