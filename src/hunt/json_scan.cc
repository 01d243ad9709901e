#include "hunt/json_scan.h"

#include <sys/mman.h>

#if defined(__x86_64__) || defined(__SSE2__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
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

// Whether the `len` (at most 24) bytes at p are those of `words` (zero-filled past them).
bool SameWords(const char* p, size_t len, const uint64_t (&words)[3]) {
  uint64_t w[3];
  std::memcpy(w, p, sizeof(w));
  return ((w[0] & kKeyMasks[len][0]) == words[0]) & ((w[1] & kKeyMasks[len][1]) == words[1]) &
         ((w[2] & kKeyMasks[len][2]) == words[2]);
}

// The first eight bytes of a key, zero-filled when shorter. The bytes past a short key are
// read too: keys sit inside buffers with SIMDJSON_PADDING bytes after them.
uint64_t KeyHead(const char* key, size_t len) {
  uint64_t w = 0;
  std::memcpy(&w, key, 8);
  return w & kKeyMasks[std::min<size_t>(len, 8)][0];
}

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

// What the walker needs to know of 64 bytes: where the quotes, backslashes, brackets ('{'
// and '[' open, '}' and ']' close) and control characters are, and which bytes have bit
// 0x20 clear (which tells '[' and ']' from '{' and '}'), a bit per byte.
struct Block {
  uint64_t quote = 0;
  uint64_t backslash = 0;
  uint64_t open = 0;
  uint64_t close = 0;
  uint64_t control = 0;  // below 0x20
  uint64_t square = 0;   // bit 0x20 clear
};

// The 64 bytes from p on (the buffers carry SIMDJSON_PADDING readable bytes after their
// end; the caller ignores what lies past the end).
Block Classify(const char* p) {
  Block b;
#if defined(__SSE2__)
  // SSE2 is in every x86-64 CPU: no dispatch needed.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
  const __m128i case_bit = _mm_set1_epi8(0x20), last_control = _mm_set1_epi8(0x1f);
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    // '[' and ']' are '{' and '}' with bit 0x20 cleared; no other byte becomes either.
    const __m128i folded = _mm_or_si128(x, case_bit);
    auto bits = [k](__m128i m) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(m))) << (16 * k);
    };
    b.quote |= bits(_mm_cmpeq_epi8(x, quote));
    b.backslash |= bits(_mm_cmpeq_epi8(x, backslash));
    b.open |= bits(_mm_cmpeq_epi8(folded, open));
    b.close |= bits(_mm_cmpeq_epi8(folded, close));
    b.control |= bits(_mm_cmpeq_epi8(_mm_min_epu8(x, last_control), x));
    b.square |= ~bits(_mm_slli_epi16(x, 2)) & (uint64_t{0xffff} << (16 * k));  // bit 5 to 7
  }
#else
  for (int k = 0; k < 64; ++k) {
    const auto c = static_cast<unsigned char>(p[k]);
    const uint64_t bit = uint64_t{1} << k;
    if (c == '"') b.quote |= bit;
    if (c == '\\') b.backslash |= bit;
    if (c == '{' || c == '[') b.open |= bit;
    if (c == '}' || c == ']') b.close |= bit;
    if (c < 0x20) b.control |= bit;
    if ((c & 0x20) == 0) b.square |= bit;
  }
#endif
  return b;
}

#if defined(__x86_64__)
// The same with AVX2, 32 bytes per compare, for the CPUs that have it (chosen at run time:
// the build targets the baseline CPU).
__attribute__((target("avx2"))) inline Block ClassifyAvx2(const char* p) {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  // The 64 bits of a compare of each half with c.
  auto bits = [](__m256i a, __m256i b) __attribute__((target("avx2"))) {
    return static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(a))) |
           static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(b))) << 32;
  };
  auto equal = [&](char c) __attribute__((target("avx2"))) {
    const __m256i v = _mm256_set1_epi8(c);
    return bits(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
  };
  const __m256i case_bit = _mm256_set1_epi8(0x20), last_control = _mm256_set1_epi8(0x1f);
  const __m256i folded_lo = _mm256_or_si256(lo, case_bit),
                folded_hi = _mm256_or_si256(hi, case_bit);
  const __m256i open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}');
  Block b;
  b.quote = equal('"');
  b.backslash = equal('\\');
  b.open = bits(_mm256_cmpeq_epi8(folded_lo, open), _mm256_cmpeq_epi8(folded_hi, open));
  b.close = bits(_mm256_cmpeq_epi8(folded_lo, close), _mm256_cmpeq_epi8(folded_hi, close));
  b.control = bits(_mm256_cmpeq_epi8(_mm256_min_epu8(lo, last_control), lo),
                   _mm256_cmpeq_epi8(_mm256_min_epu8(hi, last_control), hi));
  b.square = ~bits(_mm256_slli_epi16(lo, 2), _mm256_slli_epi16(hi, 2));  // bit 5 to 7
  return b;
}

// With the other instructions the AVX2 variant uses.
const bool kHasAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
                      __builtin_cpu_supports("bmi") && __builtin_cpu_supports("pclmul");
#else
const bool kHasAvx2 = false;
#endif
bool use_avx2 = kHasAvx2;

// The bits of the characters a backslash escapes, given the block's backslashes; `carry`
// says whether the block's first character is escaped (a run of backslashes ending the
// block before) and is set for the next block. A run of backslashes escapes every second
// character after its start, and the one after it when its length is odd: runs starting on
// odd bits are isolated and added to the backslashes, whose carries then mark the escaped
// positions of runs starting on even bits.
uint64_t Escaped(uint64_t backslash, uint64_t& carry) {
  if (backslash == 0) {
    uint64_t escaped = carry;
    carry = 0;
    return escaped;
  }
  constexpr uint64_t kEven = 0x5555555555555555ULL;
  backslash &= ~carry;
  const uint64_t follows = (backslash << 1) | carry;
  const uint64_t odd_starts = backslash & ~kEven & ~follows;
  uint64_t even_runs = 0;
  carry = __builtin_add_overflow(odd_starts, backslash, &even_runs) ? 1 : 0;
  return (kEven ^ (even_runs << 1)) & follows;
}

// Each bit XORed with every bit below it: from the unescaped quotes, the bytes inside strings
// (an opening quote's bit set, the closing one's not).
uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// The bits of the bytes before `end` of the block at p.
uint64_t Before(const char* p, const char* end) {
  return end - p >= 64 ? ~uint64_t{0} : (uint64_t{1} << (end - p)) - 1;
}

// The bits of the quotes, backslashes and control characters among the 16 bytes at p.
uint32_t Special16(const char* p) {
#if defined(__SSE2__)
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
      _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x));
  return static_cast<uint32_t>(_mm_movemask_epi8(m));
#else
  uint32_t bits = 0;
  for (int k = 0; k < 16; ++k) {
    const auto c = static_cast<unsigned char>(p[k]);
    if (c == '"' || c == '\\' || c < 0x20) bits |= uint32_t{1} << k;
  }
  return bits;
#endif
}

// Set bits, without the call into libgcc std::popcount becomes when the compiler may not
// use POPCNT.
int Count(uint64_t x) {
#if defined(__POPCNT__)
  return std::popcount(x);
#else
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
#endif
}

bool EndsAtom(char c) { return c == ',' || c == '}' || c == ']' || IsJsonSpace(c); }

// The string whose opening quote is at p, ending before `end`: most strings are short, so
// kStep bytes at a time to the first quote, backslash or control character. A backslash
// escapes the character after it, whatever that is.
template <uint32_t (*Special)(const char*), int kStep>
[[gnu::always_inline]] inline bool FindStringEnd(const char*& p, const char* end,
                                                 std::string_view& text, bool& escaped) {
  const char* const start = p + 1;
  escaped = false;
  for (const char* q = start; q < end;) {
    const uint32_t special = Special(q);
    if (special == 0) {
      q += kStep;
      continue;
    }
    const char* at = q + std::countr_zero(special);
    if (at >= end) break;
    if (*at == '"') {
      text = std::string_view(start, static_cast<size_t>(at - start));
      p = at + 1;
      return true;
    }
    if (*at != '\\') return false;  // a raw control character
    escaped = true;
    q = at + 2;
  }
  return false;  // no closing quote
}

// 16 bytes at a time (SSE2, every x86-64 CPU) and inlined: most strings of a record are
// short, and a step that can be inlined costs less than a call to a wider one.
[[gnu::always_inline]] inline bool FindString(const char*& p, const char* end,
                                              std::string_view& text, bool& escaped) {
  return FindStringEnd<Special16, 16>(p, end, text, escaped);
}

// The object or list at p, ending before `end`: follows its strings and brackets a block at
// a time until the depth is back to 0; p moves past it. The brackets must pair by kind as
// far as counts tell: as many '[' as ']', and the last closes what the first opened.
template <Block (*Classify)(const char*), int (*Pop)(uint64_t), uint64_t (*Xor)(uint64_t)>
[[gnu::always_inline]] inline bool FindValueEnd(const char*& p, const char* end) {
  // The value's own bracket, at p, is counted already and left out of the first block.
  int64_t depth = 1;
  int64_t lists = *p == '[' ? 1 : 0;  // '[' less ']'
  uint64_t first = ~uint64_t{1};
  uint64_t carry = 0;
  uint64_t in_string = 0;  // all ones when the block starts inside a string
  for (const char* q = p; q < end; q += 64) {
    const Block b = Classify(q);
    const uint64_t valid = Before(q, end);
    const uint64_t quotes = b.quote & ~Escaped(b.backslash, carry) & valid;
    const uint64_t inside = Xor(quotes) ^ in_string;
    in_string = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
    if ((b.control & inside & valid) != 0) return false;  // a raw control character
    const uint64_t open = b.open & ~inside & valid & first, close = b.close & ~inside & valid;
    first = ~uint64_t{0};
    const int opens = Pop(open), closes = Pop(close);
    if (closes < depth) {  // the depth cannot reach 0 in this block
      depth += opens - closes;
      lists += Pop(open & b.square) - Pop(close & b.square);
      if (depth > kMaxDepth) return false;
      continue;
    }
    for (uint64_t m = open | close; m != 0; m &= m - 1) {
      const uint64_t bit = m & -m;
      if ((open & bit) != 0) {
        if (++depth > kMaxDepth) return false;
      } else if (--depth == 0) {
        const uint64_t upto = bit | (bit - 1);
        lists += Pop(open & b.square & upto) - Pop(close & b.square & upto);
        const char* last = q + std::countr_zero(bit);
        if (lists != 0 || (*p == '[') != (*last == ']')) return false;
        p = last + 1;
        return true;
      }
    }
    lists += Pop(open & b.square) - Pop(close & b.square);
  }
  return false;  // unbalanced
}

bool NestedSse2(const char*& p, const char* end) {
  return FindValueEnd<Classify, Count, PrefixXor>(p, end);
}

#if defined(__x86_64__)
__attribute__((target("popcnt"))) inline int CountPopcnt(uint64_t x) {
  return static_cast<int>(_mm_popcnt_u64(x));
}

// PrefixXor in one carry-less multiplication by all ones.
__attribute__((target("pclmul,sse2"))) inline uint64_t PrefixXorClmul(uint64_t x) {
  const __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)),
                                               _mm_set1_epi8(static_cast<char>(0xff)), 0);
  return static_cast<uint64_t>(_mm_cvtsi128_si64(product));
}

__attribute__((target("avx2,popcnt,bmi,pclmul"))) bool NestedAvx2(const char*& p, const char* end) {
  return FindValueEnd<ClassifyAvx2, CountPopcnt, PrefixXorClmul>(p, end);
}
#else
bool NestedAvx2(const char*& p, const char* end) { return NestedSse2(p, end); }
#endif
}  // namespace

bool UseAvx2(bool on) {
  use_avx2 = on && kHasAvx2;
  return use_avx2;
}

void AdviseHugePages(void* p, size_t len) {
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  auto begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  auto end = (reinterpret_cast<uintptr_t>(p) + len) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

Projection::Projection() : nodes_(1) {
  for (const char* f : JsonEvent::kFieldNames) Add(f);
}

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
  values_.resize(64);
  // Only its string unescaper is used, which needs no capacity.
  if (simdjson::get_active_implementation()->create_dom_parser_implementation(
          0, simdjson::DEFAULT_MAX_DEPTH, impl_) != simdjson::SUCCESS) {
    throw std::bad_alloc();
  }
}

void RecordScanner::BeginRecord() {
  if (++generation_ == 0) {  // wrapped: forget every stamp
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
  nvalues_ = 0;
  unescaped_.clear();
}

inline void RecordScanner::Append(int slot, const FieldValue& v) {
  auto s = static_cast<size_t>(slot);
  auto at = static_cast<uint32_t>(nvalues_);
  if (nvalues_ == values_.size()) values_.resize(2 * nvalues_);
  values_[nvalues_++] = {v, ~0u};
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

bool RecordScanner::ReadString(const char*& p, std::string_view& text, bool& escaped) const {
  return FindString(p, end_, text, escaped);
}

bool RecordScanner::SkipNested(const char*& p) const {
  return use_avx2 ? NestedAvx2(p, end_) : NestedSse2(p, end_);
}

inline bool RecordScanner::SkipString(const char*& p) const {
  std::string_view text;
  bool escaped = false;
  return FindString(p, end_, text, escaped);
}

bool RecordScanner::Skip(const char*& p) const {
  const char c = At(p);
  if (c == '"') return SkipString(p);
  if (c == '{' || c == '[') return SkipNested(p);
  const char* q = p;
  while (q < end_ && !EndsAtom(*q)) ++q;
  if (q == p) return false;
  p = q;
  return true;
}

inline bool RecordScanner::StringValue(const char*& p, FieldValue& v) {
  std::string_view text;
  bool escaped = false;
  if (!FindString(p, end_, text, escaped)) return false;
  v.kind = FieldValue::Kind::kString;
  v.text = text;
  return !escaped || Unescape(v);
}

bool RecordScanner::Unescape(FieldValue& v) {
  const std::string_view text = v.text;
  std::string& out = unescaped_.emplace_back(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out.data());
  uint8_t* stop = impl_->parse_string(reinterpret_cast<const uint8_t*>(text.data()), dst);
  if (stop == nullptr) return false;
  out.resize(static_cast<size_t>(stop - dst));
  v.text = out;
  return true;
}

// The scalar at p: a string (unescaped when it has escapes), a number, true, false or
// null. False when it is none of them.
bool RecordScanner::Scalar(const char*& p, FieldValue& v) {
  if (At(p) == '"') return StringValue(p, v);
  const char* end = p;
  while (end < end_ && !EndsAtom(*end)) ++end;
  std::string_view atom(p, static_cast<size_t>(end - p));
  p = end;
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

bool RecordScanner::WalkObject(const char*& p, int node, int depth) {
  p = SkipSpace(p + 1);  // past '{'
  if (At(p) == '}') {
    ++p;
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
    if (At(p) != '"') return false;
    // Records of one kind list their keys in the same order: what the key at this position
    // of this object was last time is checked first, before looking for the key's end.
    KeyGuess* guess =
        position < kGuesses
            ? &guesses_[static_cast<size_t>(node) * kGuesses + static_cast<size_t>(position)]
            : nullptr;
    ++position;
    int child;
    if (guess != nullptr && guess->len <= 22 && p + 3 + guess->len < end_ &&
        SameWords(p + 1, guess->len + 2, guess->words) &&
        static_cast<unsigned char>(p[3 + guess->len]) > ' ') {
      // The guess is the key followed by '":' and holds no other quote, backslash or
      // control character: the key ends there, and its value starts after the colon.
      child = guess->child;
      p += 3 + guess->len;
    } else {
      std::string_view key_text;
      bool escaped = false;
      if (!FindString(p, end_, key_text, escaped)) return false;
      const char* key = key_text.data();
      const size_t len = key_text.size();
      if (escaped) {
        // A key written with escapes: compare its decoded form.
        std::string decoded(len + simdjson::SIMDJSON_PADDING, '\0');
        auto* dst = reinterpret_cast<uint8_t*>(decoded.data());
        uint8_t* stop = impl_->parse_string(reinterpret_cast<const uint8_t*>(key), dst);
        if (stop == nullptr) return false;
        child = projection_.Child(node, decoded.data(), static_cast<size_t>(stop - dst));
      } else {
        child = projection_.Child(node, key, len);
        if (guess != nullptr && len <= 22 && *p == ':') {
          // The key and '":' after it, zero past them (the padding makes the read safe).
          std::memcpy(guess->words, key, sizeof(guess->words));
          for (size_t w = 0; w < 3; ++w) guess->words[w] &= kKeyMasks[len + 2][w];
          guess->len = static_cast<uint32_t>(len);
          guess->child = child;
        }
      }
      if (p + 1 < end_ && *p == ':' && static_cast<unsigned char>(p[1]) > ' ') {
        ++p;  // written without spaces, as AWS writes records
      } else {
        p = SkipSpace(p);
        if (At(p) != ':') return false;
        p = SkipSpace(p + 1);
      }
    }
    if (child >= 0) {
      uint32_t& seen = seen_in_[static_cast<size_t>(child)];
      if (seen == visit) child = -1;
      seen = visit;
    }
    if (At(p) == '"') {  // a string, the usual value: read or hopped over here
      if (child < 0) {
        if (!SkipString(p)) return false;
      } else {
        FieldValue v;
        if (!StringValue(p, v)) return false;
        const int slot = projection_.nodes_[static_cast<size_t>(child)].slot;
        if (slot >= 0) Append(slot, v);
      }
    } else if (child < 0 ? !Skip(p) : !WalkValue(p, child, depth + 1)) {
      return false;
    }
    if (p + 1 < end_ && *p == ',' && p[1] == '"') {
      ++p;
      continue;
    }
    p = SkipSpace(p);
    const char c = At(p);
    if (c == '}') {
      ++p;
      return true;
    }
    if (c != ',') return false;
    p = SkipSpace(p + 1);
  }
}

bool RecordScanner::WalkValue(const char*& p, int node, int depth) {
  if (depth > kMaxDepth) return false;
  const Projection::Node& n = projection_.nodes_[static_cast<size_t>(node)];
  char c = At(p);
  if (c == '[') {  // a list: each element stands where the list is
    p = SkipSpace(p + 1);
    if (At(p) == ']') {
      ++p;
      return true;
    }
    for (;;) {
      if (!WalkValue(p, node, depth + 1)) return false;
      p = SkipSpace(p);
      c = At(p);
      p = SkipSpace(p + 1);
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
    return n.children.empty() ? SkipNested(p) : WalkObject(p, node, depth);
  }
  FieldValue v;
  if (!Scalar(p, v)) return false;
  if (n.slot >= 0) Append(n.slot, v);
  return true;
}

bool RecordScanner::Record(const char*& p, ScannedRecord& rec) {
  BeginRecord();
  const char* start = p;
  if (!WalkObject(p, 0, 1)) return false;
  rec.offset = static_cast<uint64_t>(start - begin_);
  rec.raw = std::string_view(start, static_cast<size_t>(p - start));  // p is past the '}'
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
