#include "hunt/engine.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <new>
#include <thread>
#include <unordered_map>
#include <utility>

#include "hunt/gzip.h"
#include "hunt/json_scan.h"
#include "util/strings.h"
#include "util/thread_pool.h"

namespace bulwark::hunt {
namespace {

namespace dom = simdjson::dom;

const std::vector<std::string> kFlowV2 = {
    "version",  "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
    "protocol", "packets",    "bytes",        "start",   "end",     "action",  "log-status"};

// What the engine reads of every CloudTrail record besides the rules' fields (and
// JsonEvent's fields, which every projection holds).
const char* const kEngineFields[] = {
    "userIdentity.arn", "userIdentity.type", "userIdentity.principalId", "userIdentity.invokedBy",
    // Top-level keys that make a line something other than one record.
    "Records", "Events"};

// Hashes std::string and std::string_view alike, so lookups by a view need no copy.
struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A field path (a view of a rule's text or of a literal) and its InternField id, by which
// events look it up fastest.
struct FieldRef {
  std::string_view path;
  int id = -1;
};

FieldRef Interned(std::string_view path) { return {path, InternField(std::string(path))}; }

struct Index {
  std::unordered_map<std::string, std::vector<int>, ViewHash, std::equal_to<>> by_event_name;
  std::vector<int> cloudtrail_always;
  std::vector<int> flow;
  std::vector<std::vector<int>> correlations_of;  // base rule -> correlation rules
  // What the record scanner reads of every record: the engine's fields, the fields of the
  // rules that look at every record and of the correlations. Rules picked by event name
  // run on few records and read what else they need from a DOM of just those.
  Projection projection;
  std::vector<int> slot_of_field;  // InternField id -> projection slot, -1 if none
  // Per rule: the slots of the fields it cannot match without (see Rule::required_fields),
  // when they are all projected, and the required items whose fields are projected.
  std::vector<std::vector<int>> required_slots;
  std::vector<std::vector<std::pair<int, const FieldItem*>>> required_items;
  // Per correlation rule: its group-by fields and value_count's field.
  std::vector<std::vector<FieldRef>> group_by;
  std::vector<FieldRef> value_field;
  uint64_t id;  // tells the threads' scanners which index they serve

  void Project(const std::string& path) {
    int slot = projection.Add(path);
    auto field = static_cast<size_t>(InternField(path));
    if (field >= slot_of_field.size()) slot_of_field.resize(field + 1, -1);
    slot_of_field[field] = slot;
  }

  void ProjectRule(const Rule& r) {
    for (const auto& sel : r.selections) {
      for (const auto& group : sel.groups) {
        for (const auto& item : group) {
          if (!item.field.empty()) Project(item.field);
          for (const auto& m : item.values) {
            if (m.kind == ValueMatcher::Kind::kFieldRef) Project(m.field);
          }
        }
      }
    }
  }

  explicit Index(const RuleSet& set)
      : correlations_of(set.rules.size()),
        required_slots(set.rules.size()),
        required_items(set.rules.size()),
        group_by(set.rules.size()),
        value_field(set.rules.size()) {
    static std::atomic<uint64_t> next_id{1};
    id = next_id++;
    for (const char* f : kEngineFields) Project(f);
    for (size_t i = 0; i < set.rules.size(); ++i) {
      const Rule& r = set.rules[i];
      if (r.correlation) {
        for (int b : r.correlation->rules) correlations_of[b].push_back(static_cast<int>(i));
        for (const auto& g : r.correlation->group_by) group_by[i].push_back(Interned(g));
        if (!r.correlation->field.empty()) value_field[i] = Interned(r.correlation->field);
        if (r.source == LogSource::kFlowLogs) continue;
        for (const auto& g : r.correlation->group_by) Project(g);
        if (!r.correlation->field.empty()) Project(r.correlation->field);
        continue;
      }
      if (r.source == LogSource::kFlowLogs) {
        flow.push_back(static_cast<int>(i));
      } else if (r.event_names.empty()) {
        cloudtrail_always.push_back(static_cast<int>(i));
        ProjectRule(r);
      } else {
        for (const auto& n : r.event_names) by_event_name[n].push_back(static_cast<int>(i));
      }
    }
    for (size_t i = 0; i < set.rules.size(); ++i) {
      for (const auto& f : set.rules[i].required_fields) {
        int slot = projection.Slot(f);
        if (slot < 0) {
          required_slots[i].clear();
          break;
        }
        required_slots[i].push_back(slot);
      }
      const Rule& r = set.rules[i];
      for (auto [sel, item] : r.required_items) {
        const FieldItem& it =
            r.selections[static_cast<size_t>(sel)].groups[0][static_cast<size_t>(item)];
        int slot = projection.Slot(it.field);
        if (slot >= 0) required_items[i].emplace_back(slot, &it);
      }
    }
  }
};

// Memory not cleared when allocated, in 2 MiB-aligned blocks with huge pages advised (one
// page fault per 2 MiB where the kernel gives them, fewer TLB misses): `size` is rounded
// up to whole 2 MiB.
struct FreeBytes {
  void operator()(char* p) const { std::free(p); }
};
using HugeBytes = std::unique_ptr<char[], FreeBytes>;
constexpr size_t kHugePage = size_t{1} << 21;

HugeBytes AllocateHuge(size_t& size) {
  size = (std::max<size_t>(size, 1) + kHugePage - 1) / kHugePage * kHugePage;
  auto* p = static_cast<char*>(std::aligned_alloc(kHugePage, size));
  if (p == nullptr) throw std::bad_alloc();
  AdviseHugePages(p, size);
  return HugeBytes(p);
}

// Correlation samples: what an alert shows of each event a correlation counted. Kept in
// huge-page blocks (AllocateHuge) that stay where they are: a growing string would copy all
// it holds each time it doubled, and a base rule may match a large share of the events.
class SampleArena {
 public:
  std::string_view Keep(std::string_view text) {
    char* at = Take(text.size());
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    return {at, text.size()};
  }
  // Room for n bytes, to be written by the caller.
  char* Take(size_t n) {
    if (blocks_.empty() || used_ + n > size_) {
      size_ = n;
      blocks_.push_back(AllocateHuge(size_));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    used_ += n;
    return at;
  }

 private:
  std::vector<HugeBytes> blocks_;
  size_t used_ = 0;
  size_t size_ = 0;
};

// The hunt's sample arenas: few (one per task running at once), alive until the
// correlations are judged. A task borrows one while it runs.
class SampleArenas {
 public:
  SampleArena* Borrow() {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.empty()) {
      all_.push_back(std::make_unique<SampleArena>());
      return all_.back().get();
    }
    SampleArena* a = idle_.back();
    idle_.pop_back();
    return a;
  }
  void Return(SampleArena* a) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(a);
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<SampleArena>> all_;
  std::vector<SampleArena*> idle_;
};

// A task's loan of an arena, taken when the task first keeps a sample and given back when
// the task's context goes (what was kept stays in the arena).
class ArenaLease {
 public:
  explicit ArenaLease(SampleArenas* from) : from_(from) {}
  ArenaLease(ArenaLease&& o) noexcept : from_(o.from_), arena_(std::exchange(o.arena_, nullptr)) {}
  ArenaLease(const ArenaLease&) = delete;
  ArenaLease& operator=(const ArenaLease&) = delete;
  ArenaLease& operator=(ArenaLease&&) = delete;
  ~ArenaLease() {
    if (arena_ != nullptr) from_->Return(arena_);
  }
  SampleArena& Get() {
    if (arena_ == nullptr) arena_ = from_->Borrow();
    return *arena_;
  }

 private:
  SampleArenas* from_;
  SampleArena* arena_ = nullptr;
};

// A sample is a list of fields, each its length (one byte below 255, else 255 and four
// bytes) and its bytes: principal, source address, region, the values of each group-by
// field, then for CloudTrail kSampleEvent's fields, for flow logs the line. Written as
// found; JSON is written only for the events of windows that fire.
enum SampleField : size_t { kSamplePrincipal, kSampleIp, kSampleRegion, kSampleGroups };
constexpr JsonEvent::Field kSampleEvent[] = {JsonEvent::kEventTime, JsonEvent::kEventSource,
                                             JsonEvent::kEventName, JsonEvent::kErrorCode};

// A field's size in a sample, and writing it there, as laid out above.
size_t SampleFieldSize(std::string_view v) { return (v.size() < 255 ? 1 : 5) + v.size(); }

char* PutSampleField(char* at, std::string_view v) {
  if (v.size() < 255) {
    *at++ = static_cast<char>(v.size());
  } else {
    auto n = static_cast<uint32_t>(v.size());
    *at++ = static_cast<char>(255);
    std::memcpy(at, &n, sizeof n);
    at += sizeof n;
  }
  if (!v.empty()) std::memcpy(at, v.data(), v.size());
  return at + v.size();
}

std::vector<std::string_view> SampleFields(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    uint32_t n = static_cast<unsigned char>(s[0]);
    s.remove_prefix(1);
    if (n == 255) {
      if (s.size() < sizeof n) break;
      std::memcpy(&n, s.data(), sizeof n);
      s.remove_prefix(sizeof n);
    }
    if (n > s.size()) break;
    out.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
  return out;
}

// A match of a rule that a correlation counts. Groups and values are kept as 64-bit hashes:
// a base rule may match most events, and sorting integers is what keeps correlations cheap.
struct BaseMatch {
  int correlation = 0;
  int base = 0;
  int64_t time_ms = 0;
  uint64_t group = 0;
  uint64_t value = 0;       // value_count's field
  std::string_view sample;  // in a SampleArena
  std::string_view file;    // likewise
};

// Appends the values at `field`, comma-separated.
void AppendValues(const Event& ev, FieldRef field, std::string& out,
                  std::vector<FieldValue>& scratch) {
  scratch.clear();
  ev.CachedValues(field.id, field.path, scratch);
  for (size_t i = 0; i < scratch.size(); ++i) {
    if (i) out += ',';
    out.append(scratch[i].text);
  }
}

// Appends a JSON string's content re-escaped (values come from valid JSON strings;
// control characters are dropped).
void AppendEscaped(std::string_view v, std::string& out) {
  // Bytes that are not copied as they are: '"', '\\' and control characters.
  static const auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<size_t>(c)] = true;
    t['"'] = t['\\'] = true;
    return t;
  }();
  size_t i = 0;
  while (i < v.size()) {
    size_t j = i;
    while (j < v.size() && !kSpecial[static_cast<unsigned char>(v[j])]) ++j;
    out.append(v.data() + i, j - i);
    if (j == v.size()) break;
    if (v[j] == '"' || v[j] == '\\') {
      out += '\\';
      out += v[j];
    }
    i = j + 1;
  }
}

uint64_t HashValues(const Event& ev, FieldRef field, uint64_t seed,
                    std::vector<FieldValue>& scratch) {
  scratch.clear();
  ev.CachedValues(field.id, field.path, scratch);
  uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
  for (const auto& v : scratch) {
    h ^= std::hash<std::string_view>{}(v.text) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

std::string JoinValues(const Event& ev, FieldRef field) {
  thread_local std::vector<FieldValue> scratch;
  std::string out;
  AppendValues(ev, field, out, scratch);
  return out;
}

// Who made a CloudTrail call: the identity's ARN, else "root" for the root user, else its
// principal id, the service that invoked it, or its type. For flow logs, the interface.
std::string Principal(const Event& ev, LogSource src) {
  if (src == LogSource::kFlowLogs) {
    return std::string(static_cast<const FlowLogEvent&>(ev).Get("interface-id"));
  }
  static const FieldRef kArn = Interned("userIdentity.arn"), kType = Interned("userIdentity.type"),
                        kPrincipalId = Interned("userIdentity.principalId"),
                        kInvokedBy = Interned("userIdentity.invokedBy");
  std::string principal = JoinValues(ev, kArn);
  if (principal.empty()) {
    std::string type = JoinValues(ev, kType);
    principal = type == "Root" ? "root" : JoinValues(ev, kPrincipalId);
    if (principal.empty()) principal = JoinValues(ev, kInvokedBy);
    if (principal.empty()) principal = type;
  }
  return principal;
}

// The fields of a flow log line (or its header), separated by spaces.
void SplitFields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  for (size_t i = 0; i < line.size();) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\r') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
}

// Parses one line or other small document on its own (the per-thread parser grows to the
// largest it has seen, so one is shared by every such use).
bool ParseAlone(std::string_view text, dom::element& out) {
  thread_local dom::parser parser;
  return parser.parse(text.data(), text.size(), true).get(out) == simdjson::SUCCESS;
}

// How the content from `first` on reads as JSON lines: its first line is a complete
// document by itself and more follows (kLines), or the first line is damaged (cut short,
// not JSON, invalid UTF-8, nested too deep) and the next non-blank line is a complete
// object by itself (kDamagedFirstLine), or neither.
enum class LineShape { kNone, kLines, kDamagedFirstLine };
LineShape JsonLineShape(std::string_view data, size_t first) {
  size_t nl = data.find('\n', first);
  if (nl == std::string_view::npos) return LineShape::kNone;
  size_t next = nl + 1;
  while (next < data.size() && IsJsonSpace(data[next])) ++next;
  if (next == data.size()) return LineShape::kNone;
  dom::element e;
  if (ParseAlone(data.substr(first, nl - first), e)) return LineShape::kLines;
  if (data[next] != '{') return LineShape::kNone;
  size_t end = data.find('\n', next);
  if (end == std::string_view::npos) end = data.size();
  bool object = ParseAlone(data.substr(next, end - next), e) && e.is_object();
  return object ? LineShape::kDamagedFirstLine : LineShape::kNone;
}

// Everything one task produces; merged into the result when the task ends.
struct Context {
  const RuleSet& rules;
  const Index& index;
  const HuntOptions& options;
  std::vector<Alert> alerts;
  std::vector<BaseMatch> base;
  std::vector<InputProblem> problems;
  HuntStats stats;
  ActivitySummary summary;
  ArenaLease samples;
  std::string_view kept_file;  // the file name last kept in the sample arena

  void Problem(const std::string& file, uint64_t offset, std::string message) {
    problems.push_back({file, offset, std::move(message)});
  }

  void Who(const Event& ev, LogSource src, std::string& principal, std::string& ip,
           std::string& region) {
    principal = Principal(ev, src);
    std::string_view ip_view, region_view;
    AddressAndRegion(ev, src, ip_view, region_view);
    ip = std::string(ip_view);
    region = std::string(region_view);
  }

  static void AddressAndRegion(const Event& ev, LogSource src, std::string_view& ip,
                               std::string_view& region) {
    if (src == LogSource::kFlowLogs) {
      const auto& f = static_cast<const FlowLogEvent&>(ev);
      ip = f.Get("srcaddr");
      region = f.Get("region");
    } else {
      const auto& ct = static_cast<const JsonEvent&>(ev);
      ip = ct.Get(JsonEvent::kSourceIp);
      region = ct.Get(JsonEvent::kAwsRegion);
    }
  }

  void Fire(int rule_index, const Event& ev, LogSource src, const std::string& file) {
    const Rule& rule = rules.rules[rule_index];
    const auto& corrs = index.correlations_of[rule_index];
    if (rule.silent && corrs.empty()) return;
    const int64_t time_ms = ev.TimeMs();
    std::string principal = Principal(ev, src);
    std::string_view ip, region;
    AddressAndRegion(ev, src, ip, region);
    if (!rule.silent) {
      Alert a;
      a.rule = &rule;
      a.time_ms = a.last_time_ms = time_ms;
      a.principal = principal;
      a.source_ip = std::string(ip);
      a.region = std::string(region);
      a.events.push_back(ev.Text());
      a.events_are_json = src != LogSource::kFlowLogs;
      a.file = file;
      alerts.push_back(std::move(a));
    }
    thread_local std::vector<FieldValue> scratch;
    for (int c : corrs) {
      const Correlation& corr = *rules.rules[c].correlation;
      BaseMatch m;
      m.correlation = c;
      m.base = rule_index;
      m.time_ms = time_ms;
      m.group = static_cast<uint64_t>(c);
      for (FieldRef g : index.group_by[c]) m.group = HashValues(ev, g, m.group, scratch);
      if (corr.type == Correlation::Type::kValueCount)
        m.value = HashValues(ev, index.value_field[c], 0, scratch);
      KeepSample(ev, src, file, index.group_by[c], principal, ip, region, m);
      base.push_back(m);
    }
  }

  // The sample of an event a correlation counted (see SampleFields): a few fields, not the
  // record, since a base rule may match most events.
  void KeepSample(const Event& ev, LogSource src, const std::string& file,
                  const std::vector<FieldRef>& group_by, std::string_view principal,
                  std::string_view ip, std::string_view region, BaseMatch& m) {
    thread_local std::vector<FieldValue> scratch;
    thread_local std::string values;  // the group-by fields' values, one field after another
    thread_local std::vector<size_t> ends;
    thread_local std::vector<std::string_view> fields;
    values.clear();
    ends.clear();
    for (FieldRef g : group_by) {
      AppendValues(ev, g, values, scratch);
      ends.push_back(values.size());
    }
    fields.assign({principal, ip, region});
    for (size_t i = 0, from = 0; i < ends.size(); from = ends[i++]) {
      fields.push_back(std::string_view(values).substr(from, ends[i] - from));
    }
    if (src == LogSource::kFlowLogs) {
      thread_local std::string line;
      line = ev.Text();
      fields.push_back(line);
    } else {
      const auto& ct = static_cast<const JsonEvent&>(ev);
      for (JsonEvent::Field f : kSampleEvent) fields.push_back(ct.Get(f));
    }
    size_t size = 0;
    for (std::string_view f : fields) size += SampleFieldSize(f);
    SampleArena& arena = samples.Get();
    if (kept_file != file) kept_file = arena.Keep(file);
    char* at = arena.Take(size);
    m.sample = std::string_view(at, size);
    for (std::string_view f : fields) at = PutSampleField(at, f);
    m.file = kept_file;
  }

  void Summarize(const JsonEvent& ev) {
    std::string principal, ip, region;
    Who(ev, LogSource::kCloudTrail, principal, ip, region);
    std::string action = std::string(ev.Get(JsonEvent::kEventSource));
    action = action.substr(0, action.find('.')) + ":" + std::string(ev.Get(JsonEvent::kEventName));
    bool error = !ev.Get(JsonEvent::kErrorCode).empty();
    int64_t t = ev.TimeMs();
    auto add = [&](ActivitySummary::Entry& e, const std::string& other) {
      e.calls++;
      e.errors += error;
      if (t && (!e.first_ms || t < e.first_ms)) e.first_ms = t;
      if (t > e.last_ms) e.last_ms = t;
      e.actions[action]++;
      e.regions[region]++;
      e.others[other]++;
    };
    add(summary.principals[principal], ip);
    add(summary.source_ips[ip], principal);
  }

  void OnCloudTrail(dom::element record, const std::string& file, uint64_t offset,
                    size_t index_in_file) {
    OnEvent(CloudTrailEvent(record), file, offset, index_in_file);
  }

  // One CloudTrail record; `scanner` is the one that read it, if it was scanned.
  void OnEvent(const JsonEvent& ev, const std::string& file, uint64_t offset, size_t index_in_file,
               const RecordScanner* scanner = nullptr) {
    stats.events++;
    stats.cloudtrail_events++;
    std::string_view name = ev.Get(JsonEvent::kEventName);
    std::string_view time = ev.Get(JsonEvent::kEventTime);
    if (name.empty() || time.empty()) {
      stats.malformed++;
      Problem(file, offset,
              fmt::format("record {} lacks {}; evaluated with what it has", index_in_file,
                          name.empty() ? "eventName" : "eventTime"));
    }
    if (options.summary) {
      Summarize(ev);
      return;
    }
    if (const std::vector<int>* named = RulesNamed(name)) {
      for (int r : *named) {
        if (Matches(rules.rules[r], ev)) Fire(r, ev, LogSource::kCloudTrail, file);
      }
    }
    for (int r : index.cloudtrail_always) {
      if (scanner != nullptr && !MayMatch(static_cast<size_t>(r), *scanner)) continue;
      if (Matches(rules.rules[r], ev)) Fire(r, ev, LogSource::kCloudTrail, file);
    }
  }

  // The rules picked by the event name `name` (compared without case), nullptr if none.
  // A few hundred names make up most of a trail: the answer for each is remembered per
  // thread as the name is written, which spares lowering and hashing it every time.
  const std::vector<int>* RulesNamed(std::string_view name) const {
    struct Known {
      uint64_t index = 0;  // Index::id of the hunt it was looked up for
      std::string name;
      const std::vector<int>* rules = nullptr;
    };
    thread_local std::array<Known, 512> known;
    uint64_t head = 0;
    if (!name.empty()) std::memcpy(&head, name.data(), std::min<size_t>(name.size(), 8));
    const size_t h = ((head ^ name.size()) * 0x9e3779b97f4a7c15ULL) >> 55;
    Known& k = known[h];
    if (k.index == index.id && k.name == name) return k.rules;
    std::string lower(name);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    auto it = index.by_event_name.find(std::string_view(lower));
    k.index = index.id;
    k.name.assign(name);
    k.rules = it == index.by_event_name.end() ? nullptr : &it->second;
    return k.rules;
  }

  // Whether a scanned record has what the rule cannot match without: the fields, and the
  // values of its required items.
  bool MayMatch(size_t rule, const RecordScanner& sc) {
    const auto& need = index.required_slots[rule];
    if (!std::all_of(need.begin(), need.end(), [&](int s) { return sc.Has(s); })) return false;
    thread_local std::vector<FieldValue> values;
    for (const auto& [slot, item] : index.required_items[rule]) {
      values.clear();
      if (!sc.Values(slot, values) || !GlobItemMatches(*item, values)) return false;
    }
    return true;
  }

  // The calling thread's record scanner for this hunt's projection.
  RecordScanner& Scanner() const {
    thread_local uint64_t built_for = 0;
    thread_local std::unique_ptr<RecordScanner> scanner;
    if (!scanner || built_for != index.id) {
      scanner = std::make_unique<RecordScanner>(index.projection);
      built_for = index.id;
    }
    return *scanner;
  }

  // The records of a {"Records":[...]} document read by the scanner. False when the
  // document is to be read by the DOM parser instead (what this context holds then is to
  // be dropped).
  bool ScanRecords(std::string_view data, const std::string& file, uint64_t offset) {
    RecordScanner& sc = Scanner();
    size_t i = 0;
    return sc.Scan(data, false, [&](const ScannedRecord& rec) {
      OnEvent(ScannedEvent(sc, index.slot_of_field, rec), file, offset, i++, &sc);
    });
  }

  // JSON lines read by the scanner; lines that are not one record (a Records document,
  // lookup-events output, something else) go to the DOM parser one by one. False as for
  // ScanRecords.
  bool ScanLines(std::string_view data, const std::string& file, uint64_t base) {
    RecordScanner& sc = Scanner();
    const Projection& p = index.projection;
    const int records = p.Slot("Records"), events = p.Slot("Events");
    std::vector<FieldValue> scratch;
    auto is_string = [&](int slot) {  // JsonEvent's fields are every projection's first slots
      scratch.clear();
      return sc.Values(slot, scratch) && scratch[0].kind == FieldValue::Kind::kString;
    };
    return sc.Scan(data, true, [&](const ScannedRecord& rec) {
      uint64_t at = base + rec.offset;
      scratch.clear();
      if (!sc.Values(records, scratch) && !sc.Values(events, scratch) &&
          (is_string(JsonEvent::kEventName) || is_string(JsonEvent::kEventSource) ||
           is_string(JsonEvent::kEventTime))) {
        return OnEvent(ScannedEvent(sc, index.slot_of_field, rec), file, at, 0, &sc);
      }
      dom::element doc;
      if (ParseAlone(rec.raw, doc)) return OnDocument(doc, file, at);
      stats.malformed++;
      Problem(file, at, fmt::format("line of {} bytes is not valid JSON; skipped", rec.raw.size()));
    });
  }

  // A JSON document: a Records file, lookup-events output, one event, or a list of events.
  void OnDocument(dom::element doc, const std::string& file, uint64_t offset) {
    dom::array list;
    if (doc.get(list) == simdjson::SUCCESS) {
      size_t i = 0;
      for (dom::element e : list) OnCloudTrail(e, file, offset, i++);
      return;
    }
    if (!doc.is_object()) {
      stats.malformed++;
      return Problem(file, offset, "a JSON value that is not a CloudTrail record");
    }
    dom::array records;
    if (doc["Records"].get(records) == simdjson::SUCCESS) {
      size_t i = 0;
      for (dom::element e : records) OnCloudTrail(e, file, offset, i++);
      return;
    }
    dom::array events;
    if (doc["Events"].get(events) == simdjson::SUCCESS) {  // aws cloudtrail lookup-events
      // The inner events are parsed one by one while `doc` is alive: a parser of their own.
      thread_local dom::parser inner;
      size_t i = 0;
      for (dom::element e : events) {
        std::string_view text;
        dom::element parsed;
        if (e["CloudTrailEvent"].get(text) != simdjson::SUCCESS ||
            inner.parse(text.data(), text.size(), true).get(parsed) != simdjson::SUCCESS) {
          stats.malformed++;
          Problem(file, offset, fmt::format("Events[{}] has no parsable CloudTrailEvent", i));
        } else {
          OnCloudTrail(parsed, file, offset, i);
        }
        ++i;
      }
      return;
    }
    std::string_view probe;
    if (doc["eventName"].get(probe) == simdjson::SUCCESS ||
        doc["eventSource"].get(probe) == simdjson::SUCCESS ||
        doc["eventTime"].get(probe) == simdjson::SUCCESS) {
      return OnCloudTrail(doc, file, offset, 0);
    }
    stats.malformed++;
    Problem(file, offset,
            "JSON that is not CloudTrail (no Records, Events, eventName or eventTime)");
  }

  // JSON lines; `data` is followed by at least SIMDJSON_PADDING readable bytes.
  void OnJsonLines(std::string_view data, const std::string& file, uint64_t base) {
    thread_local dom::parser parser;
    size_t pos = 0;
    while (pos < data.size()) {
      std::string_view rest = data.substr(pos);
      size_t batch = std::max<size_t>(rest.size(), 1 << 20);
      dom::document_stream stream;
      if (parser.parse_many(reinterpret_cast<const uint8_t*>(rest.data()), rest.size(), batch)
              .get(stream) != simdjson::SUCCESS) {
        break;
      }
      size_t failed_at = std::string_view::npos;
      for (auto it = stream.begin(); it != stream.end(); ++it) {
        dom::element doc;
        if ((*it).get(doc) != simdjson::SUCCESS) {
          failed_at = it.current_index();
          break;
        }
        OnDocument(doc, file, base + pos + it.current_index());
      }
      if (failed_at == std::string_view::npos) {
        // The stream leaves out what does not end a document (unbalanced brackets, say):
        // those bytes are read as a failed line too.
        failed_at = rest.size() - std::min(stream.truncated_bytes(), rest.size());
        while (failed_at < rest.size() && IsJsonSpace(rest[failed_at])) ++failed_at;
        if (failed_at == rest.size()) return;
      }
      // One line is not valid JSON: report it, skip it, and go on after it.
      size_t line_start = rest.rfind('\n', failed_at == 0 ? 0 : failed_at - 1);
      line_start = line_start == std::string_view::npos || failed_at == 0 ? 0 : line_start + 1;
      size_t line_end = rest.find('\n', failed_at);
      if (line_end == std::string_view::npos) line_end = rest.size();
      std::string_view line = rest.substr(line_start, line_end - line_start);
      dom::element doc;
      if (ParseAlone(line, doc)) {
        OnDocument(doc, file, base + pos + line_start);  // valid alone after all
      } else {
        stats.malformed++;
        Problem(file, base + pos + line_start,
                fmt::format("line of {} bytes is not valid JSON; skipped", line.size()));
      }
      pos += line_end + 1;
    }
  }

  void OnFlowLines(std::string_view data, const std::string& file, uint64_t base,
                   const std::vector<std::string>* names, bool skip_header) {
    size_t pos = 0;
    std::vector<std::string_view> values;
    while (pos < data.size()) {
      size_t end = data.find('\n', pos);
      if (end == std::string_view::npos) end = data.size();
      std::string_view line = data.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      uint64_t offset = base + pos;
      pos = end + 1;
      if (skip_header) {
        skip_header = false;
        continue;
      }
      if (line.empty()) continue;
      SplitFields(line, values);
      stats.events++;
      stats.flow_records++;
      if (values.size() != names->size()) {
        stats.malformed++;
        Problem(file, offset,
                fmt::format("flow log line has {} fields, the format has {}; skipped",
                            values.size(), names->size()));
        continue;
      }
      FlowLogEvent ev(names, values, line);
      for (int r : index.flow) {
        if (Matches(rules.rules[r], ev)) Fire(r, ev, LogSource::kFlowLogs, file);
      }
    }
  }
};

// Base matches are kept in this many shards by group, judged in parallel at the end.
constexpr size_t kShards = 16;

struct Shared {
  const RuleSet& rules;
  const Index& index;
  const HuntOptions& options;
  std::mutex mu;
  HuntResult result;
  ThreadPool* pool = nullptr;
  SampleArenas arenas;
  // What the contexts found, in the pieces they handed over: joined once at the end (a
  // vector growing by appends would copy what it holds each time it doubled, and touch
  // fresh memory each time).
  std::vector<std::vector<Alert>> alert_parts;
  std::array<std::vector<std::vector<BaseMatch>>, kShards> shard_parts;

  Context NewContext() {
    return Context{rules, index, options, {}, {}, {}, {}, {}, ArenaLease(&arenas), {}};
  }

  void Merge(Context& c) {
    // The context's base matches split by shard, before the lock is taken.
    std::array<size_t, kShards> counts{};
    for (const BaseMatch& m : c.base) counts[m.group % kShards]++;
    std::array<std::vector<BaseMatch>, kShards> split;
    for (size_t k = 0; k < kShards; ++k) split[k].reserve(counts[k]);
    for (const BaseMatch& m : c.base) split[m.group % kShards].push_back(m);
    c.base.clear();
    std::lock_guard<std::mutex> lock(mu);
    auto& r = result;
    if (!c.alerts.empty()) alert_parts.push_back(std::move(c.alerts));
    std::move(c.problems.begin(), c.problems.end(), std::back_inserter(r.problems));
    r.stats.events += c.stats.events;
    r.stats.cloudtrail_events += c.stats.cloudtrail_events;
    r.stats.flow_records += c.stats.flow_records;
    r.stats.malformed += c.stats.malformed;
    r.summary.Merge(c.summary);
    for (size_t k = 0; k < kShards; ++k) {
      if (!split[k].empty()) shard_parts[k].push_back(std::move(split[k]));
    }
  }
};

// Splits [0, size) into pieces of about `chunk` bytes ending at a newline.
std::vector<std::pair<size_t, size_t>> LineChunks(std::string_view data, size_t chunk) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = std::min(data.size(), pos + chunk);
    if (end < data.size()) {
      size_t nl = data.find('\n', end);
      end = nl == std::string_view::npos ? data.size() : nl + 1;
    }
    out.emplace_back(pos, end - pos);
    pos = end;
  }
  return out;
}

void Pad(std::string& s) { s.reserve(s.size() + simdjson::SIMDJSON_PADDING); }

// Memory for a file's bytes (AllocateHuge: a std::string would clear it first).
struct ReadBuffer {
  HugeBytes bytes;
  size_t capacity = 0;
  size_t size = 0;

  // Room for `want` bytes and SIMDJSON_PADDING after them, keeping the bytes held.
  void Reserve(size_t want) {
    if (want + simdjson::SIMDJSON_PADDING <= capacity) return;
    size_t grown = std::max(want + simdjson::SIMDJSON_PADDING, capacity * 2);
    HugeBytes p = AllocateHuge(grown);
    if (size) std::memcpy(p.get(), bytes.get(), size);
    bytes = std::move(p);
    capacity = grown;
  }
};

// A file's bytes followed by at least SIMDJSON_PADDING readable bytes, so simdjson parses
// them in place: decompressed data or standard input in a string, or a file read into a
// buffer.
class Content {
 public:
  explicit Content(std::string s) : owned_(std::move(s)) {
    Pad(owned_);
    data_ = owned_.data();
    size_ = owned_.size();
  }
  explicit Content(ReadBuffer b) : read_(std::move(b)) {
    data_ = read_.bytes.get();
    size_ = read_.size;
  }
  Content(const Content&) = delete;
  Content& operator=(const Content&) = delete;
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  std::string TakeOwned() { return std::move(owned_); }
  ReadBuffer TakeRead() { return std::move(read_); }

 private:
  std::string owned_;
  ReadBuffer read_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// Runs `process` over `data` in one go, or hands it to the pool in line-aligned chunks when
// it is large (each chunk with its own context, merged when done).
template <typename Process>
void InChunks(Shared& sh, std::shared_ptr<const Content> content, const std::string& file,
              std::string_view data, Context& ctx, Process process) {
  auto chunks = LineChunks(data, sh.options.chunk_bytes);
  if (chunks.size() <= 1 || !sh.pool) {
    process(ctx, data, 0, size_t{0});
    sh.Merge(ctx);
    return;
  }
  sh.Merge(ctx);
  const char* base = data.data();
  for (size_t k = 0; k < chunks.size(); ++k) {
    auto [off, len] = chunks[k];
    sh.pool->Submit([&sh, content, process, base, off = off, len = len, k, file] {
      Context part = sh.NewContext();
      try {
        process(part, std::string_view(base + off, len), off, k);
      } catch (const std::bad_alloc&) {
        part.Problem(file, off, "out of memory reading this part; skipped");
      }
      sh.Merge(part);
    });
  }
}

// What a file's (decompressed) content is, judged from its start.
struct Shape {
  enum Kind { kEmpty, kDocument, kJsonLines, kFlowLogs, kUnknown } kind = kEmpty;
  size_t first = 0;                                 // the first non-blank byte
  bool records = false;                             // starts {"Records"
  std::shared_ptr<std::vector<std::string>> names;  // flow log fields
  bool header = false;                              // flow logs: the first line names the fields
};

// `whole`: `data` is all of the content, not only its first piece.
Shape DecideShape(std::string_view data, bool whole) {
  Shape s;
  while (s.first < data.size() && IsJsonSpace(data[s.first])) ++s.first;
  if (s.first == data.size()) return s;
  char c = data[s.first];
  // AWS's own files start {"Records": one document, no need to look for lines.
  s.records = data.substr(s.first, 10) == "{\"Records\"";
  LineShape lines = s.records ? LineShape::kNone : JsonLineShape(data, s.first);
  bool json = c == '{' || c == '[';
  if (lines == LineShape::kDamagedFirstLine && json && whole) {
    // A damaged first line, or a compact JSON array whose second line is one element: the
    // whole file is one document only if it parses as one.
    thread_local dom::parser parser;
    dom::element doc;
    if (parser.parse(data.data(), data.size(), false).get(doc) == simdjson::SUCCESS)
      lines = LineShape::kNone;
  }
  if (lines != LineShape::kNone) {
    s.kind = Shape::kJsonLines;
    return s;
  }
  if (json) {
    // One document over the whole file: a Records file, pretty-printed lookup-events
    // output, a JSON array.
    s.kind = Shape::kDocument;
    return s;
  }
  // Text: VPC flow logs, with a header line naming the fields or the default format.
  size_t nl = data.find('\n', s.first);
  std::string_view head =
      data.substr(s.first, (nl == std::string_view::npos ? data.size() : nl) - s.first);
  std::vector<std::string_view> fields;
  SplitFields(head, fields);
  std::vector<std::string> tokens(fields.begin(), fields.end());
  // Custom formats written with ${...} placeholders name fields as the console does.
  for (auto& t : tokens) {
    if (t.size() > 3 && t[0] == '$' && t[1] == '{' && t.back() == '}')
      t = t.substr(2, t.size() - 3);
    std::replace(t.begin(), t.end(), '_', '-');
  }
  s.names = std::make_shared<std::vector<std::string>>();
  s.header = std::find(tokens.begin(), tokens.end(), "srcaddr") != tokens.end() ||
             std::find(tokens.begin(), tokens.end(), "dstaddr") != tokens.end();
  if (s.header) {
    *s.names = tokens;
  } else if (tokens.size() == kFlowV2.size() && !tokens.empty() &&
             std::all_of(tokens[0].begin(), tokens[0].end(), ::isdigit)) {
    *s.names = kFlowV2;
  } else {
    s.kind = Shape::kUnknown;
    return s;
  }
  s.kind = Shape::kFlowLogs;
  return s;
}

constexpr const char* kUnknownFormat =
    "neither CloudTrail JSON nor a VPC flow log (no header line, not the version 2 format); "
    "file skipped";

// JSON lines read by the record scanner where it can, else by the DOM parser.
void ReadJsonLines(Shared& sh, Context& c, std::string_view part, const std::string& file,
                   uint64_t off) {
  if (sh.options.scan_records) {
    Context attempt = sh.NewContext();
    if (attempt.ScanLines(part, file, off)) return sh.Merge(attempt);
  }
  c.OnJsonLines(part, file, off);
}

// Decides the format of one file's (decompressed) content and processes it, handing large
// JSON-lines and flow-log files to the pool in chunks.
void ProcessContent(Shared& sh, std::shared_ptr<const Content> content, const std::string& file) {
  std::string_view data(content->data(), content->size());
  Shape shape = DecideShape(data, true);
  const size_t first = shape.first;
  Context ctx = sh.NewContext();
  switch (shape.kind) {
    case Shape::kEmpty:
      break;
    case Shape::kUnknown:
      ctx.stats.malformed++;
      ctx.Problem(file, first, kUnknownFormat);
      break;
    case Shape::kDocument: {
      if (shape.records && sh.options.scan_records) {
        Context attempt = sh.NewContext();
        if (attempt.ScanRecords(data, file, first)) {
          sh.Merge(attempt);
          return;
        }
      }
      thread_local dom::parser parser;
      dom::element doc;
      auto err = parser.parse(data.data(), data.size(), false).get(doc);
      if (err) {
        ctx.stats.malformed++;
        ctx.Problem(file, first,
                    fmt::format("not valid JSON ({}); file skipped", simdjson::error_message(err)));
      } else {
        ctx.OnDocument(doc, file, first);
      }
      break;
    }
    case Shape::kJsonLines:
      return InChunks(sh, content, file, data, ctx,
                      [file, &sh](Context& c, std::string_view part, size_t off, size_t) {
                        ReadJsonLines(sh, c, part, file, off);
                      });
    case Shape::kFlowLogs:
      // Chunks start at the first non-blank byte; the first chunk begins with the header.
      return InChunks(sh, content, file, data.substr(first), ctx,
                      [file, names = shape.names, header = shape.header, first](
                          Context& c, std::string_view part, size_t off, size_t k) {
                        c.OnFlowLines(part, file, first + off, names.get(), header && k == 0);
                      });
  }
  sh.Merge(ctx);
}

// Reads content too large to hold whole (more than options.whole_file_bytes, as stored or
// decompressed) piece by piece: JSON lines and flow logs in line-aligned pieces of about
// chunk_bytes, on this thread. One JSON document that large is reported and skipped, as is
// a line longer than whole_file_bytes. Returns the bytes read.
uint64_t StreamContent(Shared& sh, ByteSource& src, const std::string& file) {
  Context ctx = sh.NewContext();
  const size_t piece =
      std::max<size_t>(std::min(sh.options.chunk_bytes, sh.options.whole_file_bytes), 1 << 16);
  const size_t cap = std::max(sh.options.whole_file_bytes, piece);
  std::string buf;     // unread bytes
  uint64_t base = 0;   // offset of buf[0] in the content
  uint64_t total = 0;  // bytes read from `src`
  bool eof = false;
  // Reads until `buf` holds `want` bytes or the content ends; keeps room for the padding.
  auto fill = [&](size_t want) {
    while (!eof && buf.size() < want) {
      size_t at = buf.size();
      buf.resize(want + simdjson::SIMDJSON_PADDING);
      size_t n = src.Read(buf.data() + at, want - at);
      buf.resize(at + n);
      total += n;
      if (n == 0) eof = true;
    }
    Pad(buf);
  };
  fill(piece);
  Shape shape = DecideShape(buf, eof);
  buf.erase(0, shape.first);
  base = shape.first;
  bool first_piece = true;
  if (shape.kind == Shape::kDocument) {
    ctx.stats.malformed++;
    ctx.Problem(file, base,
                fmt::format("one JSON document of more than {} MiB; file skipped (the limit is "
                            "--max-document-mb)",
                            cap >> 20));
  } else if (shape.kind == Shape::kUnknown) {
    ctx.stats.malformed++;
    ctx.Problem(file, base, kUnknownFormat);
  } else if (shape.kind != Shape::kEmpty) {
    while (!buf.empty() || !eof) {
      fill(piece);
      size_t nl = buf.rfind('\n');
      size_t take = eof ? buf.size() : (nl == std::string::npos ? 0 : nl + 1);
      if (take == 0) {
        if (buf.size() < cap) {
          fill(buf.size() + piece);  // the line goes on
          continue;
        }
        // One line longer than the limit: reported, and skipped to its end.
        ctx.stats.malformed++;
        ctx.Problem(file, base, fmt::format("line longer than {} MiB; skipped", cap >> 20));
        size_t end = std::string::npos;
        while (end == std::string::npos && !buf.empty()) {
          base += buf.size();
          buf.clear();
          fill(piece);
          end = buf.find('\n');
        }
        if (end != std::string::npos) {
          base += end + 1;
          buf.erase(0, end + 1);
        }
        first_piece = false;
        continue;
      }
      std::string_view part(buf.data(), take);  // the bytes after it pad it
      if (shape.kind == Shape::kJsonLines) {
        ReadJsonLines(sh, ctx, part, file, base);
      } else {
        ctx.OnFlowLines(part, file, base, shape.names.get(), shape.header && first_piece);
      }
      first_piece = false;
      base += take;
      buf.erase(0, take);
    }
  }
  if (!src.error.empty()) {
    ctx.stats.malformed++;
    ctx.Problem(file, src.error_offset,
                fmt::format("{}; the {} bytes before it are read", src.error, total));
  }
  sh.Merge(ctx);
  return total;
}

// Decompressed data and read files land in per-thread buffers handed from one file to the
// next.
thread_local std::string t_gunzip_buffer;
thread_local ReadBuffer t_read_buffer;

void Account(Shared& sh, uint64_t bytes, uint64_t compressed) {
  std::lock_guard<std::mutex> lock(sh.mu);
  sh.result.stats.files++;
  sh.result.stats.bytes += bytes;
  sh.result.stats.compressed_bytes += compressed;
}

// The bytes of a file: those already read into a buffer, then the rest of the descriptor.
class FdSource : public ByteSource {
 public:
  FdSource(std::shared_ptr<Content> head, int fd) : head_(std::move(head)), fd_(fd) {}
  size_t Read(char* out, size_t room) override {
    if (head_ && at_ < head_->size()) {
      size_t n = std::min(room, head_->size() - at_);
      std::memcpy(out, head_->data() + at_, n);
      at_ += n;
      offset_ += n;
      if (at_ == head_->size()) head_.reset();  // its memory is not needed again
      return n;
    }
    for (;;) {
      ssize_t n = read(fd_, out, room);
      if (n > 0) {
        offset_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = fmt::format("cannot read at byte {}: {}", offset_, std::strerror(errno));
        error_offset = offset_;
      }
      return 0;
    }
  }

 private:
  std::shared_ptr<Content> head_;
  size_t at_ = 0;
  int fd_;
  uint64_t offset_ = 0;
};

// Content too large to hold whole, streamed (decompressed on the way when gzipped).
void ProcessStream(Shared& sh, ByteSource& stored, bool gzipped, const std::string& file) {
  if (!gzipped) {
    uint64_t n = StreamContent(sh, stored, file);
    Account(sh, n, 0);
    return;
  }
  GunzipSource gz(stored);
  uint64_t n = StreamContent(sh, gz, file);
  Account(sh, n, gz.compressed_bytes());
}

// Plain content is processed as it is; gzip is decompressed first (what precedes damage
// is kept and the damage reported). Content that is, or decompresses to, more than
// whole_file_bytes is streamed instead.
void ProcessData(Shared& sh, std::shared_ptr<Content> input, const std::string& file) {
  std::string_view raw(input->data(), input->size());
  const size_t cap = sh.options.whole_file_bytes;
  if (!LooksGzipped(raw)) {
    if (raw.size() > cap) {
      MemorySource src(raw);
      return ProcessStream(sh, src, false, file);
    }
    Account(sh, raw.size(), 0);
    ProcessContent(sh, input, file);
    return;
  }
  // A single member's trailer says its size (mod 2^32): one said to exceed the limit is
  // streamed at once rather than decoded up to the limit first.
  const auto* t = reinterpret_cast<const unsigned char*>(raw.data() + raw.size() - 4);
  size_t isize = raw.size() >= 18 ? t[0] | (t[1] << 8) | (t[2] << 16) | (size_t(t[3]) << 24) : 0;
  GunzipResult g;
  if (isize <= cap) g = Gunzip(raw, std::move(t_gunzip_buffer), cap);
  if (isize > cap || g.too_large) {
    if (g.too_large) t_gunzip_buffer = std::move(g.data);
    t_gunzip_buffer.clear();
    MemorySource src(raw);
    return ProcessStream(sh, src, true, file);
  }
  Context ctx = sh.NewContext();
  if (!g.complete) {
    ctx.stats.malformed++;
    ctx.Problem(file, g.bad_offset,
                fmt::format("{} at compressed byte {}; the {} bytes before it are read", g.error,
                            g.bad_offset, g.data.size()));
  }
  sh.Merge(ctx);
  uint64_t stored = raw.size();
  input.reset();
  auto content = std::make_shared<Content>(std::move(g.data));
  Account(sh, content->size(), stored);
  ProcessContent(sh, content, file);
  if (content.use_count() == 1) t_gunzip_buffer = content->TakeOwned();  // no chunk task holds it
}

void ProcessBytes(Shared& sh, std::string raw, const std::string& file) {
  ProcessData(sh, std::make_shared<Content>(std::move(raw)), file);
}

// Reads a file (or standard input, "-") whole when it is at most whole_file_bytes, else
// streams it.
void ReadAndProcess(Shared& sh, const std::string& path) {
  const std::string file = path == "-" ? "(stdin)" : path;
  auto fail = [&](const std::string& why) {
    Context ctx = sh.NewContext();
    ctx.Problem(file, 0, why);
    sh.Merge(ctx);
  };
  int fd = path == "-" ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(std::string("cannot open: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() {
      if (fd > 0) close(fd);
    }
  } closer{fd};
  const size_t cap = sh.options.whole_file_bytes;
  // Read into the thread's buffer, handed from one file to the next: copying from the page
  // cache is as fast as mapping the file, and mapping and unmapping on every core at once
  // queue on the process's memory map lock.
  ReadBuffer buf = std::move(t_read_buffer);
  buf.size = 0;
  struct stat st {};
  size_t expect = fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  buf.Reserve(std::min(expect, cap + 1));
  ssize_t n = 0;
  bool more = false;  // bytes beyond `cap` follow
  for (;;) {
    size_t room = buf.capacity - simdjson::SIMDJSON_PADDING - buf.size;
    if (buf.size > cap) {
      more = true;
      break;
    }
    if (room == 0) {
      // Full (the file grew, or it is not a regular file): one byte tells whether more comes.
      char next = 0;
      if ((n = read(fd, &next, 1)) <= 0) break;
      buf.Reserve(std::min(std::max(buf.size * 2, buf.size + (1 << 16)), cap + 1));
      buf.bytes[buf.size++] = next;
      continue;
    }
    if ((n = read(fd, buf.bytes.get() + buf.size, std::min(room, cap + 1 - buf.size))) <= 0) break;
    buf.size += static_cast<size_t>(n);
  }
  if (n < 0) {
    t_read_buffer = std::move(buf);
    return fail(std::string("cannot read: ") + std::strerror(errno));
  }
  std::memset(buf.bytes.get() + buf.size, 0, simdjson::SIMDJSON_PADDING);
  auto content = std::make_shared<Content>(std::move(buf));
  if (more) {
    bool gzipped = LooksGzipped(std::string_view(content->data(), content->size()));
    FdSource src(std::move(content), fd);
    return ProcessStream(sh, src, gzipped, file);
  }
  ProcessData(sh, content, file);
  if (content.use_count() == 1) t_read_buffer = content->TakeRead();  // no chunk task holds it
}

// One input; whatever goes wrong reading it (memory exhausted included) is that input's
// problem, reported, and the others are read.
void ProcessFile(Shared& sh, const std::string& path) {
  const std::string file = path == "-" ? "(stdin)" : path;
  try {
    ReadAndProcess(sh, path);
  } catch (const std::bad_alloc&) {
    t_read_buffer = ReadBuffer();
    t_gunzip_buffer = std::string();
    Context ctx = sh.NewContext();
    ctx.Problem(file, 0, "out of memory while reading it; file skipped");
    sh.Merge(ctx);
  } catch (const std::exception& e) {
    Context ctx = sh.NewContext();
    ctx.Problem(file, 0, fmt::format("cannot read it: {}; file skipped", e.what()));
    sh.Merge(ctx);
  }
}

bool ConditionHolds(const Correlation& c, int64_t n) {
  switch (c.op) {
    case Correlation::Op::kGt:
      return n > c.threshold;
    case Correlation::Op::kGte:
      return n >= c.threshold;
    case Correlation::Op::kEq:
      return n == c.threshold;
  }
  return false;
}

// What an alert shows of one event a correlation counted (its sample's fields, the event's
// from `first` on): for CloudTrail a compact JSON summary, for flow logs the line.
std::string SampleText(const std::vector<std::string_view>& f, size_t first, bool json) {
  if (!json) return first < f.size() ? std::string(f[first]) : std::string();
  // kSampleEvent's fields but the last, the error code, which is written only when set.
  constexpr size_t kError = std::size(kSampleEvent) - 1;
  static_assert(kSampleEvent[kError] == JsonEvent::kErrorCode);
  std::string out = "{";
  for (size_t i = 0; i < kError && first + i < f.size(); ++i) {
    out += '"';
    out += JsonEvent::kFieldNames[kSampleEvent[i]];
    out += R"(":")";
    AppendEscaped(f[first + i], out);
    out += R"(",)";
  }
  out += R"("awsRegion":")";
  AppendEscaped(f[kSampleRegion], out);
  out += R"(","sourceIPAddress":")";
  AppendEscaped(f[kSampleIp], out);
  out += R"(","principal":")";
  AppendEscaped(f[kSamplePrincipal], out);
  out += '"';
  if (first + kError < f.size() && !f[first + kError].empty()) {
    out += R"(,"errorCode":")";
    AppendEscaped(f[first + kError], out);
    out += '"';
  }
  out += '}';
  return out;
}

// Sliding windows per group over the base matches in time order; one alert per window in
// which the condition holds, then the window starts again after it.
void Correlate(const RuleSet& rules, std::vector<BaseMatch>& base, const HuntOptions& options,
               std::vector<Alert>& alerts) {
  std::sort(base.begin(), base.end(), [](const BaseMatch& a, const BaseMatch& b) {
    if (a.correlation != b.correlation) return a.correlation < b.correlation;
    if (a.group != b.group) return a.group < b.group;
    if (a.time_ms != b.time_ms) return a.time_ms < b.time_ms;
    if (a.base != b.base) return a.base < b.base;
    if (a.value != b.value) return a.value < b.value;
    // Whatever order the tasks ended in, events of one time are listed alike.
    if (a.sample != b.sample) return a.sample < b.sample;
    return a.file < b.file;
  });
  size_t i = 0;
  while (i < base.size()) {
    size_t j = i;
    while (j < base.size() && base[j].correlation == base[i].correlation &&
           base[j].group == base[i].group) {
      ++j;
    }
    const Rule& rule = rules.rules[base[i].correlation];
    const Correlation& corr = *rule.correlation;
    size_t lo = i;
    std::unordered_map<uint64_t, int> values;  // value_count: distinct values in the window
    std::map<int, int> seen;                   // temporal: matches per base rule in the window
    for (size_t hi = i; hi < j; ++hi) {
      values[base[hi].value]++;
      seen[base[hi].base]++;
      while (base[hi].time_ms - base[lo].time_ms > corr.timespan_ms) {
        if (--values[base[lo].value] == 0) values.erase(base[lo].value);
        if (--seen[base[lo].base] == 0) seen.erase(base[lo].base);
        ++lo;
      }
      int64_t n = corr.type == Correlation::Type::kEventCount ? static_cast<int64_t>(hi - lo + 1)
                  : corr.type == Correlation::Type::kValueCount
                      ? static_cast<int64_t>(values.size())
                      : static_cast<int64_t>(seen.size());
      if (!ConditionHolds(corr, n)) continue;
      if (corr.op == Correlation::Op::kEq && hi + 1 < j &&
          base[hi + 1].time_ms - base[lo].time_ms <= corr.timespan_ms) {
        continue;  // "exactly N" is judged on the whole window
      }
      Alert a;
      a.rule = &rule;
      a.time_ms = base[lo].time_ms;
      a.last_time_ms = base[hi].time_ms;
      a.events_are_json = rules.rules[base[lo].base].source != LogSource::kFlowLogs;
      a.event_count = hi - lo + 1;
      // The first events of the window are listed; who, where and which group are the
      // last event's.
      const size_t groups = corr.group_by.size();
      for (size_t k = lo; k <= hi && a.events.size() < options.max_events_per_alert; ++k) {
        std::vector<std::string_view> f = SampleFields(base[k].sample);
        if (f.size() >= kSampleGroups + groups)
          a.events.push_back(SampleText(f, kSampleGroups + groups, a.events_are_json));
      }
      std::vector<std::string_view> f = SampleFields(base[hi].sample);
      if (f.size() >= kSampleGroups + groups) {
        a.principal = f[kSamplePrincipal];
        a.source_ip = f[kSampleIp];
        a.region = f[kSampleRegion];
        a.file = base[hi].file;
        for (size_t g = 0; g < groups; ++g) {
          if (g) a.group += ", ";
          a.group += corr.group_by[g];
          a.group += '=';
          a.group += f[kSampleGroups + g];
        }
      }
      alerts.push_back(std::move(a));
      values.clear();
      seen.clear();
      lo = hi + 1;
    }
    i = j;
  }
}

}  // namespace

void ActivitySummary::Merge(const ActivitySummary& other) {
  auto merge = [](std::map<std::string, Entry>& into, const std::map<std::string, Entry>& from) {
    for (const auto& [k, e] : from) {
      Entry& t = into[k];
      t.calls += e.calls;
      t.errors += e.errors;
      if (e.first_ms && (!t.first_ms || e.first_ms < t.first_ms)) t.first_ms = e.first_ms;
      t.last_ms = std::max(t.last_ms, e.last_ms);
      for (const auto& [a, n] : e.actions) t.actions[a] += n;
      for (const auto& [a, n] : e.regions) t.regions[a] += n;
      for (const auto& [a, n] : e.others) t.others[a] += n;
    }
  };
  merge(principals, other.principals);
  merge(source_ips, other.source_ips);
}

std::vector<std::string> ExpandInputs(const std::vector<std::string>& paths,
                                      std::vector<InputProblem>& problems) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (p == "-") {
      out.push_back(p);
    } else if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file(ec)) {
          std::string name = it->path().filename().string();
          if (!name.empty() && name[0] != '.') found.push_back(it->path().string());
        }
      }
      if (ec) problems.push_back({p, 0, "cannot read directory: " + ec.message()});
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
    } else {
      problems.push_back({p, 0, "no such file or directory"});
    }
  }
  return out;
}

namespace {

// The pieces one after another, in one vector of the right size.
template <typename T>
std::vector<T> Joined(std::vector<std::vector<T>> parts) {
  size_t n = 0;
  for (const auto& part : parts) n += part.size();
  std::vector<T> out;
  out.reserve(n);
  for (auto& part : parts) {
    std::move(part.begin(), part.end(), std::back_inserter(out));
    std::vector<T>().swap(part);  // freed as it goes
  }
  return out;
}

HuntResult Finish(Shared& sh, std::chrono::steady_clock::time_point start) {
  // Groups never span shards, so each shard is judged on its own, on every core.
  std::array<std::vector<Alert>, kShards> found;
  for (size_t k = 0; k < kShards; ++k) {
    auto judge = [&sh, &found, k] {
      std::vector<BaseMatch> shard = Joined(std::move(sh.shard_parts[k]));
      Correlate(sh.rules, shard, sh.options, found[k]);
    };
    if (sh.pool != nullptr) {
      sh.pool->Submit(judge);
    } else {
      judge();
    }
  }
  if (sh.pool != nullptr) sh.pool->Wait();
  for (auto& f : found) sh.alert_parts.push_back(std::move(f));
  sh.result.alerts = Joined(std::move(sh.alert_parts));
  std::stable_sort(sh.result.alerts.begin(), sh.result.alerts.end(),
                   [](const Alert& a, const Alert& b) { return a.time_ms < b.time_ms; });
  std::stable_sort(sh.result.problems.begin(), sh.result.problems.end(),
                   [](const InputProblem& a, const InputProblem& b) {
                     return a.file != b.file ? a.file < b.file : a.offset < b.offset;
                   });
  sh.result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::move(sh.result);
}

}  // namespace

HuntResult Hunt(const RuleSet& rules, const std::vector<std::string>& inputs,
                const HuntOptions& options) {
  auto start = std::chrono::steady_clock::now();
  Index index(rules);
  Shared sh{rules, index, options, {}, {}, nullptr, {}, {}, {}};
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ThreadPool pool(static_cast<size_t>(threads));
  sh.pool = &pool;
  for (const auto& in : inputs) {
    if (in == "-") {
      ProcessFile(sh, in);  // standard input is read here, on this thread
    } else {
      pool.Submit([&sh, in] { ProcessFile(sh, in); });
    }
  }
  pool.Wait();
  return Finish(sh, start);
}

HuntResult HuntBuffer(const RuleSet& rules, const std::string& name, std::string data,
                      const HuntOptions& options) {
  auto start = std::chrono::steady_clock::now();
  Index index(rules);
  Shared sh{rules, index, options, {}, {}, nullptr, {}, {}, {}};
  ProcessBytes(sh, std::move(data), name);
  return Finish(sh, start);
}

}  // namespace bulwark::hunt
