#include "iam/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace bulwark::iam {
namespace {

using nlohmann::json;

// Condition values and principals may be written as strings, numbers or booleans.
Result<std::string> ScalarText(const json& v, const std::string& where) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  return Status::Parse(where + ": expected a string, found " + std::string(v.type_name()));
}

Result<std::vector<std::string>> StringList(const json& v, const std::string& where) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      auto s = ScalarText(e, where);
      if (!s.ok()) return s.status();
      out.push_back(std::move(*s));
    }
  } else {
    auto s = ScalarText(v, where);
    if (!s.ok()) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

Status ParsePrincipal(const json& v, const std::string& where, std::vector<PrincipalEntry>& out) {
  if (v.is_string()) {
    if (v.get<std::string>() != "*")
      return Status::Parse(where + ": a string principal must be \"*\"");
    out.push_back({"*", "*"});
    return Status::Ok();
  }
  if (!v.is_object()) return Status::Parse(where + ": expected \"*\" or an object");
  for (const auto& [type, values] : v.items()) {
    auto list = StringList(values, where + "." + type);
    if (!list.ok()) return list.status();
    for (auto& s : *list) out.push_back({type, std::move(s)});
  }
  return Status::Ok();
}

Status ParseCondition(const json& v, const std::string& where, std::vector<ConditionClause>& out) {
  if (!v.is_object()) return Status::Parse(where + ": Condition must be an object");
  for (const auto& [op, block] : v.items()) {
    if (!block.is_object()) return Status::Parse(where + "." + op + ": expected an object of keys");
    ConditionClause base;
    base.op = op;
    std::string_view rest = op;
    if (rest.substr(0, 13) == "ForAllValues:") {
      base.set = ConditionClause::Set::kForAllValues;
      rest.remove_prefix(13);
    } else if (rest.substr(0, 12) == "ForAnyValue:") {
      base.set = ConditionClause::Set::kForAnyValue;
      rest.remove_prefix(12);
    }
    constexpr std::string_view kIfExists = "IfExists";
    if (rest.size() > kIfExists.size() &&
        rest.substr(rest.size() - kIfExists.size()) == kIfExists) {
      base.if_exists = true;
      rest.remove_suffix(kIfExists.size());
    }
    base.base_op = std::string(rest);
    for (const auto& [key, values] : block.items()) {
      ConditionClause c = base;
      c.key = key;
      auto list = StringList(values, where + "." + op + "." + key);
      if (!list.ok()) return list.status();
      c.values = std::move(*list);
      out.push_back(std::move(c));
    }
  }
  return Status::Ok();
}

Result<Statement> ParseStatement(const json& s, size_t index, const std::string& name) {
  std::string where = fmt::format("{}: statement {}", name, index + 1);
  if (!s.is_object()) return Status::Parse(where + " is not an object");
  Statement st;
  st.index = index;
  if (s.contains("Sid") && s["Sid"].is_string()) st.sid = s["Sid"].get<std::string>();
  if (!st.sid.empty()) where += " (" + st.sid + ")";
  auto effect = s.find("Effect");
  if (effect == s.end() || !effect->is_string()) return Status::Parse(where + ": no Effect");
  if (*effect == "Allow") {
    st.effect = Effect::kAllow;
  } else if (*effect == "Deny") {
    st.effect = Effect::kDeny;
  } else {
    return Status::Parse(where + ": Effect must be Allow or Deny, not " + effect->dump());
  }
  auto pick = [&](const char* yes, const char* no, bool& negated, bool& present,
                  std::vector<std::string>& out) -> Status {
    bool has_yes = s.contains(yes), has_no = s.contains(no);
    if (has_yes && has_no) return Status::Parse(where + ": both " + yes + " and " + no);
    present = has_yes || has_no;
    if (!present) return Status::Ok();
    negated = has_no;
    auto list = StringList(s[has_yes ? yes : no], where + "." + (has_yes ? yes : no));
    if (!list.ok()) return list.status();
    out = std::move(*list);
    return Status::Ok();
  };
  bool has_action = false;
  if (Status e = pick("Action", "NotAction", st.not_action, has_action, st.actions); !e.ok())
    return e;
  if (!has_action) return Status::Parse(where + ": no Action or NotAction");
  for (const auto& a : st.actions) {
    size_t colon = a.find(':');
    std::string service = colon == std::string::npos ? a : a.substr(0, colon);
    if (colon == std::string::npos || service.find_first_of("*?") != std::string::npos) {
      st.action_services.clear();
      break;
    }
    for (char& c : service) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(st.action_services.begin(), st.action_services.end(), service) ==
        st.action_services.end())
      st.action_services.push_back(service);
  }
  if (Status e = pick("Resource", "NotResource", st.not_resource, st.has_resource, st.resources);
      !e.ok())
    return e;
  bool has_p = s.contains("Principal"), has_np = s.contains("NotPrincipal");
  if (has_p && has_np) return Status::Parse(where + ": both Principal and NotPrincipal");
  if (has_p || has_np) {
    st.has_principal = true;
    st.not_principal = has_np;
    const char* el = has_p ? "Principal" : "NotPrincipal";
    if (Status e = ParsePrincipal(s[el], where + "." + el, st.principals); !e.ok()) return e;
  }
  if (s.contains("Condition")) {
    if (Status e = ParseCondition(s["Condition"], where + ".Condition", st.conditions); !e.ok())
      return e;
  }
  return st;
}

}  // namespace

std::string Statement::Label() const {
  return sid.empty() ? fmt::format("statement {}", index + 1) : sid;
}

Result<Policy> ParsePolicy(const json& doc, const std::string& name) {
  if (!doc.is_object()) return Status::Parse(name + ": a policy document must be a JSON object");
  Policy p;
  p.name = name;
  if (doc.contains("Version") && doc["Version"].is_string())
    p.version = doc["Version"].get<std::string>();
  auto st = doc.find("Statement");
  if (st == doc.end()) return Status::Parse(name + ": no Statement");
  std::vector<json> list;
  if (st->is_array()) {
    list.assign(st->begin(), st->end());
  } else {
    list.push_back(*st);
  }
  for (size_t i = 0; i < list.size(); ++i) {
    auto s = ParseStatement(list[i], i, name);
    if (!s.ok()) return s.status();
    p.statements.push_back(std::move(*s));
  }
  return p;
}

Result<Policy> ParsePolicyText(std::string_view text, const std::string& name) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return Status::Parse(name + ": not valid JSON");
  return ParsePolicy(doc, name);
}

}  // namespace bulwark::iam
