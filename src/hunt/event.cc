#include "hunt/event.h"

#include <charconv>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <unordered_map>

namespace bulwark::hunt {
namespace {

// Walks `path` from `e`, fanning out over arrays, and appends the leaves.
void Walk(simdjson::dom::element e, std::string_view path, std::vector<FieldValue>& out,
          std::deque<std::string>& numbers) {
  using simdjson::dom::element_type;
  if (e.type() == element_type::ARRAY) {
    simdjson::dom::array arr;
    if (e.get(arr) != simdjson::SUCCESS) return;
    for (simdjson::dom::element child : arr) Walk(child, path, out, numbers);
    return;
  }
  if (!path.empty()) {
    if (e.type() != element_type::OBJECT) return;
    size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    std::string_view rest = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    simdjson::dom::object obj;
    simdjson::dom::element child;
    if (e.get(obj) != simdjson::SUCCESS || obj[key].get(child) != simdjson::SUCCESS) return;
    Walk(child, rest, out, numbers);
    return;
  }
  FieldValue v;
  switch (e.type()) {
    case element_type::STRING:
      v.kind = FieldValue::Kind::kString;
      v.text = e.get_string().value_unsafe();
      break;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      v.kind = FieldValue::Kind::kNumber;
      double d = 0;
      if (e.type() == element_type::INT64) {
        d = static_cast<double>(e.get_int64().value_unsafe());
        numbers.push_back(std::to_string(e.get_int64().value_unsafe()));
      } else if (e.type() == element_type::UINT64) {
        d = static_cast<double>(e.get_uint64().value_unsafe());
        numbers.push_back(std::to_string(e.get_uint64().value_unsafe()));
      } else {
        d = e.get_double().value_unsafe();
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof(buf), d);
        numbers.emplace_back(buf, r.ptr);
      }
      v.number = d;
      v.text = numbers.back();
      break;
    }
    case element_type::BOOL:
      v.kind = FieldValue::Kind::kBool;
      v.text = e.get_bool().value_unsafe() ? "true" : "false";
      break;
    case element_type::NULL_VALUE:
      v.kind = FieldValue::Kind::kNull;
      break;
    default:
      v.kind = FieldValue::Kind::kOther;  // an object where a leaf was asked for
      break;
  }
  out.push_back(v);
}

// The calling thread's lookup cache: per interned field, the event generation it was filled
// for and where its values sit in `values`.
struct LookupCache {
  uint64_t generation = 0;
  std::vector<uint64_t> filled_for;
  std::vector<std::pair<uint32_t, uint32_t>> slot;  // start, count; count ~0u = absent
  std::vector<FieldValue> values;
};
thread_local LookupCache t_cache;

std::mutex g_intern_mu;
std::unordered_map<std::string, int>& Interned() {
  static auto* m = new std::unordered_map<std::string, int>;
  return *m;
}

}  // namespace

int InternField(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_intern_mu);
  auto& m = Interned();
  auto it = m.find(path);
  if (it != m.end()) return it->second;
  int id = static_cast<int>(m.size());
  m.emplace(path, id);
  return id;
}

Event::Event() : generation_(++t_cache.generation) { t_cache.values.clear(); }

bool Event::CachedValues(int id, std::string_view path, std::vector<FieldValue>& out) const {
  LookupCache& c = t_cache;
  if (id < 0 || generation_ != c.generation) return Values(path, out);  // not the newest
  if (static_cast<size_t>(id) >= c.filled_for.size()) {
    c.filled_for.resize(id + 1, 0);
    c.slot.resize(id + 1);
  }
  if (c.filled_for[id] == generation_) {
    auto [start, count] = c.slot[id];
    if (count == ~0u) return false;
    out.insert(out.end(), c.values.begin() + start, c.values.begin() + start + count);
    return true;
  }
  size_t before = out.size();
  bool found = Values(path, out);
  uint32_t start = static_cast<uint32_t>(c.values.size());
  c.values.insert(c.values.end(), out.begin() + static_cast<long>(before), out.end());
  c.slot[id] = {start, found ? static_cast<uint32_t>(out.size() - before) : ~0u};
  c.filled_for[id] = generation_;
  return found;
}

int64_t ParseIsoMillis(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|+00:00]
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return -1;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 0 || tm.tm_hour < 0 || tm.tm_min < 0 ||
      tm.tm_sec < 0) {
    return -1;
  }
  int64_t ms = 0;
  if (s.size() > 20 && s[19] == '.') {
    int scale = 100;
    for (size_t i = 20; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      ms += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  const int year = tm.tm_year + 1900, month = tm.tm_mon + 1;
  if (month > 12 || tm.tm_mday == 0 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;  // out of range: as timegm reads it
  }
  // Days since 1970-01-01 in the proleptic Gregorian calendar, counted from March so the
  // leap day ends the year (timegm's answer, without its cost on every record).
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = y / 400;  // years are 0..9999 here
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + tm.tm_mday - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + tm.tm_hour) * 60 + tm.tm_min) * 60000 + tm.tm_sec * 1000 + ms;
}

bool CloudTrailEvent::Values(std::string_view path, std::vector<FieldValue>& out) const {
  size_t before = out.size();
  Walk(e_, path, out, numbers_);
  return out.size() > before;
}

std::string CloudTrailEvent::Text() const { return simdjson::minify(e_); }

std::string_view CloudTrailEvent::String(std::string_view key) const {
  std::string_view v;
  if (e_[key].get(v) != simdjson::SUCCESS) return "";
  return v;
}

int64_t JsonEvent::TimeMs() const {
  int64_t t = ParseIsoMillis(Get(kEventTime));
  return t < 0 ? 0 : t;
}

std::string_view FlowLogEvent::Get(std::string_view name) const {
  for (size_t i = 0; i < names_->size() && i < values_.size(); ++i) {
    if ((*names_)[i] == name) return values_[i];
  }
  return {};
}

bool FlowLogEvent::Values(std::string_view path, std::vector<FieldValue>& out) const {
  for (size_t i = 0; i < names_->size() && i < values_.size(); ++i) {
    if ((*names_)[i] != path) continue;
    FieldValue v;
    v.text = values_[i];
    if (v.text == "-") {
      v.kind = FieldValue::Kind::kNull;  // the format's "no data"
    } else {
      v.kind = FieldValue::Kind::kString;
      double d = 0;
      auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), d);
      if (r.ec == std::errc() && r.ptr == v.text.data() + v.text.size()) {
        v.kind = FieldValue::Kind::kNumber;
        v.number = d;
      }
    }
    out.push_back(v);
    return true;
  }
  return false;
}

int64_t FlowLogEvent::TimeMs() const {
  std::string_view start = Get("start");
  int64_t t = 0;
  auto r = std::from_chars(start.data(), start.data() + start.size(), t);
  // Seconds since the epoch; anything that does not fit in milliseconds is not a time.
  if (r.ec != std::errc() || t < 0 || t > INT64_MAX / 1000) return 0;
  return t * 1000;
}

}  // namespace bulwark::hunt
