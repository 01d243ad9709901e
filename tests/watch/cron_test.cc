// Cron schedules: the next run after a given time, in UTC, as cron computes it.
#include "watch/cron.h"

#include <gtest/gtest.h>

#include "snapshot/snapshot.h"

namespace bulwark::watch {
namespace {

std::time_t At(int y, int mo, int d, int h, int mi) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return timegm(&tm);
}

std::string Next(const std::string& expr, std::time_t after) {
  auto c = CronSchedule::Parse(expr);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return snapshot::FormatIso8601(c->Next(after));
}

TEST(Cron, NextRuns) {
  const std::time_t t = At(2026, 12, 1, 23, 7);  // a Tuesday
  EXPECT_EQ(Next("*/30 * * * *", t), "2026-12-01T23:30:00Z");
  EXPECT_EQ(Next("* * * * *", t), "2026-12-01T23:08:00Z");
  EXPECT_EQ(Next("0 * * * *", t), "2026-12-02T00:00:00Z");
  EXPECT_EQ(Next("15 6 * * *", t), "2026-12-02T06:15:00Z");
  EXPECT_EQ(Next("0 9 * * 1-5", At(2026, 12, 4, 10, 0)), "2026-12-07T09:00:00Z");  // Fri -> Mon
  EXPECT_EQ(Next("0 0 1 1 *", t), "2027-01-01T00:00:00Z");
  EXPECT_EQ(Next("0 0 29 2 *", t), "2028-02-29T00:00:00Z");
  EXPECT_EQ(Next("0 12 * * 7", t), "2026-12-06T12:00:00Z");  // 7 is Sunday
  EXPECT_EQ(Next("5,35 */6 * * *", t), "2026-12-02T00:05:00Z");
  // Both day fields restricted: either one runs (the 15th, or a Sunday).
  EXPECT_EQ(Next("0 0 15 * 0", t), "2026-12-06T00:00:00Z");
  // Exactly on a scheduled minute: the next one, not the same.
  EXPECT_EQ(Next("*/30 * * * *", At(2026, 12, 1, 23, 30)), "2026-12-02T00:00:00Z");
}

TEST(Cron, BadExpressionsAreRefused) {
  for (const char* bad : {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
                          "* * * * 8", "*/0 * * * *", "a * * * *", "5-1 * * * *"}) {
    auto c = CronSchedule::Parse(bad);
    EXPECT_FALSE(c.ok()) << bad;
    if (!c.ok()) {
      EXPECT_NE(c.status().message().find("cron '"), std::string::npos);
    }
  }
  EXPECT_EQ(CronSchedule::Parse("0 0 31 2 *")->Next(0), 0);  // February has no 31st
}

}  // namespace
}  // namespace bulwark::watch
