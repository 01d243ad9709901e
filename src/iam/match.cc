#include "iam/match.h"

#include <algorithm>
#include <array>

#include "util/strings.h"

namespace bulwark::iam {
namespace {

char Fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// Splits "arn:partition:service:region:account:resource" into its six parts; the resource
// part keeps any further colons.
bool SplitArn(std::string_view arn, std::array<std::string_view, 6>& parts) {
  for (size_t i = 0; i < 5; ++i) {
    size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return false;
    parts[i] = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  parts[5] = arn;
  return true;
}

}  // namespace

bool WildcardMatch(std::string_view p, std::string_view t, bool ignore_case) {
  // Iterative glob with one backtrack point: linear for the patterns policies use. A
  // backslash makes the next '*', '?' or '\\' literal (see SubstituteVariablesAsPattern).
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  auto escaped = [&](size_t i) {
    return p[i] == '\\' && i + 1 < p.size() &&
           (p[i + 1] == '*' || p[i + 1] == '?' || p[i + 1] == '\\');
  };
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
      continue;
    }
    if (pi < p.size() && escaped(pi) && p[pi + 1] == t[ti]) {
      pi += 2;
      ++ti;
      continue;
    }
    if (pi < p.size() && !escaped(pi) &&
        (p[pi] == '?' || Fold(p[pi], ignore_case) == Fold(t[ti], ignore_case))) {
      ++pi;
      ++ti;
      continue;
    }
    if (star == std::string_view::npos) return false;
    pi = star + 1;
    ti = ++mark;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view AccountOfPrincipal(std::string_view value) {
  if (IsAccountId(value)) return value;
  size_t iam = value.find(":iam::");
  if (!StartsWith(value, "arn:") || !EndsWith(value, ":root") || iam == std::string_view::npos)
    return {};
  std::string_view rest = value.substr(iam + 6);
  std::string_view account = rest.substr(0, rest.find(':'));
  return IsAccountId(account) ? account : std::string_view{};
}

std::string AccountOfArn(std::string_view arn) {
  std::array<std::string_view, 6> parts;
  return SplitArn(arn, parts) ? std::string(parts[4]) : std::string();
}

bool ActionMatches(std::string_view pattern, std::string_view action) {
  if (pattern == "*") return true;
  return WildcardMatch(pattern, action, true);
}

bool ArnMatches(std::string_view pattern, std::string_view arn) {
  if (pattern == "*") return true;
  std::array<std::string_view, 6> p, a;
  if (!SplitArn(pattern, p) || !SplitArn(arn, a)) return WildcardMatch(pattern, arn, false);
  for (size_t i = 0; i < 6; ++i) {
    if (!WildcardMatch(p[i], a[i], false)) return false;
  }
  return true;
}

namespace {

// Replaces each ${...} with `append`'s rendering of its value.
template <typename Append>
std::optional<std::string> Substitute(std::string_view text, const RequestContext& ctx,
                                      Append append) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("${", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    std::string_view inner = text.substr(open + 2, close - open - 2);
    pos = close + 1;
    if (inner == "*" || inner == "?" || inner == "$") {
      append(out, inner);
      continue;
    }
    std::optional<std::string> fallback;
    size_t comma = inner.find(',');
    if (comma != std::string_view::npos) {
      std::string def = Trim(inner.substr(comma + 1));
      if (def.size() >= 2 && def.front() == '\'' && def.back() == '\'')
        fallback = def.substr(1, def.size() - 2);
      inner = inner.substr(0, comma);
    }
    const auto* values = ctx.Find(Trim(inner));
    if (values && values->size() == 1) {
      append(out, (*values)[0]);
    } else if (fallback) {
      append(out, *fallback);
    } else {
      return std::nullopt;
    }
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

std::optional<std::string> SubstituteVariables(std::string_view text, const RequestContext& ctx) {
  return Substitute(text, ctx, [](std::string& out, std::string_view v) { out.append(v); });
}

std::optional<std::string> SubstituteVariablesAsPattern(std::string_view text,
                                                        const RequestContext& ctx) {
  return Substitute(text, ctx, [](std::string& out, std::string_view v) {
    for (char c : v) {
      if (c == '*' || c == '?' || c == '\\') out += '\\';
      out += c;
    }
  });
}

void RequestContext::Set(std::string_view key, std::vector<std::string> values) {
  keys_[ToLower(key)] = std::move(values);
}

const std::vector<std::string>* RequestContext::Find(std::string_view key) const {
  auto it = keys_.find(ToLower(key));
  return it == keys_.end() ? nullptr : &it->second;
}

void AddPrincipalKeys(Request& r) {
  auto set = [&](std::string_view key, const std::string& value) {
    if (!value.empty() && !r.context.Find(key)) r.context.Set(key, value);
  };
  const RequestPrincipal& p = r.principal;
  set("aws:PrincipalAccount", p.account);
  switch (p.kind) {
    case RequestPrincipal::Kind::kUser: {
      set("aws:PrincipalArn", p.arn);
      set("aws:PrincipalType", "User");
      size_t slash = p.arn.rfind('/');
      if (slash != std::string::npos) set("aws:username", p.arn.substr(slash + 1));
      break;
    }
    case RequestPrincipal::Kind::kRoleSession:
      // aws:PrincipalArn is the role's ARN for role sessions, not the session's.
      set("aws:PrincipalArn", p.role_arn);
      set("aws:PrincipalType", "AssumedRole");
      break;
    case RequestPrincipal::Kind::kRoot:
      set("aws:PrincipalArn", p.arn);
      set("aws:PrincipalType", "Account");
      break;
    case RequestPrincipal::Kind::kFederatedUser:
      set("aws:PrincipalArn", p.arn);
      set("aws:PrincipalType", "FederatedUser");
      break;
    case RequestPrincipal::Kind::kService:
      set("aws:PrincipalServiceName", p.arn);
      break;
    case RequestPrincipal::Kind::kAnonymous:
      set("aws:PrincipalType", "Anonymous");
      break;
  }
}

}  // namespace bulwark::iam
