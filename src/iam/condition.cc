#include "iam/condition.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>
#include <ctime>
#include <optional>

#include "iam/match.h"
#include "util/strings.h"

namespace bulwark::iam {
namespace {

enum class Family { kString, kNumeric, kDate, kBool, kBinary, kIp, kArn, kNull, kUnknown };
enum class Cmp { kEq, kLt, kLte, kGt, kGte, kLike };

struct Operator {
  Family family = Family::kUnknown;
  Cmp cmp = Cmp::kEq;
  bool negated = false;
  bool ignore_case = false;
};

Operator Classify(const std::string& op) {
  struct Entry {
    const char* name;
    Operator o;
  };
  static const Entry kOps[] = {
      {"StringEquals", {Family::kString, Cmp::kEq, false, false}},
      {"StringNotEquals", {Family::kString, Cmp::kEq, true, false}},
      {"StringEqualsIgnoreCase", {Family::kString, Cmp::kEq, false, true}},
      {"StringNotEqualsIgnoreCase", {Family::kString, Cmp::kEq, true, true}},
      {"StringLike", {Family::kString, Cmp::kLike, false, false}},
      {"StringNotLike", {Family::kString, Cmp::kLike, true, false}},
      {"NumericEquals", {Family::kNumeric, Cmp::kEq, false, false}},
      {"NumericNotEquals", {Family::kNumeric, Cmp::kEq, true, false}},
      {"NumericLessThan", {Family::kNumeric, Cmp::kLt, false, false}},
      {"NumericLessThanEquals", {Family::kNumeric, Cmp::kLte, false, false}},
      {"NumericGreaterThan", {Family::kNumeric, Cmp::kGt, false, false}},
      {"NumericGreaterThanEquals", {Family::kNumeric, Cmp::kGte, false, false}},
      {"DateEquals", {Family::kDate, Cmp::kEq, false, false}},
      {"DateNotEquals", {Family::kDate, Cmp::kEq, true, false}},
      {"DateLessThan", {Family::kDate, Cmp::kLt, false, false}},
      {"DateLessThanEquals", {Family::kDate, Cmp::kLte, false, false}},
      {"DateGreaterThan", {Family::kDate, Cmp::kGt, false, false}},
      {"DateGreaterThanEquals", {Family::kDate, Cmp::kGte, false, false}},
      {"Bool", {Family::kBool, Cmp::kEq, false, false}},
      {"BinaryEquals", {Family::kBinary, Cmp::kEq, false, false}},
      {"IpAddress", {Family::kIp, Cmp::kEq, false, false}},
      {"NotIpAddress", {Family::kIp, Cmp::kEq, true, false}},
      {"ArnEquals", {Family::kArn, Cmp::kLike, false, false}},
      {"ArnLike", {Family::kArn, Cmp::kLike, false, false}},
      {"ArnNotEquals", {Family::kArn, Cmp::kLike, true, false}},
      {"ArnNotLike", {Family::kArn, Cmp::kLike, true, false}},
      {"Null", {Family::kNull, Cmp::kEq, false, false}},
  };
  for (const auto& e : kOps) {
    if (op == e.name) return e.o;
  }
  return {};
}

std::optional<double> Number(std::string_view s) {
  double d = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return d;
}

// ISO 8601 ("2026-11-23", "2026-11-23T10:00:00Z", fractions and offsets) or epoch seconds,
// to milliseconds since the epoch.
std::optional<int64_t> Date(std::string_view s) {
  if (auto n = Number(s); n && s.find('-') == std::string_view::npos) {
    return static_cast<int64_t>(*n * 1000);
  }
  std::tm tm{};
  int ms = 0, offset_min = 0;
  auto digits = [&](size_t pos, size_t len, int& out) {
    if (pos + len > s.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d;
  if (!digits(0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d)) {
    return std::nullopt;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    if (!digits(pos + 1, 2, tm.tm_hour) || s.size() < pos + 6 || s[pos + 3] != ':' ||
        !digits(pos + 4, 2, tm.tm_min)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(pos + 1, 2, tm.tm_sec)) return std::nullopt;
      pos += 3;
    }
    if (pos < s.size() && s[pos] == '.') {
      int scale = 100;
      for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
        ms += (s[pos] - '0') * scale;
        scale /= 10;
      }
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int hh, mm;
      size_t colon = pos + 3 < s.size() && s[pos + 3] == ':' ? 1 : 0;
      if (!digits(pos + 1, 2, hh) || !digits(pos + 3 + colon, 2, mm)) return std::nullopt;
      offset_min = (s[pos] == '+' ? 1 : -1) * (hh * 60 + mm);
      pos += 5 + colon;
    }
  }
  if (pos != s.size()) return std::nullopt;
  return (static_cast<int64_t>(timegm(&tm)) - offset_min * 60) * 1000 + ms;
}

struct Cidr {
  std::array<uint8_t, 16> addr{};
  int bits = 0;
};

// IPv4 addresses are mapped into IPv6 (::ffff:a.b.c.d) so one comparison serves both.
std::optional<Cidr> ParseCidr(std::string_view text, bool is_network) {
  std::string s(text);
  Cidr c;
  int max = 128;
  size_t slash = s.find('/');
  std::string host = s.substr(0, slash);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    c.addr[10] = c.addr[11] = 0xff;
    std::memcpy(&c.addr[12], &v4, 4);
    max = 32;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    std::memcpy(c.addr.data(), &v6, 16);
  } else {
    return std::nullopt;
  }
  int bits = max;
  if (slash != std::string::npos) {
    if (!is_network) return std::nullopt;
    auto r = std::from_chars(s.data() + slash + 1, s.data() + s.size(), bits);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || bits < 0 || bits > max)
      return std::nullopt;
  }
  c.bits = bits + (128 - max);
  return c;
}

bool InCidr(const Cidr& net, const Cidr& ip) {
  int bits = net.bits;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((net.addr[i] & mask) != (ip.addr[i] & mask)) return false;
  }
  return true;
}

template <typename T>
bool Compare(Cmp cmp, T a, T b) {
  switch (cmp) {
    case Cmp::kEq:
    case Cmp::kLike:
      return a == b;
    case Cmp::kLt:
      return a < b;
    case Cmp::kLte:
      return a <= b;
    case Cmp::kGt:
      return a > b;
    case Cmp::kGte:
      return a >= b;
  }
  return false;
}

// The positive form of the operator: does one request value match one policy value?
bool ValueMatches(const Operator& op, std::string_view actual, std::string_view wanted) {
  switch (op.family) {
    case Family::kString:
      if (op.cmp == Cmp::kLike) return WildcardMatch(wanted, actual, false);
      return op.ignore_case ? ToLower(actual) == ToLower(wanted) : actual == wanted;
    case Family::kNumeric: {
      auto a = Number(actual), w = Number(wanted);
      return a && w && Compare(op.cmp, *a, *w);
    }
    case Family::kDate: {
      auto a = Date(actual), w = Date(wanted);
      return a && w && Compare(op.cmp, *a, *w);
    }
    case Family::kBool:
      return ToLower(actual) == ToLower(wanted);
    case Family::kBinary:
      return actual == wanted;
    case Family::kIp: {
      auto net = ParseCidr(wanted, true), ip = ParseCidr(actual, false);
      return net && ip && InCidr(*net, *ip);
    }
    case Family::kArn:
      return ArnMatches(wanted, actual);
    case Family::kNull:
    case Family::kUnknown:
      return false;
  }
  return false;
}

}  // namespace

bool KnownOperator(const std::string& base_op) {
  return Classify(base_op).family != Family::kUnknown;
}

bool ConditionHolds(const ConditionClause& c, const RequestContext& ctx, bool variables,
                    bool* unknown) {
  Operator op = Classify(c.base_op);
  if (op.family == Family::kUnknown) {
    if (unknown) *unknown = true;
    return false;
  }
  const std::vector<std::string>* actual = ctx.Find(c.key);
  if (op.family == Family::kNull) {
    // "Null": {"key": "true"} holds when the key is absent, "false" when present.
    bool absent = actual == nullptr || actual->empty();
    for (const auto& v : c.values) {
      if (ToLower(v) == (absent ? "true" : "false")) return true;
    }
    return false;
  }
  // Policy values, with policy variables replaced (a value naming a missing key is dropped).
  const bool pattern = op.family == Family::kArn || op.cmp == Cmp::kLike;
  std::vector<std::string> wanted;
  for (const auto& v : c.values) {
    if (!variables || v.find("${") == std::string::npos) {
      wanted.push_back(v);
    } else if (auto s =
                   pattern ? SubstituteVariablesAsPattern(v, ctx) : SubstituteVariables(v, ctx)) {
      wanted.push_back(std::move(*s));
    }
  }
  auto any_wanted = [&](const std::string& a) {
    for (const auto& w : wanted) {
      if (ValueMatches(op, a, w)) return true;
    }
    return false;
  };
  bool missing = actual == nullptr || actual->empty();
  switch (c.set) {
    case ConditionClause::Set::kForAllValues:
      // Vacuously true on a missing or empty key, as AWS documents (and warns).
      if (missing) return true;
      for (const auto& a : *actual) {
        if (any_wanted(a) == op.negated) return false;
      }
      return true;
    case ConditionClause::Set::kForAnyValue:
      if (missing) return c.if_exists;
      for (const auto& a : *actual) {
        if (any_wanted(a) != op.negated) return true;
      }
      return false;
    case ConditionClause::Set::kNone:
      if (missing) return c.if_exists || op.negated;
      for (const auto& a : *actual) {
        if (any_wanted(a)) return !op.negated;
      }
      return op.negated;
  }
  return false;
}

}  // namespace bulwark::iam
