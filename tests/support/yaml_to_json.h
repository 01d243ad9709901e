// Test fixtures are YAML; snapshot rows and log events are JSON. Scalars become numbers
// or booleans when they look like them, unless quoted with the "!" tag.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

namespace bulwark::testing {

inline nlohmann::json YamlToJson(const YAML::Node& n) {
  using nlohmann::json;
  if (n.IsMap()) {
    json o = json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return o;
  }
  if (n.IsSequence()) {
    json a = json::array();
    for (const auto& v : n) a.push_back(YamlToJson(v));
    return a;
  }
  if (n.IsNull()) return nullptr;
  std::string s = n.as<std::string>();
  if (n.Tag() == "!") return s;
  if (s == "true" || s == "false") return s == "true";
  static const std::regex kInt("^-?[0-9]{1,15}$");
  if (std::regex_match(s, kInt)) return std::stoll(s);
  return s;
}

}  // namespace bulwark::testing
