#include "watch/cron.h"

#include <fmt/format.h>

#include <vector>

#include "util/strings.h"

namespace bulwark::watch {
namespace {

bool Number(const std::string& s, int* out) {
  if (s.empty() || s.size() > 2 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::stoi(s);
  return true;
}

// One field into `set` (bits lo..hi); false when malformed or out of range.
template <size_t N>
bool Field(const std::string& text, int lo, int hi, std::bitset<N>& set, bool* any) {
  *any = text == "*";
  for (const auto& part : Split(text, ',')) {
    std::string range = part;
    int step = 1;
    size_t slash = part.find('/');
    if (slash != std::string::npos) {
      range = part.substr(0, slash);
      if (!Number(part.substr(slash + 1), &step) || step < 1) return false;
    }
    int a = lo, b = hi;
    if (range != "*") {
      size_t dash = range.find('-');
      if (dash == std::string::npos) {
        if (!Number(range, &a)) return false;
        b = slash == std::string::npos ? a : hi;
      } else if (!Number(range.substr(0, dash), &a) || !Number(range.substr(dash + 1), &b)) {
        return false;
      }
    }
    if (a < lo || b > hi || a > b) return false;
    for (int v = a; v <= b; v += step) set.set(static_cast<size_t>(v));
  }
  return true;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(const std::string& expression) {
  std::vector<std::string> f;
  for (const auto& part : Split(Trim(expression), ' '))
    if (!part.empty()) f.push_back(part);
  auto bad = [&](const char* what) {
    return Status::InvalidArgument(fmt::format(
        "cron '{}': bad {} field (minute hour day-of-month month day-of-week)", expression, what));
  };
  if (f.size() != 5)
    return Status::InvalidArgument(fmt::format(
        "cron '{}': five fields are needed (minute hour day-of-month month day-of-week)",
        expression));
  CronSchedule c;
  bool any = false;
  if (!Field(f[0], 0, 59, c.minutes_, &any)) return bad("minute");
  if (!Field(f[1], 0, 23, c.hours_, &any)) return bad("hour");
  if (!Field(f[2], 1, 31, c.days_, &c.any_day_)) return bad("day-of-month");
  if (!Field(f[3], 1, 12, c.months_, &any)) return bad("month");
  std::bitset<8> week;
  if (!Field(f[4], 0, 7, week, &c.any_weekday_)) return bad("day-of-week");
  for (size_t d = 0; d < 7; ++d) c.weekdays_[d] = week[d];
  if (week[7]) c.weekdays_[0] = true;
  return c;
}

std::time_t CronSchedule::Next(std::time_t after) const {
  std::time_t t = after - after % 60 + 60;  // the next whole minute
  const std::time_t limit = after + std::time_t{5} * 366 * 86400;
  while (t < limit) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    bool day_ok;
    bool dom = days_[static_cast<size_t>(tm.tm_mday)],
         dow = weekdays_[static_cast<size_t>(tm.tm_wday)];
    if (any_day_ && any_weekday_) {
      day_ok = true;
    } else if (any_day_) {
      day_ok = dow;
    } else if (any_weekday_) {
      day_ok = dom;
    } else {
      day_ok = dom || dow;
    }
    if (!months_[static_cast<size_t>(tm.tm_mon + 1)] || !day_ok) {
      t += 86400 - (tm.tm_hour * 3600 + tm.tm_min * 60);  // the next day's midnight
      continue;
    }
    if (!hours_[static_cast<size_t>(tm.tm_hour)]) {
      t += 3600 - tm.tm_min * 60;  // the next hour
      continue;
    }
    if (!minutes_[static_cast<size_t>(tm.tm_min)]) {
      t += 60;
      continue;
    }
    return t;
  }
  return 0;
}

}  // namespace bulwark::watch
