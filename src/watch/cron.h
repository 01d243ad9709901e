// Cron schedules ("*/30 * * * *"): minute, hour, day of month, month and day of week, each
// `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a list of those; as in cron,
// when both day fields are restricted a day matching either runs. Times are UTC. Written by
// hand: Debian ships no C++ cron-expression library.
#pragma once

#include <bitset>
#include <ctime>
#include <string>

#include "util/status.h"

namespace bulwark::watch {

class CronSchedule {
 public:
  static Result<CronSchedule> Parse(const std::string& expression);
  // The first minute strictly after `after` that the schedule names (0 if none in 5 years).
  std::time_t Next(std::time_t after) const;

 private:
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1-31
  std::bitset<13> months_;   // 1-12
  std::bitset<7> weekdays_;  // 0 = Sunday (7 is read as 0)
  bool any_day_ = true, any_weekday_ = true;
};

}  // namespace bulwark::watch
