// Reads the fields the rules ask for out of CloudTrail records without building a
// document. A walker goes over the record's bytes, descending only into the keys some rule
// names. Strings are followed 16 bytes at a time to their closing quote. Objects and lists
// it does not read it hops over 64 bytes at a time: a block's quotes, backslashes and
// brackets are found with SIMD compares, the bytes inside strings by a prefix XOR of the
// unescaped quotes, and the bracket depth by population counts, so a large value nobody
// asked for costs a few instructions per block, not a step per token.
//
// Reading every byte a block at a time instead (finding an object's keys as the strings
// after '{' or ',' at its depth, and skipping every value by blocks) was tried and cost a
// third more instructions per record: CloudTrail's values are mostly short strings, which
// the walker passes in one or two steps.
//
// Written here rather than taken from simdjson: its DOM and on-demand readers both index
// every token of the document first (stage 1: four bytes written per token and read back),
// and on CloudTrail records, where the rules read a tenth of the values, hopping over the
// rest in blocks took a sixth to a quarter less time per record than walking simdjson's
// index did (measured side by side); and Debian's simdjson compiles on-demand for the
// baseline CPU only. simdjson's dispatched UTF-8 validator and string unescaper are used.
//
// The walker checks the grammar of everything it reads (objects, keys, lists, the values
// of projected fields), that the whole buffer is UTF-8 and that no string holds a raw
// control character. Inside a value it hops over it only follows strings and bracket
// counts (as many '[' as ']', the last bracket closing the first); a document the walker
// refuses is handed to the DOM parser by the caller, which reports it.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/event.h"

namespace bulwark::hunt {

// Whether the scanner uses AVX2 (where the CPU has it; on by default) or the baseline SIMD
// code; returns what it uses now. For tests, which read with both.
bool UseAvx2(bool on);

// JSON's whitespace: space, tab, line feed, carriage return.
inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Asks the kernel for transparent huge pages over the 2 MiB-aligned part of [p, p + len).
void AdviseHugePages(void* p, size_t len);

// The dotted field paths to read, as a tree over their parts; each path has a slot.
class Projection {
 public:
  // Slots 0 to JsonEvent::kFields - 1 are JsonEvent's fields read of every record.
  Projection();
  // The path's slot (added when new).
  int Add(std::string_view path);
  // The slot of `path`, -1 when it is not projected.
  int Slot(std::string_view path) const;
  size_t slots() const { return paths_.size(); }

 private:
  friend class RecordScanner;
  struct Node {
    int slot = -1;
    std::vector<std::pair<std::string, int>> children;  // key -> node
    // Open addressing over the children by a hash of the key's first bytes and length
    // (size a power of 2; child -1 marks a free entry).
    struct Entry {
      uint64_t head = 0;  // the key's first eight bytes, zero-filled
      uint32_t len = 0;
      int32_t child = -1;
      const char* key = nullptr;
    };
    std::vector<Entry> table;
    int shift = 62;  // the table index is the hash's top bits: 64 - log2(table size)
  };
  int Child(int node, const char* key, size_t len) const;
  void Rehash(Node& n) const;
  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::vector<std::string> paths_;
  std::vector<int> slot_table_;  // slots by a hash of their whole path (open addressing)
  int slot_shift_ = 62;
};

// Where the record the scanner stands on sits in the scanned buffer.
struct ScannedRecord {
  std::string_view raw;  // the record's JSON text as written
  uint64_t offset = 0;   // of `raw` in the scanned buffer
};

// Walks the records of one buffer (a {"Records":[...]} document, or JSON lines).
class RecordScanner {
 public:
  explicit RecordScanner(const Projection& projection);
  RecordScanner(const RecordScanner&) = delete;
  RecordScanner& operator=(const RecordScanner&) = delete;

  // Calls on_record(record) for each record of the {"Records":[...]} document `data`
  // (followed by SIMDJSON_PADDING readable bytes), or for each top-level object when
  // `lines` (JSON lines: any number of objects one after another). Returns false when the
  // buffer is not such input, or not valid JSON where the walker looked; records already
  // handed out were read from what came before the problem, and the caller should read
  // the buffer another way.
  template <typename OnRecord>
  bool Scan(std::string_view data, bool lines, OnRecord&& on_record);

  // The current record's values at `slot` appended to `out`; false when absent.
  bool Values(int slot, std::vector<FieldValue>& out) const;
  // Whether the current record has a value at `slot`.
  bool Has(int slot) const { return stamp_[static_cast<size_t>(slot)] == generation_; }
  // The first string value at `slot`, "" when absent or not a string.
  std::string_view String(int slot) const;
  const Projection& projection() const { return projection_; }

 private:
  char At(const char* p) const { return p < end_ ? *p : '\0'; }
  const char* SkipSpace(const char* p) const {
    // Whitespace is at most ' ': one compare for the usual byte that is not.
    while (p < end_ && static_cast<unsigned char>(*p) <= ' ' && IsJsonSpace(*p)) {
      ++p;
    }
    return p;
  }
  // The string whose opening quote is at p: its text between the quotes, whether that has
  // a backslash; p moves past the closing quote.
  bool ReadString(const char*& p, std::string_view& text, bool& escaped) const;
  bool WalkObject(const char*& p, int node, int depth);
  bool WalkValue(const char*& p, int node, int depth);
  // Hops over the value at p, or the string at p.
  bool Skip(const char*& p) const;
  bool SkipString(const char*& p) const;
  bool SkipNested(const char*& p) const;
  bool Scalar(const char*& p, FieldValue& v);
  // The string at p as a value, unescaped when it has escapes.
  bool StringValue(const char*& p, FieldValue& v);
  // v.text, a string's text with escapes, replaced by the decoded text.
  bool Unescape(FieldValue& v);
  void Append(int slot, const FieldValue& v);
  void BeginRecord();
  bool Record(const char*& p, ScannedRecord& rec);

  const Projection& projection_;
  std::unique_ptr<simdjson::internal::dom_parser_implementation> impl_;  // unescapes
  const char* begin_ = nullptr;
  const char* end_ = nullptr;
  // Per slot: the record generation it was last set in, its first value and its last one;
  // values of one slot are chained through Value::next.
  uint32_t generation_ = 0;
  std::vector<uint32_t> stamp_;
  std::vector<uint32_t> first_, last_;
  struct Value {
    FieldValue value;
    uint32_t next;  // the slot's next value, ~0u after the last
  };
  std::vector<Value> values_;  // the first nvalues_ are the current record's
  size_t nvalues_ = 0;
  // Per tree node: the object visit it was last seen in as a key (a key given twice).
  std::vector<uint32_t> seen_in_;
  uint32_t visit_ = 0;
  // Per tree node and key position (the first kGuesses): the key last seen there followed
  // by '":' (up to 24 bytes, zero-filled; len is the key's) and its child node.
  static constexpr size_t kGuesses = 32;
  struct KeyGuess {
    uint64_t words[3] = {};
    uint32_t len = ~0u;
    int32_t child = -1;
  };
  std::vector<KeyGuess> guesses_;
  std::deque<std::string> unescaped_;  // strings with escapes, decoded (stable addresses)
};

template <typename OnRecord>
bool RecordScanner::Scan(std::string_view data, bool lines, OnRecord&& on_record) {
  if (!simdjson::validate_utf8(data.data(), data.size())) return false;
  begin_ = data.data();
  end_ = data.data() + data.size();
  const char* p = SkipSpace(begin_);
  ScannedRecord rec;
  if (lines) {
    while (p < end_) {
      if (*p != '{' || !Record(p, rec)) return false;
      on_record(rec);
      p = SkipSpace(p);
    }
    return true;
  }
  // {"Records":[ {...}, ... ]} and possibly other keys around it.
  if (At(p) != '{') return false;
  p = SkipSpace(p + 1);
  bool records = false;
  for (;;) {
    std::string_view key;
    bool escaped = false;
    if (At(p) != '"' || !ReadString(p, key, escaped)) return false;
    p = SkipSpace(p);
    if (At(p) != ':') return false;
    p = SkipSpace(p + 1);
    if (key == "Records" && At(p) == '[') {
      records = true;
      p = SkipSpace(p + 1);
      if (At(p) == ']') {
        ++p;
      } else {
        for (;;) {
          if (At(p) != '{' || !Record(p, rec)) return false;
          on_record(rec);
          p = SkipSpace(p);
          char c = At(p);
          p = SkipSpace(p + 1);
          if (c == ']') break;
          if (c != ',') return false;
        }
      }
    } else if (!Skip(p)) {
      return false;
    }
    p = SkipSpace(p);
    char c = At(p);
    p = SkipSpace(p + 1);
    if (c == '}') break;
    if (c != ',') return false;
  }
  return records && p >= end_;
}

// The record the scanner stands on. Projected fields come from the scanner; anything else
// (a path no rule names) from a DOM of the record's text, parsed when first asked for.
class ScannedEvent : public JsonEvent {
 public:
  // `slot_of_field`: the projection's slot per interned field id (InternField), -1 if none.
  ScannedEvent(const RecordScanner& scanner, const std::vector<int>& slot_of_field,
               const ScannedRecord& record)
      : scanner_(scanner), slot_of_field_(slot_of_field), record_(record) {}
  bool CachedValues(int id, std::string_view path, std::vector<FieldValue>& out) const override;
  bool Values(std::string_view path, std::vector<FieldValue>& out) const override;
  std::string Text() const override;
  std::string_view String(std::string_view key) const override;
  std::string_view Get(Field f) const override { return scanner_.String(static_cast<int>(f)); }

 private:
  const CloudTrailEvent* Dom() const;
  const RecordScanner& scanner_;
  const std::vector<int>& slot_of_field_;
  const ScannedRecord& record_;
  mutable std::optional<CloudTrailEvent> dom_;
  mutable bool dom_failed_ = false;
};

}  // namespace bulwark::hunt
