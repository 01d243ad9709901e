#include "findings/mutelist.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace bulwark::findings {
namespace {

std::string At(const std::string& file, const YAML::Node& n) {
  return fmt::format("{}:{}", file, n.Mark().line + 1);
}

bool ValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool Matches(const std::vector<Mutelist::Pattern>& patterns, const std::string& value) {
  if (patterns.empty()) return true;  // not given: every value
  for (const auto& p : patterns) {
    if (p.regex ? RE2::PartialMatch(value, *p.regex)
                : fnmatch(p.text.c_str(), value.c_str(), 0) == 0)
      return true;
  }
  return false;
}

}  // namespace

Result<Mutelist> Mutelist::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read mutelist " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<Mutelist> Mutelist::Parse(const std::string& yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::Parse(fmt::format("{}:{}: not valid YAML: {}", file, e.mark.line + 1, e.msg));
  }
  // A value of the wrong shape (a map where text belongs) is a YAML conversion error: it
  // becomes a message with its line like every other problem.
  try {
    Mutelist m;
    m.file_ = file;
    if (!root || root.IsNull()) return m;
    if (!root.IsMap())
      return Status::Parse(file + ": expected a map with trusted_accounts and mutes");
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      if (key != "trusted_accounts" && key != "mutes")
        return Status::Parse(At(file, kv.first) + ": unknown key '" + key +
                             "' (expected trusted_accounts or mutes)");
    }
    if (const YAML::Node t = root["trusted_accounts"]) {
      if (!t.IsSequence()) return Status::Parse(At(file, t) + ": trusted_accounts must be a list");
      for (const auto& a : t) {
        std::string id = a.as<std::string>();
        if (id.size() != 12 || id.find_first_not_of("0123456789") != std::string::npos)
          return Status::Parse(At(file, a) + ": '" + id + "' is not a 12-digit account id");
        m.trusted_.push_back(id);
      }
    }
    const YAML::Node mutes = root["mutes"];
    if (!mutes) return m;
    if (!mutes.IsSequence()) return Status::Parse(At(file, mutes) + ": mutes must be a list");
    for (const auto& n : mutes) {
      if (!n.IsMap()) return Status::Parse(At(file, n) + ": a mute entry must be a map");
      Entry e;
      e.line = n.Mark().line + 1;
      for (const auto& kv : n) {
        std::string key = kv.first.as<std::string>();
        auto patterns = [&](std::vector<Pattern>& out) -> Status {
          std::vector<std::string> values;
          if (kv.second.IsSequence()) {
            for (const auto& v : kv.second) values.push_back(v.as<std::string>());
          } else {
            values.push_back(kv.second.as<std::string>());
          }
          for (const auto& v : values) {
            Pattern p{v, nullptr};
            if (v.rfind("re:", 0) == 0) {
              p.regex = std::make_shared<RE2>(v.substr(3), RE2::Quiet);
              if (!p.regex->ok())
                return Status::Parse(fmt::format("{}: bad regular expression '{}': {}",
                                                 At(file, kv.second), v.substr(3),
                                                 p.regex->error()));
            }
            out.push_back(std::move(p));
          }
          return Status::Ok();
        };
        Status st;
        if (key == "checks" || key == "check") {
          st = patterns(e.checks);
        } else if (key == "accounts" || key == "account") {
          st = patterns(e.accounts);
        } else if (key == "regions" || key == "region") {
          st = patterns(e.regions);
        } else if (key == "resources" || key == "resource") {
          st = patterns(e.resources);
        } else if (key == "reason") {
          e.reason = kv.second.as<std::string>();
        } else if (key == "owner") {
          e.owner = kv.second.as<std::string>();
        } else if (key == "expires") {
          e.expires = kv.second.as<std::string>();
          if (!ValidDate(e.expires))
            return Status::Parse(At(file, kv.second) + ": expires '" + e.expires +
                                 "' is not a date (YYYY-MM-DD)");
        } else {
          return Status::Parse(At(file, kv.first) + ": unknown key '" + key +
                               "' in a mute entry (checks, accounts, regions, resources, reason, "
                               "owner, expires)");
        }
        if (!st.ok()) return st;
      }
      if (e.checks.empty())
        return Status::Parse(fmt::format("{}:{}: a mute entry needs checks", file, e.line));
      if (e.reason.empty())
        return Status::Parse(fmt::format("{}:{}: a mute entry needs a reason", file, e.line));
      if (e.owner.empty())
        return Status::Parse(fmt::format("{}:{}: a mute entry needs an owner", file, e.line));
      m.entries_.push_back(std::move(e));
    }
    return m;
  } catch (const YAML::Exception& e) {
    return Status::Parse(fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg));
  }
}

Mutelist::Outcome Mutelist::Apply(std::vector<Finding>& findings, const std::string& today) const {
  Outcome o;
  for (const Entry& e : entries_) {
    std::string where = fmt::format("{}:{}", file_, e.line);
    std::string what = e.checks.front().text + (e.checks.size() > 1 ? ", ..." : "");
    if (!e.expires.empty() && e.expires < today) {
      o.expired.push_back(fmt::format(
          "{}: the mute of {} (owner {}) expired on {}; its findings are reported again", where,
          what, e.owner, e.expires));
      continue;
    }
    size_t matched = 0;
    for (Finding& f : findings) {
      if (f.status != FindingStatus::kFail && f.status != FindingStatus::kMuted) continue;
      if (!Matches(e.checks, f.check_id) || !Matches(e.accounts, f.account_id) ||
          !Matches(e.regions, f.region))
        continue;
      if (!Matches(e.resources, f.resource_id) && !Matches(e.resources, f.resource_arn)) continue;
      ++matched;
      if (f.status == FindingStatus::kMuted) continue;  // an earlier entry muted it
      f.status = FindingStatus::kMuted;
      f.mute_reason = e.reason;
      f.mute_owner = e.owner;
      f.mute_expires = e.expires;
      ++o.muted;
    }
    if (matched == 0)
      o.unmatched.push_back(
          fmt::format("{}: the mute of {} matched no failing finding", where, what));
  }
  return o;
}

}  // namespace bulwark::findings
