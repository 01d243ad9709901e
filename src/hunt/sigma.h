// Sigma rules (the public Sigma specification), compiled for matching: detection
// selections (maps, lists of maps, keywords), field modifiers, conditions, and
// correlation rules (event_count, value_count, temporal). Written here because no
// maintained C++ Sigma library exists; the YAML is read with yaml-cpp and regular
// expressions run on RE2.
#pragma once

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hunt/event.h"

namespace bulwark::hunt {

enum class LogSource { kCloudTrail, kFlowLogs, kOther };

// One value a field is compared with, after its modifiers were applied.
struct ValueMatcher {
  enum class Kind { kGlob, kRegex, kCidr, kNumber, kNull, kExists, kFieldRef };
  Kind kind = Kind::kGlob;
  // kGlob: the pattern ('*' and '?' wildcards, '\' escapes resolved), lower-cased unless
  // case-sensitive; exact/prefix/suffix/contains short-cuts when it has one wildcard shape.
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kGeneral } shape = Shape::kExact;
  std::string text;
  bool cased = false;
  std::shared_ptr<RE2> regex;                              // kRegex
  std::array<uint8_t, 16> net{};                           // kCidr: address, IPv4 mapped into IPv6
  int prefix = 0;                                          // kCidr: prefix length over the 128 bits
  enum class Cmp { kGt, kGte, kLt, kLte } cmp = Cmp::kGt;  // kNumber
  double number = 0;
  bool exists = true;  // kExists
  std::string field;   // kFieldRef
};

struct FieldItem {
  std::string field;  // dotted path; empty for keywords
  int field_id = -1;  // InternField(field): lookups shared across rules for one event
  std::vector<ValueMatcher> values;
  bool all = false;  // the "all" modifier: every value must match
};

// A named detection: OR of AND-groups of field items (a map is one group, a list of maps
// several), or keywords searched in the whole record.
struct Selection {
  std::string name;
  std::vector<std::vector<FieldItem>> groups;
  bool keywords = false;
  FieldItem keyword_item;
};

struct CondNode {
  enum class Kind { kAnd, kOr, kNot, kSelection, kOneOf, kAllOf };
  Kind kind = Kind::kSelection;
  std::vector<CondNode> children;
  std::vector<int> selections;  // kSelection: one; kOneOf/kAllOf: the pattern's matches
};

struct Correlation {
  enum class Type { kEventCount, kValueCount, kTemporal };
  Type type = Type::kEventCount;
  std::vector<std::string> rule_refs;  // ids or names of the base rules
  std::vector<int> rules;              // resolved indexes into RuleSet::rules
  std::vector<std::string> group_by;
  int64_t timespan_ms = 0;
  std::string field;  // value_count
  enum class Op { kGt, kGte, kEq } op = Op::kGte;
  int64_t threshold = 1;
  bool generate = false;  // base rules also alert on their own
};

struct Rule {
  std::string id;
  std::string name;  // Sigma v2 "name", how correlations refer to rules
  std::string title;
  std::string level = "medium";
  std::string description;
  std::vector<std::string> tags;
  std::string file;
  LogSource source = LogSource::kOther;
  std::vector<Selection> selections;
  CondNode condition;
  std::optional<Correlation> correlation;
  bool silent = false;  // referenced by a correlation that does not generate
  // Prefilter: when non-empty, the rule can only match events whose eventName (CloudTrail)
  // is one of these (lower-case).
  std::vector<std::string> event_names;
  // Fields an event must have for the rule to match (it is not evaluated without them).
  std::vector<std::string> required_fields;
  // Items the rule cannot match without matching, as (selection, item) in a selection's one
  // AND-group; each compares strings by pattern only (see GlobItemMatches).
  std::vector<std::pair<int, int>> required_items;
};

struct RuleProblem {
  std::string file;
  std::string rule;  // title or id, when known
  std::string reason;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<RuleProblem> problems;  // rules not loaded, with the reason; the rest load
};

// Loads a rule file (several YAML documents allowed) or every *.yml / *.yaml under a
// directory (test fixtures *.test.yaml excepted), then resolves correlations.
void LoadRules(const std::string& path, RuleSet& set);
void LoadRuleText(const std::string& yaml, const std::string& file, RuleSet& set);
void ResolveCorrelations(RuleSet& set);

// Whether a field's values match an item that compares strings by pattern (a required item):
// what the item's evaluation in Matches would decide.
bool GlobItemMatches(const FieldItem& item, const std::vector<FieldValue>& values);

// Whether the rule's detection matches the event (correlation rules never do directly).
bool Matches(const Rule& rule, const Event& event);

// Exposed for tests.
int64_t ParseTimespan(const std::string& s);  // "5m", "1h", "30s", "2d"; -1 when invalid

}  // namespace bulwark::hunt
