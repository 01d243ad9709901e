// What a detection rule sees of one log record: values by dotted field path. CloudTrail
// events are simdjson DOM elements (no copy of the record); flow log records are the
// fields of one line.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::hunt {

struct FieldValue {
  enum class Kind { kString, kNumber, kBool, kNull, kOther };
  Kind kind = Kind::kString;
  std::string_view text;  // string content, the number as written, "true"/"false", ""
  double number = 0;      // kNumber, and numeric-looking strings (flow logs)
};

class Event {
 public:
  Event();
  virtual ~Event() = default;
  // Appends the values at `path` ("userIdentity.type"); a path crossing a list yields one
  // value per element. Returns false when the field is absent. Views stay valid while the
  // event lives.
  virtual bool Values(std::string_view path, std::vector<FieldValue>& out) const = 0;
  // Values(), remembered for this event under `id` (a field path interned by the rule
  // loader, see InternField): rules asking for the same field share one lookup.
  virtual bool CachedValues(int id, std::string_view path, std::vector<FieldValue>& out) const;
  // The whole record as text (JSON for CloudTrail, the line for flow logs).
  virtual std::string Text() const = 0;
  // Milliseconds since the epoch; 0 when unknown.
  virtual int64_t TimeMs() const = 0;

 private:
  uint64_t generation_;  // which event the thread's lookup cache currently belongs to
};

// A CloudTrail record, whichever way it was read.
class JsonEvent : public Event {
 public:
  // A top-level string field, "" when absent.
  virtual std::string_view String(std::string_view key) const = 0;
  // The top-level fields read of every record, by number: String(kFieldNames[f]).
  enum Field { kEventName, kEventTime, kEventSource, kAwsRegion, kSourceIp, kErrorCode, kFields };
  static constexpr const char* kFieldNames[kFields] = {
      "eventName", "eventTime", "eventSource", "awsRegion", "sourceIPAddress", "errorCode"};
  virtual std::string_view Get(Field f) const { return String(kFieldNames[f]); }
  int64_t TimeMs() const override;
};

// A record parsed into a simdjson DOM.
class CloudTrailEvent : public JsonEvent {
 public:
  explicit CloudTrailEvent(simdjson::dom::element e) : e_(e) {}
  bool Values(std::string_view path, std::vector<FieldValue>& out) const override;
  std::string Text() const override;
  simdjson::dom::element element() const { return e_; }
  std::string_view String(std::string_view key) const override;

 private:
  simdjson::dom::element e_;
  mutable std::deque<std::string> numbers_;  // text of numbers handed out as views (stable)
};

// One flow log record: field names (from the header or the default version 2 format) and
// the line's values.
class FlowLogEvent : public Event {
 public:
  FlowLogEvent(const std::vector<std::string>* names, std::vector<std::string_view> values,
               std::string_view line)
      : names_(names), values_(std::move(values)), line_(line) {}
  bool Values(std::string_view path, std::vector<FieldValue>& out) const override;
  std::string Text() const override { return std::string(line_); }
  int64_t TimeMs() const override;
  std::string_view Get(std::string_view name) const;

 private:
  const std::vector<std::string>* names_;
  std::vector<std::string_view> values_;
  std::string_view line_;
};

// A small integer for a field path, shared by every rule that names it.
int InternField(const std::string& path);

// "2026-11-23T05:14:07Z" (optionally with fractional seconds) to epoch milliseconds; -1
// when it is not such a timestamp.
int64_t ParseIsoMillis(std::string_view s);

}  // namespace bulwark::hunt
