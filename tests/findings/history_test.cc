// Scan history: recording scans and the difference between two of them.
#include "findings/history.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace bulwark::findings {
namespace {

Finding F(std::string check, std::string resource, FindingStatus status) {
  Finding f;
  f.check_id = std::move(check);
  f.account_id = "111122223333";
  f.region = "us-east-1";
  f.resource_id = std::move(resource);
  f.status = status;
  f.severity = Severity::kHigh;
  return f;
}

TEST(History, NewResolvedStillOpenWithFirstSeen) {
  std::string path = ::testing::TempDir() + "/bulwark-history-test.db";
  std::filesystem::remove(path);
  EXPECT_FALSE(History::Open(path, false).ok());  // diff and history never create one
  auto h = History::Open(path, true);
  ASSERT_TRUE(h.ok()) << h.status().message();
  Report r1, r2, r3;
  r1.snapshot = {{"account_id", "111122223333"}};
  r1.findings = {F("a", "x", FindingStatus::kFail), F("b", "y", FindingStatus::kFail),
                 F("c", "z", FindingStatus::kPass)};
  r2.findings = {F("a", "x", FindingStatus::kFail), F("b", "y", FindingStatus::kPass),
                 F("c", "z", FindingStatus::kFail), F("d", "w", FindingStatus::kMuted)};
  r3.findings = {F("a", "x", FindingStatus::kFail)};
  ASSERT_EQ(*(*h)->Record(r1, "2026-11-01T00:00:00Z"), 1);
  ASSERT_EQ(*(*h)->Record(r2, "2026-11-02T00:00:00Z"), 2);
  auto scans = (*h)->Scans();
  ASSERT_TRUE(scans.ok());
  ASSERT_EQ(scans->size(), 2u);
  EXPECT_EQ((*scans)[0].fail, 2);
  EXPECT_EQ((*scans)[0].pass, 1);
  EXPECT_EQ((*scans)[1].muted, 1);
  EXPECT_EQ((*scans)[0].account_id, "111122223333");

  auto d = (*h)->Compare(0, 0);  // the last two
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->from.id, 1);
  EXPECT_EQ(d->to.id, 2);
  ASSERT_EQ(d->added.size(), 2u);  // c failing now, d muted (muting is not fixing)
  EXPECT_EQ(d->added[0].check_id, "c");
  EXPECT_EQ(d->added[1].status, "MUTED");
  ASSERT_EQ(d->resolved.size(), 1u);
  EXPECT_EQ(d->resolved[0].check_id, "b");
  ASSERT_EQ(d->still_open.size(), 1u);
  EXPECT_EQ(d->still_open[0].first_seen, "2026-11-01T00:00:00Z");

  ASSERT_TRUE((*h)->Record(r3, "2026-11-03T00:00:00Z").ok());
  auto d13 = (*h)->Compare(1, 3);
  ASSERT_TRUE(d13.ok());
  EXPECT_EQ(d13->resolved.size(), 1u);  // b
  EXPECT_EQ(d13->still_open.size(), 1u);
  EXPECT_FALSE((*h)->Compare(1, 9).ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace bulwark::findings
