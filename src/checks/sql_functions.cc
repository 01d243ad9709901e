#include "checks/sql_functions.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "checks/iam_functions.h"
#include "iam/match.h"
#include "util/strings.h"

namespace bulwark::checks {
namespace {

using nlohmann::json;

// A policy's statements as a list; snapshots keep documents decoded, but a document that
// is itself a JSON string (double-encoded, as some APIs return it) is decoded once more.
std::vector<json> Statements(const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_string()) doc = json::parse(doc.get<std::string>(), nullptr, false);
  if (!doc.is_object() || !doc.contains("Statement")) return {};
  const json& st = doc["Statement"];
  if (st.is_object()) return {st};
  if (st.is_array()) {
    std::vector<json> out;
    for (const auto& s : st) {
      if (s.is_object()) out.push_back(s);
    }
    return out;
  }
  return {};
}

// A field that IAM accepts as a string or a list of strings.
std::vector<std::string> Values(const json& st, const char* key) {
  std::vector<std::string> out;
  if (!st.contains(key)) return out;
  const json& v = st[key];
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_boolean()) out.push_back(v.get<bool>() ? "true" : "false");
  if (v.is_array()) {
    for (const auto& x : v) {
      if (x.is_string()) out.push_back(x.get<std::string>());
      if (x.is_boolean()) out.push_back(x.get<bool>() ? "true" : "false");
    }
  }
  return out;
}

bool Effect(const json& st, const char* effect) {
  return st.contains("Effect") && st["Effect"].is_string() && st["Effect"] == effect;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Principal "*" or {"AWS": "*"} (alone or in a list); NotPrincipal in an Allow statement
// grants everyone but the named principals.
bool EveryonePrincipal(const json& st) {
  if (st.contains("NotPrincipal")) return Effect(st, "Allow");
  if (!st.contains("Principal")) return false;
  const json& p = st["Principal"];
  if (p.is_string()) return p == "*";
  if (p.is_object()) {
    for (const char* key : {"AWS", "CanonicalUser"}) {
      if (Contains(Values(p, key), "*")) return true;
    }
  }
  return false;
}

// Condition keys that, tested with a positive operator against concrete values, limit a
// statement to known accounts, organisations, networks or sources.
const std::set<std::string>& NarrowingKeys() {
  static const std::set<std::string> keys = {"aws:sourceaccount",
                                             "aws:sourceowner",
                                             "aws:sourcearn",
                                             "aws:sourceorgid",
                                             "aws:sourceorgpaths",
                                             "aws:principalorgid",
                                             "aws:principalorgpaths",
                                             "aws:principalaccount",
                                             "aws:principalarn",
                                             "aws:principalservicename",
                                             "aws:sourcevpc",
                                             "aws:sourcevpce",
                                             "aws:sourceip",
                                             "aws:vpcsourceip",
                                             "aws:userid",
                                             "aws:username",
                                             "kms:calleraccount",
                                             "s3:dataaccesspointaccount",
                                             "s3:dataaccesspointarn",
                                             "aws:calledvia"};
  return keys;
}

bool NarrowsPrincipals(const json& st) {
  if (!st.contains("Condition") || !st["Condition"].is_object()) return false;
  for (const auto& [op_raw, block] : st["Condition"].items()) {
    std::string op = ToLower(op_raw);
    for (const char* prefix : {"forallvalues:", "foranyvalue:"}) {
      if (StartsWith(op, prefix)) op = op.substr(std::string(prefix).size());
    }
    // Negated operators, ...IfExists (passes when the key is absent) and Null do not
    // narrow who may call.
    if (op.find("not") != std::string::npos || EndsWith(op, "ifexists") || op == "null") continue;
    if (!block.is_object()) continue;
    for (const auto& [key_raw, value] : block.items()) {
      std::string key = ToLower(key_raw);
      if (!NarrowingKeys().count(key)) continue;
      json holder = {{"v", value}};
      std::vector<std::string> values = Values(holder, "v");
      if (values.empty()) continue;
      bool concrete = std::none_of(values.begin(), values.end(), [&](const std::string& v) {
        return v == "*" || ((key == "aws:sourceip" || key == "aws:vpcsourceip") && CidrIsWorld(v));
      });
      if (concrete) return true;
    }
  }
  return false;
}

void ReturnBool(sqlite3_context* ctx, bool v) { sqlite3_result_int(ctx, v ? 1 : 0); }

std::string ArgText(sqlite3_value* v) {
  const unsigned char* t = sqlite3_value_text(v);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_value_bytes(v)) : "";
}

bool IsNull(sqlite3_value* v) { return sqlite3_value_type(v) == SQLITE_NULL; }

void SqlCidrIsWorld(sqlite3_context* ctx, int, sqlite3_value** argv) {
  ReturnBool(ctx, !IsNull(argv[0]) && CidrIsWorld(ArgText(argv[0])));
}

void SqlCidrPrefixLength(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int n = IsNull(argv[0]) ? -1 : CidrPrefixLength(ArgText(argv[0]));
  if (n < 0) {
    sqlite3_result_null(ctx);
  } else {
    sqlite3_result_int(ctx, n);
  }
}

void SqlPortRangeIncludes(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[2])) return sqlite3_result_null(ctx);
  sqlite3_int64 port = sqlite3_value_int64(argv[2]);
  bool all = IsNull(argv[0]) || sqlite3_value_int64(argv[0]) == -1;
  if (all) return ReturnBool(ctx, true);
  sqlite3_int64 from = sqlite3_value_int64(argv[0]);
  sqlite3_int64 to = IsNull(argv[1]) ? from : sqlite3_value_int64(argv[1]);
  if (to == -1) to = 65535;
  ReturnBool(ctx, from <= port && port <= to);
}

void SqlPolicyAllowsPublic(sqlite3_context* ctx, int, sqlite3_value** argv) {
  ReturnBool(ctx, !IsNull(argv[0]) && PolicyAllowsPublic(ArgText(argv[0])));
}

void SqlPolicyPublicActions(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::string actions;
  if (IsNull(argv[0]) || !PolicyAllowsPublic(ArgText(argv[0]), &actions)) {
    return sqlite3_result_null(ctx);
  }
  sqlite3_result_text(ctx, actions.c_str(), static_cast<int>(actions.size()), SQLITE_TRANSIENT);
}

void SqlPolicyGrantsFullAdmin(sqlite3_context* ctx, int, sqlite3_value** argv) {
  ReturnBool(ctx, !IsNull(argv[0]) && PolicyGrantsFullAdmin(ArgText(argv[0])));
}

void SqlPolicyAllowsAction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  ReturnBool(ctx, !IsNull(argv[0]) && !IsNull(argv[1]) &&
                      PolicyAllowsAction(ArgText(argv[0]), ArgText(argv[1])));
}

void SqlPolicyDeniesInsecureTransport(sqlite3_context* ctx, int, sqlite3_value** argv) {
  ReturnBool(ctx, !IsNull(argv[0]) && PolicyDeniesInsecureTransport(ArgText(argv[0])));
}

void SqlPolicyServiceWildcards(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::string out = PolicyServiceWildcards(ArgText(argv[0]));
  if (out.empty()) return sqlite3_result_null(ctx);
  sqlite3_result_text(ctx, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void SqlPolicyConditionKeys(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::set<std::string> keys;
  for (const auto& st : Statements(ArgText(argv[0]))) {
    if (!Effect(st, "Allow") || !st.contains("Condition") || !st["Condition"].is_object()) continue;
    for (const auto& [op, block] : st["Condition"].items()) {
      if (!block.is_object()) continue;
      for (const auto& [key, value] : block.items()) keys.insert(ToLower(key));
    }
  }
  if (keys.empty()) return sqlite3_result_null(ctx);
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ",") + k;
  sqlite3_result_text(ctx, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

}  // namespace

int CidrPrefixLength(const std::string& raw) {
  std::string cidr = Trim(raw);
  size_t slash = cidr.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == cidr.size()) return -1;
  std::string bits = cidr.substr(slash + 1);
  if (!std::all_of(bits.begin(), bits.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      bits.size() > 3) {
    return -1;
  }
  int n = std::atoi(bits.c_str());
  bool v6 = cidr.find(':') < slash;
  return n <= (v6 ? 128 : 32) ? n : -1;
}

bool CidrIsWorld(const std::string& cidr) { return CidrPrefixLength(cidr) == 0; }

bool IamWildcardMatch(const std::string& pattern_raw, const std::string& text_raw) {
  std::string p = ToLower(pattern_raw), t = ToLower(text_raw);
  // Iterative glob with single-star backtracking: linear enough for policy-sized input.
  size_t pi = 0, ti = 0, star = std::string::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool PolicyAllowsPublic(const std::string& doc, std::string* actions) {
  bool open = false;
  std::set<std::string> granted;
  for (const auto& st : Statements(doc)) {
    if (!Effect(st, "Allow") || !EveryonePrincipal(st) || NarrowsPrincipals(st)) continue;
    open = true;
    for (const auto& a : Values(st, "Action")) granted.insert(a);
    for (const auto& a : Values(st, "NotAction")) granted.insert("all but " + a);
  }
  if (actions) {
    actions->clear();
    for (const auto& a : granted) *actions += (actions->empty() ? "" : ",") + a;
  }
  return open;
}

bool PolicyGrantsFullAdmin(const std::string& doc) {
  for (const auto& st : Statements(doc)) {
    if (!Effect(st, "Allow")) continue;
    std::vector<std::string> actions = Values(st, "Action");
    std::vector<std::string> resources = Values(st, "Resource");
    if ((Contains(actions, "*") || Contains(actions, "*:*")) && Contains(resources, "*")) {
      return true;
    }
  }
  return false;
}

bool PolicyAllowsAction(const std::string& doc, const std::string& action) {
  for (const auto& st : Statements(doc)) {
    if (!Effect(st, "Allow")) continue;
    for (const auto& a : Values(st, "Action")) {
      if (IamWildcardMatch(a, action)) return true;
    }
    if (st.contains("NotAction")) {
      std::vector<std::string> excluded = Values(st, "NotAction");
      if (std::none_of(excluded.begin(), excluded.end(),
                       [&](const std::string& a) { return IamWildcardMatch(a, action); })) {
        return true;
      }
    }
  }
  return false;
}

std::string PolicyServiceWildcards(const std::string& doc) {
  std::set<std::string> found;
  for (const auto& st : Statements(doc)) {
    if (!Effect(st, "Allow") || !Contains(Values(st, "Resource"), "*")) continue;
    for (const auto& a : Values(st, "Action")) {
      size_t colon = a.find(':');
      if (colon != std::string::npos && colon > 0 && a.substr(colon + 1) == "*" && a[0] != '*') {
        found.insert(ToLower(a));
      }
    }
  }
  std::string out;
  for (const auto& a : found) out += (out.empty() ? "" : ",") + a;
  return out;
}

bool PolicyDeniesInsecureTransport(const std::string& doc) {
  for (const auto& st : Statements(doc)) {
    if (!Effect(st, "Deny")) continue;
    const json& p = st.contains("Principal") ? st["Principal"] : json();
    bool everyone =
        (p.is_string() && p == "*") || (p.is_object() && Contains(Values(p, "AWS"), "*"));
    if (!everyone) continue;
    std::vector<std::string> actions = Values(st, "Action");
    auto covers = [&](const char* a) {
      return std::any_of(actions.begin(), actions.end(),
                         [&](const std::string& pat) { return IamWildcardMatch(pat, a); });
    };
    if (!covers("s3:GetObject") || !covers("s3:PutObject")) continue;
    if (!st.contains("Condition") || !st["Condition"].is_object()) continue;
    for (const auto& [op, block] : st["Condition"].items()) {
      std::string o = ToLower(op);
      if ((o != "bool" && o != "boolifexists") || !block.is_object()) continue;
      for (const auto& [key, value] : block.items()) {
        if (ToLower(key) != "aws:securetransport") continue;
        json holder = {{"v", value}};
        for (const auto& v : Values(holder, "v")) {
          if (ToLower(v) == "false") return true;
        }
      }
    }
  }
  return false;
}

namespace {

void SqlTrustedAccount(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto* trusted = static_cast<const std::set<std::string>*>(sqlite3_user_data(ctx));
  const unsigned char* t = sqlite3_value_text(argv[0]);
  std::string v = t ? reinterpret_cast<const char*>(t) : "";
  if (v.rfind("arn:", 0) == 0) v = iam::AccountOfArn(v);
  sqlite3_result_int(ctx, trusted && trusted->count(v) ? 1 : 0);
}

}  // namespace

bool SetTrustedAccounts(sqlite3* db, const std::vector<std::string>& accounts, std::string* error) {
  auto* set = new std::set<std::string>(accounts.begin(), accounts.end());
  int rc = sqlite3_create_function_v2(
      db, "trusted_account", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, set, SqlTrustedAccount, nullptr,
      nullptr, [](void* p) { delete static_cast<std::set<std::string>*>(p); });
  if (rc != SQLITE_OK && error)
    *error = std::string("cannot register trusted_account: ") + sqlite3_errmsg(db);
  return rc == SQLITE_OK;
}

bool RegisterSqlFunctions(sqlite3* db, std::string* error) {
  if (!SetTrustedAccounts(db, {}, error)) return false;
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  static const Fn kFunctions[] = {
      {"cidr_is_world", 1, SqlCidrIsWorld},
      {"cidr_prefix_length", 1, SqlCidrPrefixLength},
      {"port_range_includes", 3, SqlPortRangeIncludes},
      {"policy_allows_public", 1, SqlPolicyAllowsPublic},
      {"policy_public_actions", 1, SqlPolicyPublicActions},
      {"policy_grants_full_admin", 1, SqlPolicyGrantsFullAdmin},
      {"policy_allows_action", 2, SqlPolicyAllowsAction},
      {"policy_denies_insecure_transport", 1, SqlPolicyDeniesInsecureTransport},
      {"policy_condition_keys", 1, SqlPolicyConditionKeys},
      {"policy_service_wildcards", 1, SqlPolicyServiceWildcards},
  };
  for (const auto& f : kFunctions) {
    int rc = sqlite3_create_function_v2(db, f.name, f.args,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                        nullptr, f.fn, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      if (error) *error = std::string("cannot register ") + f.name + ": " + sqlite3_errmsg(db);
      return false;
    }
  }
  return RegisterIamFunctions(db, error);
}

}  // namespace bulwark::checks
