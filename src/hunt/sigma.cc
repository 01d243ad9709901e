#include "hunt/sigma.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "util/strings.h"

namespace bulwark::hunt {
namespace {

// Wildcards inside compiled patterns; escaped '*' and '?' stay literal characters.
constexpr char kStar = '\x01';
constexpr char kOne = '\x02';

struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Sigma's string syntax: '*' and '?' are wildcards, '\*' '\?' '\\' their literal forms;
// any other backslash is itself.
std::string CompileWildcards(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      out += s[++i];
    } else if (c == '*') {
      out += kStar;
    } else if (c == '?') {
      out += kOne;
    } else {
      out += c;
    }
  }
  return out;
}

void SetShape(ValueMatcher& m) {
  const std::string& t = m.text;
  auto wild = [](char c) { return c == kStar || c == kOne; };
  size_t n = std::count_if(t.begin(), t.end(), wild);
  if (n == 0) {
    m.shape = ValueMatcher::Shape::kExact;
  } else if (n == 1 && t.back() == kStar) {
    m.shape = ValueMatcher::Shape::kPrefix;
    m.text.pop_back();
  } else if (n == 1 && t.front() == kStar) {
    m.shape = ValueMatcher::Shape::kSuffix;
    m.text.erase(0, 1);
  } else if (n == 2 && t.size() >= 2 && t.front() == kStar && t.back() == kStar) {
    m.shape = ValueMatcher::Shape::kContains;
    m.text = m.text.substr(1, m.text.size() - 2);
  } else {
    m.shape = ValueMatcher::Shape::kGeneral;
  }
}

bool EqualsCi(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

bool ContainsCi(std::string_view hay, std::string_view lower_needle) {
  if (lower_needle.empty()) return true;
  if (hay.size() < lower_needle.size()) return false;
  const char first = lower_needle[0];
  const char first_up = static_cast<char>(std::toupper(static_cast<unsigned char>(first)));
  for (size_t i = 0; i + lower_needle.size() <= hay.size(); ++i) {
    if (hay[i] != first && hay[i] != first_up) continue;
    if (EqualsCi(hay.substr(i, lower_needle.size()), lower_needle)) return true;
  }
  return false;
}

bool Contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// Glob over compiled wildcards, single-star backtracking; `ci` folds the text's case.
bool GlobCompiled(std::string_view p, std::string_view t, bool ci) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    char tc = ci ? Lower(t[ti]) : t[ti];
    if (pi < p.size() && (p[pi] == kOne || p[pi] == tc)) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == kStar) {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == kStar) ++pi;
  return pi == p.size();
}

bool MatchGlob(const ValueMatcher& m, std::string_view text) {
  bool ci = !m.cased;
  switch (m.shape) {
    case ValueMatcher::Shape::kExact:
      return ci ? EqualsCi(text, m.text) : text == m.text;
    case ValueMatcher::Shape::kPrefix:
      return text.size() >= m.text.size() && (ci ? EqualsCi(text.substr(0, m.text.size()), m.text)
                                                 : text.substr(0, m.text.size()) == m.text);
    case ValueMatcher::Shape::kSuffix:
      return text.size() >= m.text.size() &&
             (ci ? EqualsCi(text.substr(text.size() - m.text.size()), m.text)
                 : text.substr(text.size() - m.text.size()) == m.text);
    case ValueMatcher::Shape::kContains:
      return ci ? ContainsCi(text, m.text) : Contains(text, m.text);
    case ValueMatcher::Shape::kGeneral:
      return GlobCompiled(m.text, text, ci);
  }
  return false;
}

// IPv4 addresses are held as IPv4-mapped IPv6 so one comparison serves both.
bool ParseIp(std::string_view s, std::array<uint8_t, 16>& out) {
  std::string str(s);
  in_addr v4{};
  if (inet_pton(AF_INET, str.c_str(), &v4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(&out[12], &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, str.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return true;
  }
  return false;
}

bool InNetwork(const std::array<uint8_t, 16>& ip, const ValueMatcher& m) {
  int bits = m.prefix;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip[i] & mask) != (m.net[i] & mask)) return false;
  }
  return true;
}

std::string Base64(std::string_view in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// The three encodings of a value at byte offsets 0, 1, 2 of a longer string, trimmed to
// the characters that do not depend on its neighbours (as the Sigma specification says).
std::vector<std::string> Base64Offsets(std::string_view v) {
  std::vector<std::string> out;
  static const size_t kStart[3] = {0, 2, 3};
  static const size_t kEndTrim[3] = {0, 3, 2};
  for (size_t i = 0; i < 3; ++i) {
    std::string encoded = Base64(std::string(i, ' ') + std::string(v));
    size_t trim = kEndTrim[(v.size() + i) % 3];
    if (encoded.size() < kStart[i] + trim) continue;
    out.push_back(encoded.substr(kStart[i], encoded.size() - kStart[i] - trim));
  }
  return out;
}

// Variants of command-line flags written with '-' or '/' (or the dashes that look alike).
std::vector<std::string> WinDash(const std::string& v) {
  static const std::vector<std::string> kDashes = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94",
                                                   "\xE2\x80\x95"};
  std::vector<std::string> out;
  for (const auto& d : kDashes) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
      bool flag_start = (v[i] == '-' || v[i] == '/') && (i == 0 || v[i - 1] == ' ');
      s += flag_start ? d : std::string(1, v[i]);
    }
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

std::string ScalarText(const YAML::Node& n) { return n.IsNull() ? "" : n.as<std::string>(); }

// Builds one field item from "field|mod|mod" and its value(s).
FieldItem CompileItem(const std::string& key, const YAML::Node& value) {
  FieldItem item;
  std::vector<std::string> parts = Split(key, '|');
  item.field = parts.empty() ? "" : parts[0];
  item.field_id = InternField(item.field);
  std::vector<std::string> mods(parts.begin() + (parts.empty() ? 0 : 1), parts.end());

  // Raw values; YAML null stands for "field is null or absent".
  std::vector<std::optional<std::string>> raw;
  if (value.IsSequence()) {
    for (const auto& v : value) {
      if (!v.IsScalar() && !v.IsNull()) throw Unsupported("a nested list or map as a value");
      raw.push_back(v.IsNull() ? std::nullopt : std::optional<std::string>(ScalarText(v)));
    }
  } else if (value.IsScalar() || value.IsNull()) {
    raw.push_back(value.IsNull() ? std::nullopt : std::optional<std::string>(ScalarText(value)));
  } else {
    throw Unsupported("a map as a field value");
  }

  bool contains = false, startswith = false, endswith = false, re = false, cidr = false,
       cased = false, exists = false, fieldref = false, literal = false;
  std::string re_flags;
  std::optional<ValueMatcher::Cmp> cmp;
  std::vector<std::string> strings;
  bool has_null = false;
  for (const auto& r : raw) {
    if (r) {
      strings.push_back(*r);
    } else {
      has_null = true;
    }
  }
  for (const auto& mod : mods) {
    if (mod == "contains") {
      contains = true;
    } else if (mod == "startswith") {
      startswith = true;
    } else if (mod == "endswith") {
      endswith = true;
    } else if (mod == "all") {
      item.all = true;
    } else if (mod == "re") {
      re = true;
    } else if (re && (mod == "i" || mod == "m" || mod == "s")) {
      re_flags += mod;
    } else if (mod == "cidr") {
      cidr = true;
    } else if (mod == "cased") {
      cased = true;
    } else if (mod == "exists") {
      exists = true;
    } else if (mod == "fieldref") {
      fieldref = true;
    } else if (mod == "gt" || mod == "gte" || mod == "lt" || mod == "lte") {
      cmp = mod == "gt"    ? ValueMatcher::Cmp::kGt
            : mod == "gte" ? ValueMatcher::Cmp::kGte
            : mod == "lt"  ? ValueMatcher::Cmp::kLt
                           : ValueMatcher::Cmp::kLte;
    } else if (mod == "base64") {
      for (auto& s : strings) s = Base64(s);
      literal = true;
    } else if (mod == "base64offset") {
      std::vector<std::string> next;
      for (const auto& s : strings) {
        for (auto& v : Base64Offsets(s)) next.push_back(v);
      }
      strings = next;
      literal = true;
    } else if (mod == "windash") {
      std::vector<std::string> next;
      for (const auto& s : strings) {
        for (auto& v : WinDash(s)) next.push_back(v);
      }
      strings = next;
    } else {
      throw Unsupported("the modifier '" + mod + "'");
    }
  }

  if (exists) {
    if (strings.size() != 1) throw Unsupported("exists needs one true/false value");
    ValueMatcher m;
    m.kind = ValueMatcher::Kind::kExists;
    m.exists = ToLower(strings[0]) == "true";
    item.values.push_back(m);
    return item;
  }
  if (has_null) {
    ValueMatcher m;
    m.kind = ValueMatcher::Kind::kNull;
    item.values.push_back(m);
  }
  for (const auto& s : strings) {
    ValueMatcher m;
    if (fieldref) {
      m.kind = ValueMatcher::Kind::kFieldRef;
      m.field = s;
    } else if (cmp) {
      m.kind = ValueMatcher::Kind::kNumber;
      m.cmp = *cmp;
      double d = 0;
      auto res = std::from_chars(s.data(), s.data() + s.size(), d);
      if (res.ec != std::errc()) throw Unsupported("a non-numeric value for gt/gte/lt/lte");
      m.number = d;
    } else if (re) {
      m.kind = ValueMatcher::Kind::kRegex;
      RE2::Options opt;
      opt.set_log_errors(false);
      opt.set_case_sensitive(re_flags.find('i') == std::string::npos);
      opt.set_dot_nl(re_flags.find('s') != std::string::npos);
      opt.set_never_nl(false);
      std::string pattern = re_flags.find('m') != std::string::npos ? "(?m)" + s : s;
      m.regex = std::make_shared<RE2>(pattern, opt);
      if (!m.regex->ok()) throw Unsupported("regular expression: " + m.regex->error());
    } else if (cidr) {
      m.kind = ValueMatcher::Kind::kCidr;
      size_t slash = s.find('/');
      std::string addr = s.substr(0, slash);
      if (!ParseIp(addr, m.net)) throw Unsupported("the CIDR '" + s + "'");
      bool v4 = addr.find(':') == std::string::npos;
      int bits = v4 ? 32 : 128;
      if (slash != std::string::npos) {
        auto res = std::from_chars(s.data() + slash + 1, s.data() + s.size(), bits);
        if (res.ec != std::errc()) throw Unsupported("the CIDR '" + s + "'");
      }
      m.prefix = v4 ? bits + 96 : bits;
    } else {
      m.kind = ValueMatcher::Kind::kGlob;
      m.cased = cased;
      // Encoded values (base64 has no '*' or '?') are matched as they are.
      std::string pattern = literal ? s : CompileWildcards(s);
      if (contains || endswith) pattern = std::string(1, kStar) + pattern;
      if (contains || startswith) pattern += kStar;
      m.text = cased ? pattern : ToLower(pattern);
      SetShape(m);
    }
    item.values.push_back(std::move(m));
  }
  if (item.values.empty()) throw Unsupported("a field with no value");
  return item;
}

// A keyword searches the whole record: a plain word anywhere in it, a pattern with
// wildcards as written (the same for a single keyword and a list of them).
ValueMatcher Keyword(const std::string& raw) {
  ValueMatcher m;
  std::string pattern = CompileWildcards(raw);
  if (pattern.find(kStar) == std::string::npos && pattern.find(kOne) == std::string::npos) {
    pattern = std::string(1, kStar) + pattern + kStar;
  }
  m.text = ToLower(pattern);
  SetShape(m);
  return m;
}

Selection CompileSelection(const std::string& name, const YAML::Node& node) {
  Selection sel;
  sel.name = name;
  auto map_group = [](const YAML::Node& map) {
    std::vector<FieldItem> group;
    for (const auto& kv : map) group.push_back(CompileItem(kv.first.as<std::string>(), kv.second));
    return group;
  };
  if (node.IsMap()) {
    sel.groups.push_back(map_group(node));
  } else if (node.IsSequence()) {
    bool all_maps = true, all_scalars = true;
    for (const auto& v : node) {
      all_maps = all_maps && v.IsMap();
      all_scalars = all_scalars && v.IsScalar();
    }
    if (all_maps) {
      for (const auto& v : node) sel.groups.push_back(map_group(v));
    } else if (all_scalars) {
      sel.keywords = true;
      for (const auto& v : node) sel.keyword_item.values.push_back(Keyword(v.as<std::string>()));
    } else {
      throw Unsupported("selection '" + name + "' mixes maps and plain values");
    }
  } else if (node.IsScalar()) {
    sel.keywords = true;
    sel.keyword_item.values.push_back(Keyword(node.as<std::string>()));
  } else {
    throw Unsupported("selection '" + name + "' is empty");
  }
  return sel;
}

// --- condition -----------------------------------------------------------------------

class ConditionParser {
 public:
  ConditionParser(const std::string& text, const std::vector<Selection>& sels) : sels_(sels) {
    Tokenize(text);
  }
  CondNode Parse() {
    CondNode n = ParseOr();
    if (pos_ != tokens_.size()) throw Unsupported("condition: unexpected '" + tokens_[pos_] + "'");
    return n;
  }

 private:
  void Tokenize(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
      char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.emplace_back(1, c);
        ++i;
      } else if (c == '|') {
        throw Unsupported("condition: the '|' aggregation syntax (use a correlation rule)");
      } else {
        size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '(' &&
               s[j] != ')') {
          ++j;
        }
        tokens_.push_back(s.substr(i, j - i));
        i = j;
      }
    }
  }
  bool Accept(const char* word) {
    if (pos_ < tokens_.size() && ToLower(tokens_[pos_]) == word) {
      ++pos_;
      return true;
    }
    return false;
  }
  CondNode ParseOr() {
    CondNode left = ParseAnd();
    while (Accept("or")) {
      CondNode right = ParseAnd();
      if (left.kind != CondNode::Kind::kOr) {
        CondNode n;
        n.kind = CondNode::Kind::kOr;
        n.children.push_back(std::move(left));
        left = std::move(n);
      }
      left.children.push_back(std::move(right));
    }
    return left;
  }
  CondNode ParseAnd() {
    CondNode left = ParseNot();
    while (Accept("and")) {
      CondNode right = ParseNot();
      if (left.kind != CondNode::Kind::kAnd) {
        CondNode n;
        n.kind = CondNode::Kind::kAnd;
        n.children.push_back(std::move(left));
        left = std::move(n);
      }
      left.children.push_back(std::move(right));
    }
    return left;
  }
  CondNode ParseNot() {
    if (Accept("not")) {
      CondNode n;
      n.kind = CondNode::Kind::kNot;
      n.children.push_back(ParseNot());
      return n;
    }
    return ParsePrimary();
  }
  std::vector<int> Pattern(const std::string& p) {
    std::vector<int> out;
    std::string compiled = CompileWildcards(p);
    for (size_t i = 0; i < sels_.size(); ++i) {
      if (p == "them" ? sels_[i].name.rfind('_', 0) != 0
                      : GlobCompiled(compiled, sels_[i].name, false)) {
        out.push_back(static_cast<int>(i));
      }
    }
    if (out.empty()) throw Unsupported("condition: '" + p + "' names no selection");
    return out;
  }
  CondNode ParsePrimary() {
    if (pos_ >= tokens_.size()) throw Unsupported("condition: ends too early");
    if (Accept("(")) {
      CondNode n = ParseOr();
      if (!Accept(")")) throw Unsupported("condition: missing ')'");
      return n;
    }
    std::string tok = tokens_[pos_];
    std::string lower = ToLower(tok);
    if ((lower == "1" || lower == "all" || lower == "any") && pos_ + 2 < tokens_.size() &&
        ToLower(tokens_[pos_ + 1]) == "of") {
      pos_ += 2;
      if (pos_ >= tokens_.size()) throw Unsupported("condition: 'of' without a pattern");
      CondNode n;
      n.kind = lower == "all" ? CondNode::Kind::kAllOf : CondNode::Kind::kOneOf;
      n.selections = Pattern(tokens_[pos_++]);
      return n;
    }
    if (lower == "and" || lower == "or" || lower == ")") {
      throw Unsupported("condition: unexpected '" + tok + "'");
    }
    ++pos_;
    for (size_t i = 0; i < sels_.size(); ++i) {
      if (sels_[i].name == tok) {
        CondNode n;
        n.kind = CondNode::Kind::kSelection;
        n.selections = {static_cast<int>(i)};
        return n;
      }
    }
    throw Unsupported("condition: no selection named '" + tok + "'");
  }

  const std::vector<Selection>& sels_;
  std::vector<std::string> tokens_;
  size_t pos_ = 0;
};

// --- prefilter -------------------------------------------------------------------------

std::optional<std::set<std::string>> SelectionEventNames(const Selection& s) {
  if (s.keywords) return std::nullopt;
  std::set<std::string> names;
  for (const auto& group : s.groups) {
    bool found = false;
    for (const auto& item : group) {
      if (item.field != "eventName" || item.all) continue;
      bool exact = std::all_of(item.values.begin(), item.values.end(), [](const ValueMatcher& m) {
        return m.kind == ValueMatcher::Kind::kGlob && m.shape == ValueMatcher::Shape::kExact;
      });
      if (!exact) continue;
      for (const auto& m : item.values) names.insert(ToLower(m.text));
      found = true;
      break;
    }
    if (!found) return std::nullopt;
  }
  return names;
}

std::optional<std::set<std::string>> RequiredEventNames(const CondNode& n,
                                                        const std::vector<Selection>& sels) {
  switch (n.kind) {
    case CondNode::Kind::kSelection:
      return SelectionEventNames(sels[n.selections[0]]);
    case CondNode::Kind::kAllOf:
    case CondNode::Kind::kAnd: {
      std::optional<std::set<std::string>> best;
      if (n.kind == CondNode::Kind::kAllOf) {
        for (int i : n.selections) {
          auto s = SelectionEventNames(sels[i]);
          if (s && (!best || s->size() < best->size())) best = s;
        }
      } else {
        for (const auto& c : n.children) {
          auto s = RequiredEventNames(c, sels);
          if (s && (!best || s->size() < best->size())) best = s;
        }
      }
      return best;
    }
    case CondNode::Kind::kOneOf:
    case CondNode::Kind::kOr: {
      std::set<std::string> all;
      if (n.kind == CondNode::Kind::kOneOf) {
        for (int i : n.selections) {
          auto s = SelectionEventNames(sels[i]);
          if (!s) return std::nullopt;
          all.insert(s->begin(), s->end());
        }
      } else {
        for (const auto& c : n.children) {
          auto s = RequiredEventNames(c, sels);
          if (!s) return std::nullopt;
          all.insert(s->begin(), s->end());
        }
      }
      return all;
    }
    case CondNode::Kind::kNot:
      return std::nullopt;
  }
  return std::nullopt;
}

// Whether an item can only match an event that has its field (every comparison but null
// and "exists: false" needs a value).
bool NeedsField(const FieldItem& item) {
  return !item.field.empty() &&
         std::none_of(item.values.begin(), item.values.end(), [](const ValueMatcher& m) {
           return m.kind == ValueMatcher::Kind::kNull ||
                  (m.kind == ValueMatcher::Kind::kExists && !m.exists);
         });
}

std::set<std::string> Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

std::set<std::string> SelectionFields(const Selection& s) {
  if (s.keywords || s.groups.empty()) return {};
  std::optional<std::set<std::string>> common;  // fields every AND-group needs
  for (const auto& group : s.groups) {
    std::set<std::string> needs;
    for (const auto& item : group) {
      if (NeedsField(item)) needs.insert(item.field);
    }
    common = common ? Intersect(*common, needs) : needs;
  }
  return *common;
}

// Fields an event must have for the condition to hold: the union over an AND, the
// intersection over an OR, nothing under a NOT.
std::set<std::string> RequiredFields(const CondNode& n, const std::vector<Selection>& sels) {
  std::vector<std::set<std::string>> parts;
  switch (n.kind) {
    case CondNode::Kind::kSelection:
      return SelectionFields(sels[n.selections[0]]);
    case CondNode::Kind::kNot:
      return {};
    case CondNode::Kind::kAnd:
    case CondNode::Kind::kOr:
      for (const auto& c : n.children) parts.push_back(RequiredFields(c, sels));
      break;
    case CondNode::Kind::kAllOf:
    case CondNode::Kind::kOneOf:
      for (int i : n.selections) parts.push_back(SelectionFields(sels[i]));
      break;
  }
  if (parts.empty()) return {};
  std::set<std::string> out = parts[0];
  bool all = n.kind == CondNode::Kind::kAnd || n.kind == CondNode::Kind::kAllOf;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (all) {
      out.insert(parts[i].begin(), parts[i].end());
    } else {
      out = Intersect(out, parts[i]);
    }
  }
  return out;
}

// Items an event must match for the condition to hold, as (selection, item) of selections
// with one AND-group, found through ANDs and "all of" (not through OR, NOT or "1 of").
// Only items comparing strings by pattern (no null, exists, regular expression, number or
// field reference, no "all" modifier) are taken: the engine tests them on values it already
// holds before evaluating the rule.
void RequiredItems(const CondNode& n, const std::vector<Selection>& sels,
                   std::vector<std::pair<int, int>>& out) {
  auto selection = [&](int i) {
    const Selection& s = sels[static_cast<size_t>(i)];
    if (s.keywords || s.groups.size() != 1) return;
    for (size_t k = 0; k < s.groups[0].size(); ++k) {
      const FieldItem& item = s.groups[0][k];
      bool globs = !item.field.empty() && !item.all && !item.values.empty() &&
                   std::all_of(item.values.begin(), item.values.end(), [](const ValueMatcher& m) {
                     return m.kind == ValueMatcher::Kind::kGlob;
                   });
      if (globs) out.emplace_back(i, static_cast<int>(k));
    }
  };
  switch (n.kind) {
    case CondNode::Kind::kSelection:
      return selection(n.selections[0]);
    case CondNode::Kind::kAnd:
      for (const auto& c : n.children) RequiredItems(c, sels, out);
      return;
    case CondNode::Kind::kAllOf:
      for (int i : n.selections) selection(i);
      return;
    default:
      return;
  }
}

// --- matching --------------------------------------------------------------------------

bool MatchValue(const ValueMatcher& m, const FieldValue& v, const Event& ev) {
  if (v.kind == FieldValue::Kind::kNull || v.kind == FieldValue::Kind::kOther) return false;
  switch (m.kind) {
    case ValueMatcher::Kind::kGlob:
      return MatchGlob(m, v.text);
    case ValueMatcher::Kind::kRegex:
      return RE2::PartialMatch(re2::StringPiece(v.text.data(), v.text.size()), *m.regex);
    case ValueMatcher::Kind::kCidr: {
      std::array<uint8_t, 16> ip{};
      return ParseIp(v.text, ip) && InNetwork(ip, m);
    }
    case ValueMatcher::Kind::kNumber: {
      double d = v.number;
      if (v.kind != FieldValue::Kind::kNumber) {
        auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), d);
        if (r.ec != std::errc()) return false;
      }
      switch (m.cmp) {
        case ValueMatcher::Cmp::kGt:
          return d > m.number;
        case ValueMatcher::Cmp::kGte:
          return d >= m.number;
        case ValueMatcher::Cmp::kLt:
          return d < m.number;
        case ValueMatcher::Cmp::kLte:
          return d <= m.number;
      }
      return false;
    }
    case ValueMatcher::Kind::kFieldRef: {
      std::vector<FieldValue> other;
      ev.Values(m.field, other);
      for (const auto& o : other) {
        if (o.kind != FieldValue::Kind::kNull && o.text == v.text) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

bool MatchItem(const FieldItem& item, const Event& ev, std::vector<FieldValue>& scratch) {
  scratch.clear();
  bool present = ev.CachedValues(item.field_id, item.field, scratch);
  if (item.values.size() == 1 && item.values[0].kind == ValueMatcher::Kind::kExists) {
    return present == item.values[0].exists;
  }
  bool any_null = !present || std::any_of(scratch.begin(), scratch.end(), [](const FieldValue& v) {
    return v.kind == FieldValue::Kind::kNull;
  });
  auto one = [&](const ValueMatcher& m) {
    if (m.kind == ValueMatcher::Kind::kNull) return any_null;
    for (const auto& v : scratch) {
      if (MatchValue(m, v, ev)) return true;
    }
    return false;
  };
  if (item.all) return std::all_of(item.values.begin(), item.values.end(), one);
  return std::any_of(item.values.begin(), item.values.end(), one);
}

bool MatchSelection(const Selection& s, const Event& ev, std::vector<FieldValue>& scratch) {
  if (s.keywords) {
    std::string text = ev.Text();
    for (const auto& m : s.keyword_item.values) {
      if (MatchGlob(m, text)) return true;
    }
    return false;
  }
  for (const auto& group : s.groups) {
    bool all = true;
    for (const auto& item : group) {
      if (!MatchItem(item, ev, scratch)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

bool Eval(const CondNode& n, const Rule& r, const Event& ev, std::vector<int8_t>& memo,
          std::vector<FieldValue>& scratch) {
  auto sel = [&](int i) {
    if (memo[i] < 0) memo[i] = MatchSelection(r.selections[i], ev, scratch) ? 1 : 0;
    return memo[i] == 1;
  };
  switch (n.kind) {
    case CondNode::Kind::kSelection:
      return sel(n.selections[0]);
    case CondNode::Kind::kAnd:
      for (const auto& c : n.children) {
        if (!Eval(c, r, ev, memo, scratch)) return false;
      }
      return true;
    case CondNode::Kind::kOr:
      for (const auto& c : n.children) {
        if (Eval(c, r, ev, memo, scratch)) return true;
      }
      return false;
    case CondNode::Kind::kNot:
      return !Eval(n.children[0], r, ev, memo, scratch);
    case CondNode::Kind::kOneOf:
      return std::any_of(n.selections.begin(), n.selections.end(), sel);
    case CondNode::Kind::kAllOf:
      return std::all_of(n.selections.begin(), n.selections.end(), sel);
  }
  return false;
}

LogSource SourceOf(const YAML::Node& ls) {
  if (!ls || !ls.IsMap()) return LogSource::kOther;
  std::string product = ls["product"] ? ToLower(ls["product"].as<std::string>()) : "";
  std::string service = ls["service"] ? ToLower(ls["service"].as<std::string>()) : "";
  if (product != "aws") return LogSource::kOther;
  if (service == "cloudtrail") return LogSource::kCloudTrail;
  if (service == "vpcflowlogs" || service == "vpc_flow_logs" || service == "vpcflow" ||
      service == "flowlogs") {
    return LogSource::kFlowLogs;
  }
  return LogSource::kOther;
}

std::string Str(const YAML::Node& n, const char* key) {
  return n[key] && n[key].IsScalar() ? n[key].as<std::string>() : "";
}

void LoadDocument(const YAML::Node& doc, const std::string& file, RuleSet& set) {
  Rule r;
  r.file = file;
  r.id = Str(doc, "id");
  r.name = Str(doc, "name");
  r.title = Str(doc, "title");
  r.description = Str(doc, "description");
  if (!Str(doc, "level").empty()) r.level = ToLower(Str(doc, "level"));
  if (doc["tags"] && doc["tags"].IsSequence()) {
    for (const auto& t : doc["tags"]) r.tags.push_back(t.as<std::string>());
  }
  std::string label = !r.title.empty() ? r.title : r.id;
  auto problem = [&](const std::string& why) { set.problems.push_back({file, label, why}); };
  if (r.title.empty()) return problem("no title");
  static const std::set<std::string> kLevels = {"informational", "low", "medium", "high",
                                                "critical"};
  if (!kLevels.count(r.level)) return problem("level '" + r.level + "' is not a Sigma level");
  try {
    if (const YAML::Node& c = doc["correlation"]) {
      Correlation corr;
      std::string type = Str(c, "type");
      if (type == "event_count") {
        corr.type = Correlation::Type::kEventCount;
      } else if (type == "value_count") {
        corr.type = Correlation::Type::kValueCount;
        corr.field = Str(c["condition"], "field");
        if (corr.field.empty()) corr.field = Str(c, "field");
        if (corr.field.empty()) throw Unsupported("value_count needs condition.field");
      } else if (type == "temporal") {
        corr.type = Correlation::Type::kTemporal;
      } else {
        throw Unsupported("correlation type '" + type + "'");
      }
      const YAML::Node& rules = c["rules"];
      if (rules && rules.IsSequence()) {
        for (const auto& x : rules) corr.rule_refs.push_back(x.as<std::string>());
      } else if (rules && rules.IsScalar()) {
        corr.rule_refs.push_back(rules.as<std::string>());
      }
      if (corr.rule_refs.empty()) throw Unsupported("a correlation without rules");
      const YAML::Node& gb = c["group-by"];
      if (gb && gb.IsSequence()) {
        for (const auto& x : gb) corr.group_by.push_back(x.as<std::string>());
      } else if (gb && gb.IsScalar()) {
        corr.group_by.push_back(gb.as<std::string>());
      }
      corr.timespan_ms = ParseTimespan(Str(c, "timespan"));
      if (corr.timespan_ms <= 0) throw Unsupported("timespan '" + Str(c, "timespan") + "'");
      corr.generate = c["generate"] && c["generate"].as<bool>();
      const YAML::Node& cond = c["condition"];
      if (corr.type == Correlation::Type::kTemporal && !cond) {
        corr.op = Correlation::Op::kGte;
        corr.threshold = static_cast<int64_t>(corr.rule_refs.size());
      } else {
        if (!cond || !cond.IsMap()) throw Unsupported("a correlation without a condition map");
        int ops = 0;
        for (const auto& kv : cond) {
          std::string op = kv.first.as<std::string>();
          if (op == "field") continue;
          ++ops;
          if (op == "gte") {
            corr.op = Correlation::Op::kGte;
          } else if (op == "gt") {
            corr.op = Correlation::Op::kGt;
          } else if (op == "eq") {
            corr.op = Correlation::Op::kEq;
          } else {
            throw Unsupported("correlation condition '" + op +
                              "' (only gt, gte and eq: an upper bound needs fixed windows)");
          }
          corr.threshold = kv.second.as<int64_t>();
        }
        if (ops != 1) throw Unsupported("a correlation condition needs exactly one of gt/gte/eq");
      }
      r.correlation = corr;
      set.rules.push_back(std::move(r));
      return;
    }
    const YAML::Node& det = doc["detection"];
    if (!det || !det.IsMap()) return problem("no detection");
    r.source = SourceOf(doc["logsource"]);
    if (r.source == LogSource::kOther) {
      return problem("logsource is not aws/cloudtrail or aws/vpcflowlogs: hunt reads only those");
    }
    std::vector<std::string> conditions;
    for (const auto& kv : det) {
      std::string key = kv.first.as<std::string>();
      if (key == "condition") {
        if (kv.second.IsSequence()) {
          for (const auto& c : kv.second) conditions.push_back(c.as<std::string>());
        } else {
          conditions.push_back(kv.second.as<std::string>());
        }
      } else if (key == "timeframe") {
        throw Unsupported("detection timeframe (use a correlation rule)");
      } else {
        r.selections.push_back(CompileSelection(key, kv.second));
      }
    }
    if (conditions.empty()) return problem("no condition");
    if (conditions.size() == 1) {
      r.condition = ConditionParser(conditions[0], r.selections).Parse();
    } else {
      r.condition.kind = CondNode::Kind::kOr;  // a list of conditions: any of them
      for (const auto& c : conditions) {
        r.condition.children.push_back(ConditionParser(c, r.selections).Parse());
      }
    }
    if (r.source == LogSource::kCloudTrail) {
      if (auto names = RequiredEventNames(r.condition, r.selections)) {
        r.event_names.assign(names->begin(), names->end());
      }
    }
    for (const auto& f : RequiredFields(r.condition, r.selections)) r.required_fields.push_back(f);
    RequiredItems(r.condition, r.selections, r.required_items);
  } catch (const Unsupported& e) {
    return problem(std::string("unsupported: ") + e.what());
  } catch (const YAML::Exception& e) {
    return problem(fmt::format("line {}: {}", e.mark.line + 1, e.msg));
  }
  set.rules.push_back(std::move(r));
}

}  // namespace

int64_t ParseTimespan(const std::string& s) {
  if (s.size() < 2) return -1;
  int64_t n = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size() - 1, n);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() - 1 || n <= 0) return -1;
  switch (s.back()) {
    case 's':
      return n * 1000;
    case 'm':
      return n * 60'000;
    case 'h':
      return n * 3'600'000;
    case 'd':
      return n * 86'400'000;
    default:
      return -1;
  }
}

// yaml-cpp 0.7's LoadAll can loop forever on some malformed input (fixed upstream after
// 0.7), so documents are split at their "---" lines here and loaded one by one.
std::vector<std::pair<int, std::string>> SplitDocuments(const std::string& yaml) {
  std::vector<std::pair<int, std::string>> docs(1, {0, ""});
  int line = 0;
  size_t pos = 0;
  while (pos < yaml.size()) {
    size_t end = yaml.find('\n', pos);
    if (end == std::string::npos) end = yaml.size();
    std::string_view l(yaml.data() + pos, end - pos);
    if (l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\r')) {
      docs.emplace_back(line, std::string(l.size() > 3 ? l.substr(4) : "") + "\n");
    } else {
      docs.back().second.append(l).append("\n");
    }
    ++line;
    pos = end + 1;
  }
  return docs;
}

void LoadRuleText(const std::string& yaml, const std::string& file, RuleSet& set) {
  for (const auto& [first_line, text] : SplitDocuments(yaml)) {
    YAML::Node d;
    try {
      d = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      set.problems.push_back(
          {file, "", fmt::format("line {}: {}", first_line + e.mark.line + 1, e.msg)});
      continue;
    }
    if (d.IsNull()) continue;
    if (!d.IsMap()) {
      set.problems.push_back({file, "", "a rule document is a YAML mapping"});
      continue;
    }
    try {
      LoadDocument(d, file, set);
    } catch (const YAML::Exception& e) {
      set.problems.push_back(
          {file, Str(d, "title"), fmt::format("line {}: {}", first_line + e.mark.line + 1, e.msg)});
    }
  }
}

void LoadRules(const std::string& path, RuleSet& set) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && (EndsWith(name, ".yml") || EndsWith(name, ".yaml")) &&
          !EndsWith(name, ".test.yaml") && !EndsWith(name, ".test.yml")) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    set.problems.push_back({path, "", "no such rule file or directory"});
    return;
  }
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    LoadRuleText(ss.str(), f.string(), set);
  }
}

void ResolveCorrelations(RuleSet& set) {
  // Resolve references; a correlation naming an unknown rule is a problem.
  for (auto& r : set.rules) {
    if (!r.correlation) continue;
    r.correlation->rules.clear();
    for (const auto& ref : r.correlation->rule_refs) {
      int found = -1;
      for (size_t i = 0; i < set.rules.size(); ++i) {
        if (!set.rules[i].correlation && (set.rules[i].id == ref || set.rules[i].name == ref)) {
          found = static_cast<int>(i);
        }
      }
      if (found < 0) {
        set.problems.push_back(
            {r.file, r.title, "correlation refers to unknown rule '" + ref + "'"});
        r.correlation->rules.clear();
        break;
      }
      r.correlation->rules.push_back(found);
    }
    if (!r.correlation->rules.empty()) {
      r.source = set.rules[r.correlation->rules[0]].source;
      if (!r.correlation->generate) {
        for (int i : r.correlation->rules) set.rules[i].silent = true;
      }
    }
  }
  // Drop the broken correlations (reported above); indexes shift, so map old to new.
  std::vector<Rule> kept;
  std::vector<int> remap(set.rules.size(), -1);
  for (size_t i = 0; i < set.rules.size(); ++i) {
    Rule& r = set.rules[i];
    if (r.correlation && r.correlation->rules.empty()) continue;
    remap[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(r));
  }
  for (auto& r : kept) {
    if (!r.correlation) continue;
    for (int& i : r.correlation->rules) i = remap[i];
  }
  set.rules = std::move(kept);
}

bool GlobItemMatches(const FieldItem& item, const std::vector<FieldValue>& values) {
  for (const auto& v : values) {
    if (v.kind == FieldValue::Kind::kNull || v.kind == FieldValue::Kind::kOther) continue;
    for (const auto& m : item.values) {
      if (MatchGlob(m, v.text)) return true;
    }
  }
  return false;
}

bool Matches(const Rule& rule, const Event& event) {
  if (rule.correlation) return false;
  thread_local std::vector<int8_t> memo;
  thread_local std::vector<FieldValue> scratch;
  memo.assign(rule.selections.size(), -1);
  return Eval(rule.condition, rule, event, memo, scratch);
}

}  // namespace bulwark::hunt
