#include "hunt/json_scan.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace bulwark::hunt {
namespace {

// Deeper nesting than simdjson's DOM accepts is not a CloudTrail record.
constexpr int kMaxDepth = 1024;

// Whether bytes 8..len of two keys of length len > 8 are equal, a word at a time (the last
// word overlaps the one before it).
bool SameTail(const char* known, const char* key, size_t len) {
  uint64_t a = 0, b = 0;
  for (size_t i = 8; i + 8 < len; i += 8) {
    std::memcpy(&a, known + i, 8);
    std::memcpy(&b, key + i, 8);
    if (a != b) return false;
  }
  std::memcpy(&a, known + len - 8, 8);
  std::memcpy(&b, key + len - 8, 8);
  return a == b;
}

// Multiplicative hashing: the table index is taken from the top bits of the product, which
// depend on every byte of the head (keys often share their first bytes: "eventName",
// "eventTime", "eventSource").
uint64_t KeyHash(uint64_t head, size_t len) {
  return (head ^ (len * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
}

// A path's hash for the slot table: its length and first and last eight bytes.
uint64_t PathHash(std::string_view path) {
  uint64_t head = 0, tail = 0;
  size_t n = std::min<size_t>(path.size(), 8);
  std::memcpy(&head, path.data(), n);
  std::memcpy(&tail, path.data() + path.size() - n, n);
  return KeyHash(head ^ (tail * 0x9e3779b97f4a7c15ULL), path.size());
}

// Per key length up to 24: which bits of each of three words hold the key's bytes.
constexpr auto kKeyMasks = [] {
  std::array<std::array<uint64_t, 3>, 25> m{};
  for (size_t len = 0; len <= 24; ++len) {
    for (size_t w = 0; w < 3; ++w) {
      size_t have = len > w * 8 ? std::min<size_t>(len - w * 8, 8) : 0;
      m[len][w] = have == 8 ? ~uint64_t{0} : (uint64_t{1} << (have * 8)) - 1;
    }
  }
  return m;
}();

// The first eight bytes of a key, zero-filled when shorter. The bytes past a short key are
// read too: keys sit inside buffers with SIMDJSON_PADDING bytes after them.
uint64_t KeyHead(const char* key, size_t len) {
  uint64_t w = 0;
  std::memcpy(&w, key, 8);
  return w & kKeyMasks[std::min<size_t>(len, 8)][0];
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace

void AdviseHugePages(void* p, size_t len) {
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  auto begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  auto end = (reinterpret_cast<uintptr_t>(p) + len) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

Projection::Projection() : nodes_(1) {}

int Projection::Add(std::string_view path) {
  int node = 0;
  size_t pos = 0;
  while (true) {
    size_t dot = path.find('.', pos);
    std::string_view part = path.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    int child = -1;
    for (const auto& [k, c] : nodes_[static_cast<size_t>(node)].children) {
      if (k == part) child = c;
    }
    if (child < 0) {
      child = static_cast<int>(nodes_.size());
      nodes_.emplace_back();
      Node& parent = nodes_[static_cast<size_t>(node)];
      parent.children.emplace_back(std::string(part), child);
      Rehash(parent);
    }
    node = child;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  Node& n = nodes_[static_cast<size_t>(node)];
  if (n.slot < 0) {
    n.slot = static_cast<int>(paths_.size());
    paths_.emplace_back(path);
    size_t size = 4;
    slot_shift_ = 62;
    while (size < paths_.size() * 2) {
      size *= 2;
      --slot_shift_;
    }
    slot_table_.assign(size, -1);
    for (size_t p = 0; p < paths_.size(); ++p) {
      size_t h = PathHash(paths_[p]) >> slot_shift_;
      while (slot_table_[h] >= 0) h = (h + 1) & (size - 1);
      slot_table_[h] = static_cast<int>(p);
    }
  }
  return n.slot;
}

int Projection::Slot(std::string_view path) const {
  if (path.empty() || slot_table_.empty()) return -1;
  size_t mask = slot_table_.size() - 1;
  for (size_t h = PathHash(path) >> slot_shift_; slot_table_[h] >= 0; h = (h + 1) & mask) {
    int slot = slot_table_[h];
    if (paths_[static_cast<size_t>(slot)] == path) return slot;
  }
  return -1;
}

void Projection::Rehash(Node& n) const {
  size_t size = 4;
  n.shift = 62;
  while (size < n.children.size() * 2) {
    size *= 2;
    --n.shift;
  }
  n.table.assign(size, Node::Entry{});
  for (size_t c = 0; c < n.children.size(); ++c) {
    const std::string& k = n.children[c].first;
    Node::Entry e;
    std::memcpy(&e.head, k.data(), std::min<size_t>(k.size(), 8));
    e.len = static_cast<uint32_t>(k.size());
    e.child = n.children[c].second;
    e.key = k.data();
    size_t h = KeyHash(e.head, e.len) >> n.shift;
    while (n.table[h].child >= 0) h = (h + 1) & (size - 1);
    n.table[h] = e;
  }
}

int Projection::Child(int node, const char* key, size_t len) const {
  const Node& n = nodes_[static_cast<size_t>(node)];
  if (n.children.empty()) return -1;
  uint64_t head = KeyHead(key, len);
  size_t mask = n.table.size() - 1;
  for (size_t h = KeyHash(head, len) >> n.shift; n.table[h].child >= 0; h = (h + 1) & mask) {
    const Node::Entry& e = n.table[h];
    if (e.len == len && e.head == head && (len <= 8 || SameTail(e.key, key, len))) return e.child;
  }
  return -1;
}

RecordScanner::RecordScanner(const Projection& projection)
    : projection_(projection),
      stamp_(projection.slots(), 0),
      first_(projection.slots(), 0),
      last_(projection.slots(), 0),
      seen_in_(projection.nodes_.size(), 0),
      guesses_(projection.nodes_.size() * kGuesses) {
  values_.reserve(64);
}

bool RecordScanner::IndexBuffer(std::string_view data) {
  if (data.size() > simdjson::SIMDJSON_MAXSIZE_BYTES) return false;
  if (!impl_ || impl_->capacity() < data.size()) {
    size_t capacity = std::max<size_t>(data.size(), 1 << 16);
    if (!impl_) {
      if (simdjson::get_active_implementation()->create_dom_parser_implementation(
              capacity, simdjson::DEFAULT_MAX_DEPTH, impl_) != simdjson::SUCCESS) {
        impl_.reset();
        return false;
      }
    } else if (impl_->allocate(capacity, simdjson::DEFAULT_MAX_DEPTH) != simdjson::SUCCESS) {
      impl_.reset();
      return false;
    }
    AdviseHugePages(impl_->structural_indexes.get(), capacity * sizeof(uint32_t));
  }
  buf_ = reinterpret_cast<const uint8_t*>(data.data());
  len_ = data.size();
  if (impl_->stage1(buf_, len_, simdjson::stage1_mode::regular) != simdjson::SUCCESS) return false;
  idx_ = impl_->structural_indexes.get();
  escape_ = nullptr;
  n_ = impl_->n_structural_indexes;
  return true;
}

void RecordScanner::BeginRecord() {
  if (++generation_ == 0) {  // wrapped: forget every stamp
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
  values_.clear();
  unescaped_.clear();
}

void RecordScanner::Append(int slot, const FieldValue& v) {
  auto s = static_cast<size_t>(slot);
  auto at = static_cast<uint32_t>(values_.size());
  values_.push_back({v, ~0u});
  if (stamp_[s] != generation_) {
    stamp_[s] = generation_;
    first_[s] = at;
  } else {
    values_[last_[s]].next = at;
  }
  last_[s] = at;
}

bool RecordScanner::Values(int slot, std::vector<FieldValue>& out) const {
  auto s = static_cast<size_t>(slot);
  if (slot < 0 || s >= stamp_.size() || stamp_[s] != generation_) return false;
  for (uint32_t at = first_[s]; at != ~0u; at = values_[at].next) out.push_back(values_[at].value);
  return true;
}

std::string_view RecordScanner::String(int slot) const {
  auto s = static_cast<size_t>(slot);
  if (slot < 0 || s >= stamp_.size() || stamp_[s] != generation_) return {};
  const FieldValue& v = values_[first_[s]].value;
  return v.kind == FieldValue::Kind::kString ? v.text : std::string_view();
}

// The scalar starting at token i: a string (unescaped when it has escapes), a number,
// true, false or null. False when it is none of them.
bool RecordScanner::Scalar(uint32_t i, FieldValue& v) {
  const char* start = reinterpret_cast<const char*>(buf_) + idx_[i];
  const char* end = reinterpret_cast<const char*>(buf_) + (i + 1 < n_ ? idx_[i + 1] : len_);
  while (end > start && IsJsonSpace(end[-1])) --end;
  if (*start == '"') {
    // The next token is the structural character after the closing quote.
    if (end - start < 2 || end[-1] != '"') return false;
    std::string_view text(start + 1, static_cast<size_t>(end - start - 2));
    v.kind = FieldValue::Kind::kString;
    if (!HasEscape(text.data(), text.size())) {
      v.text = text;
      return true;
    }
    std::string& out = unescaped_.emplace_back(text.size() + simdjson::SIMDJSON_PADDING, '\0');
    auto* dst = reinterpret_cast<uint8_t*>(out.data());
    uint8_t* stop = impl_->parse_string(reinterpret_cast<const uint8_t*>(text.data()), dst);
    if (stop == nullptr) return false;
    out.resize(static_cast<size_t>(stop - dst));
    v.text = out;
    return true;
  }
  std::string_view atom(start, static_cast<size_t>(end - start));
  if (atom == "true" || atom == "false") {
    v.kind = FieldValue::Kind::kBool;
    v.text = atom;
    return true;
  }
  if (atom == "null") {
    v.kind = FieldValue::Kind::kNull;
    v.text = {};
    return true;
  }
  if (!IsJsonNumber(atom)) return false;
  v.kind = FieldValue::Kind::kNumber;
  v.number = 0;
  std::from_chars(atom.data(), atom.data() + atom.size(), v.number);
  // The text as the DOM reader gives it: integers as written (-0 as 0), other numbers in
  // their shortest form ("1e3" is "1000", "1.50" is "1.5").
  if (atom == "-0") {  // an integer, zero
    v.text = "0";
    return true;
  }
  bool integer = atom.find_first_of(".eE") == std::string_view::npos;
  if (integer) {
    int64_t i64 = 0;
    uint64_t u64 = 0;
    auto end_of = atom.data() + atom.size();
    integer = std::from_chars(atom.data(), end_of, i64).ptr == end_of ||
              std::from_chars(atom.data(), end_of, u64).ptr == end_of;
  }
  if (integer) {
    v.text = atom;
    return true;
  }
  char shortest[32];
  auto r = std::to_chars(shortest, shortest + sizeof(shortest), v.number);
  v.text = unescaped_.emplace_back(shortest, r.ptr);
  return true;
}

std::string_view RecordScanner::Key(uint32_t i) const {
  const char* key = reinterpret_cast<const char*>(buf_) + idx_[i] + 1;
  const char* end = reinterpret_cast<const char*>(buf_) + idx_[i + 1];
  while (end > key && *--end != '"') {
  }
  return {key, static_cast<size_t>(end - key)};
}

bool RecordScanner::HasEscape(const char* p, size_t len) {
  if (p >= escape_) {
    const char* end = reinterpret_cast<const char*>(buf_) + len_;
    const void* found = p < end ? std::memchr(p, '\\', static_cast<size_t>(end - p)) : nullptr;
    escape_ = found != nullptr ? static_cast<const char*>(found) : end;
  }
  return escape_ < p + len;
}

bool RecordScanner::Skip(uint32_t& i) {
  char c = Tok(i);
  if (c != '{' && c != '[') {
    if (c == '\0' || c == '}' || c == ']' || c == ',' || c == ':') return false;
    ++i;
    return true;
  }
  // Brackets must pair by kind: a bit per level says which kind is open. Values nested
  // deeper than 64 levels are left to the DOM parser.
  static constexpr auto kBracket = [] {
    std::array<uint8_t, 256> t{};  // 1 '{', 2 '[', 3 '}', 4 ']', 0 anything else
    t['{'] = 1;
    t['['] = 2;
    t['}'] = 3;
    t[']'] = 4;
    return t;
  }();
  const uint8_t* buf = buf_;
  const uint32_t* idx = idx_;
  const uint32_t n = n_;
  uint32_t j = i;
  uint64_t lists = 0;
  int depth = 0;
  do {
    if (j >= n) return false;
    uint8_t k = kBracket[buf[idx[j++]]];
    if (k == 0) continue;
    if (k <= 2) {
      if (depth == 64) return false;
      lists = (lists & ~(uint64_t{1} << depth)) | (uint64_t{k == 2} << depth);
      ++depth;
    } else {
      --depth;
      if (((lists >> depth) & 1) != uint64_t{k == 4}) return false;
    }
  } while (depth > 0);
  i = j;
  return true;
}

bool RecordScanner::WalkObject(uint32_t& i, int node, int depth) {
  ++i;  // '{'
  if (Tok(i) == '}') {
    ++i;
    return true;
  }
  // A key given twice counts once, the first time, as in simdjson's DOM.
  if (++visit_ == 0) {  // wrapped: forget every mark
    std::fill(seen_in_.begin(), seen_in_.end(), 0);
    visit_ = 1;
  }
  const uint32_t visit = visit_;
  size_t position = 0;
  for (;;) {
    if (Tok(i) != '"' || Tok(i + 1) != ':') return false;
    const std::string_view key_text = Key(i);
    const char* key = key_text.data();
    const size_t len = key_text.size();
    i += 2;
    // Records of one kind list their keys in the same order: what the key at this position
    // of this object was last time is checked first.
    KeyGuess* guess =
        position < kGuesses
            ? &guesses_[static_cast<size_t>(node) * kGuesses + static_cast<size_t>(position)]
            : nullptr;
    ++position;
    // The key's first 24 bytes, zero past its end (the buffer's padding makes the read safe).
    bool guessable = guess != nullptr && len <= 24;
    uint64_t words[3] = {};
    if (guessable) {
      std::memcpy(words, key, sizeof(words));
      for (size_t w = 0; w < 3; ++w) words[w] &= kKeyMasks[len][w];
    }
    int child;
    if (guessable && guess->len == len && guess->words[0] == words[0] &&
        guess->words[1] == words[1] && guess->words[2] == words[2]) {
      child = guess->child;
    } else {
      child = projection_.Child(node, key, len);
      if (child < 0 && HasEscape(key, len)) {
        // A key written with escapes: compare its decoded form.
        std::string decoded(len + simdjson::SIMDJSON_PADDING, '\0');
        auto* dst = reinterpret_cast<uint8_t*>(decoded.data());
        uint8_t* stop = impl_->parse_string(reinterpret_cast<const uint8_t*>(key), dst);
        if (stop == nullptr) return false;
        child = projection_.Child(node, decoded.data(), static_cast<size_t>(stop - dst));
      }
      if (guessable) {
        std::memcpy(guess->words, words, sizeof(words));
        guess->len = static_cast<uint32_t>(len);
        guess->child = child;
      }
    }
    if (child >= 0) {
      uint32_t& seen = seen_in_[static_cast<size_t>(child)];
      if (seen == visit) child = -1;
      seen = visit;
    }
    if (child < 0 ? !Skip(i) : !WalkValue(i, child, depth + 1)) return false;
    char c = Tok(i++);
    if (c == '}') return true;
    if (c != ',') return false;
  }
}

bool RecordScanner::WalkValue(uint32_t& i, int node, int depth) {
  if (depth > kMaxDepth) return false;
  const Projection::Node& n = projection_.nodes_[static_cast<size_t>(node)];
  char c = Tok(i);
  if (c == '[') {  // a list: each element stands where the list is
    ++i;
    if (Tok(i) == ']') {
      ++i;
      return true;
    }
    for (;;) {
      if (!WalkValue(i, node, depth + 1)) return false;
      c = Tok(i++);
      if (c == ']') return true;
      if (c != ',') return false;
    }
  }
  if (c == '{') {
    if (n.slot >= 0) {
      FieldValue v;
      v.kind = FieldValue::Kind::kOther;  // an object where a value was asked for
      Append(n.slot, v);
    }
    return n.children.empty() ? Skip(i) : WalkObject(i, node, depth);
  }
  FieldValue v;
  if (!Scalar(i, v)) return false;
  if (n.slot >= 0) Append(n.slot, v);
  ++i;
  return true;
}

bool RecordScanner::Record(uint32_t& i, ScannedRecord& rec) {
  BeginRecord();
  uint32_t start = i;
  if (!WalkObject(i, 0, 1)) return false;
  rec.offset = idx_[start];
  rec.raw = std::string_view(reinterpret_cast<const char*>(buf_) + idx_[start],
                             idx_[i - 1] + 1 - idx_[start]);
  return true;
}

const CloudTrailEvent* ScannedEvent::Dom() const {
  if (!dom_ && !dom_failed_) {
    // The record sits inside the scanned buffer, so the padding simdjson reads past it is
    // there. One parser per thread: one scanned event is alive at a time.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element e;
    const std::string_view raw = record_.raw;
    if (parser.parse(raw.data(), raw.size(), false).get(e) == simdjson::SUCCESS) {
      dom_.emplace(e);
    } else {
      dom_failed_ = true;
    }
  }
  return dom_ ? &*dom_ : nullptr;
}

bool ScannedEvent::CachedValues(int id, std::string_view path, std::vector<FieldValue>& out) const {
  int slot = id >= 0 && static_cast<size_t>(id) < slot_of_field_.size()
                 ? slot_of_field_[static_cast<size_t>(id)]
                 : -1;
  if (slot >= 0) return scanner_.Values(slot, out);
  return Values(path, out);
}

bool ScannedEvent::Values(std::string_view path, std::vector<FieldValue>& out) const {
  int slot = scanner_.projection().Slot(path);
  if (slot >= 0) return scanner_.Values(slot, out);
  const CloudTrailEvent* dom = Dom();
  return dom != nullptr && dom->Values(path, out);
}

std::string ScannedEvent::Text() const {
  // The record as written, without the whitespace between tokens.
  std::string out(record_.raw.size(), '\0');
  size_t len = 0;
  if (simdjson::minify(record_.raw.data(), record_.raw.size(), out.data(), len) !=
      simdjson::SUCCESS) {
    return std::string(record_.raw);
  }
  out.resize(len);
  return out;
}

std::string_view ScannedEvent::String(std::string_view key) const {
  int slot = scanner_.projection().Slot(key);
  if (slot >= 0) return scanner_.String(slot);
  const CloudTrailEvent* dom = Dom();
  return dom != nullptr ? dom->String(key) : std::string_view();
}

}  // namespace bulwark::hunt
