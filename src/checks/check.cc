#include "checks/check.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "util/strings.h"

namespace bulwark::checks {

namespace {

std::string Required(const YAML::Node& doc, const char* key, const std::string& file) {
  const YAML::Node& n = doc[key];
  if (!n || !n.IsScalar() || n.as<std::string>().empty()) {
    throw std::invalid_argument(fmt::format("{}: missing or empty '{}'", file, key));
  }
  return key == std::string_view("query") ? n.as<std::string>() : Trim(n.as<std::string>());
}

std::string Optional(const YAML::Node& doc, const char* key) {
  const YAML::Node& n = doc[key];
  return n && n.IsScalar() ? Trim(n.as<std::string>()) : "";
}

}  // namespace

Result<Check> ParseCheck(const std::string& yaml_text, const std::string& file) {
  try {
    YAML::Node doc = YAML::Load(yaml_text);
    if (!doc.IsMap()) return Status::Parse(file + ": a check file is a YAML mapping");
    Check c;
    c.file = file;
    c.id = Required(doc, "id", file);
    static const std::regex kId("^[a-z0-9][a-z0-9_]*$");
    if (!std::regex_match(c.id, kId)) {
      return Status::Parse(fmt::format("{}: id '{}' must be lower_snake_case", file, c.id));
    }
    c.title = Required(doc, "title", file);
    std::string severity = Required(doc, "severity", file);
    if (!findings::ParseSeverity(severity, &c.severity)) {
      return Status::Parse(fmt::format(
          "{}: severity '{}' is not critical, high, medium, low or informational", file, severity));
    }
    c.service = Required(doc, "service", file);
    c.rationale = Required(doc, "rationale", file);
    c.remediation = Required(doc, "remediation", file);
    c.remediation_url = Optional(doc, "remediation_url");
    c.query = Required(doc, "query", file);
    if (const YAML::Node& comp = doc["compliance"]) {
      if (!comp.IsMap())
        return Status::Parse(file + ": 'compliance' maps a framework to control ids");
      for (const auto& kv : comp) {
        std::vector<std::string> ids;
        if (kv.second.IsSequence()) {
          for (const auto& id : kv.second) ids.push_back(id.as<std::string>());
        } else {
          ids.push_back(kv.second.as<std::string>());
        }
        c.compliance[kv.first.as<std::string>()] = ids;
      }
    }
    if (const YAML::Node& req = doc["requires"]) {
      if (!req.IsSequence())
        return Status::Parse(file + ": 'requires' is a list of service:Operation");
      for (const auto& r : req) {
        std::string call = r.as<std::string>();
        if (call.find(':') == std::string::npos) {
          return Status::Parse(
              fmt::format("{}: requires entry '{}' is not service:Operation", file, call));
        }
        c.requires_calls.push_back(call);
      }
    }
    return c;
  } catch (const YAML::Exception& e) {
    return Status::Parse(fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg));
  } catch (const std::invalid_argument& e) {
    return Status::Parse(e.what());
  }
}

CheckSet LoadChecks(const std::string& dir) {
  CheckSet set;
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) {
    set.problems.push_back({dir, "not a directory of check files"});
    return set;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && EndsWith(name, ".yaml") && !EndsWith(name, ".test.yaml")) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> ids;  // id -> the file that defined it first
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    Result<Check> c = ParseCheck(ss.str(), f.string());
    if (!c.ok()) {
      set.problems.push_back({f.string(), c.status().message()});
      continue;
    }
    auto [first, inserted] = ids.emplace(c->id, f.string());
    if (!inserted) {
      set.problems.push_back(
          {f.string(), fmt::format("duplicate check id '{}': {} defines it too (kept); rename one",
                                   c->id, first->second)});
      continue;
    }
    set.checks.push_back(std::move(*c));
  }
  std::sort(set.checks.begin(), set.checks.end(),
            [](const Check& a, const Check& b) { return a.id < b.id; });
  return set;
}

}  // namespace bulwark::checks
