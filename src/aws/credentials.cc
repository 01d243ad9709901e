#include "aws/credentials.h"

#include <cstdio>
#include <ctime>

namespace bulwark::aws {

std::time_t ParseIso8601(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) < 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t t = timegm(&tm);
  // Skip fractional seconds, then apply an explicit +hh:mm / -hh:mm offset.
  const char* rest = text.c_str() + consumed;
  if (*rest == '.') {
    ++rest;
    while (*rest >= '0' && *rest <= '9') ++rest;
  }
  int oh = 0;
  int om = 0;
  if ((*rest == '+' || *rest == '-') && std::sscanf(rest + 1, "%d:%d", &oh, &om) >= 1) {
    int offset = oh * 3600 + om * 60;
    t += *rest == '+' ? -offset : offset;
  }
  return t;
}

}  // namespace bulwark::aws
