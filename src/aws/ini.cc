#include "aws/ini.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "util/strings.h"

namespace bulwark::aws {

IniFile ParseIni(const std::string& text, std::vector<IniProblem>* problems) {
  IniFile file;
  IniSection* current = nullptr;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  // A problem names the line, never its text: a malformed line may hold a secret key.
  auto problem = [&](std::string message) {
    if (problems) problems->push_back({number, std::move(message)});
  };
  bool skipping = false;  // inside a section whose header was malformed
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']') {
        problem("a section header without its closing ']'");
        current = nullptr;
        skipping = true;
        continue;
      }
      std::string name = Trim(t.substr(1, t.size() - 2));
      if (name.empty()) {
        problem("a section header with no name");
        current = nullptr;
        skipping = true;
        continue;
      }
      current = &file[name];
      skipping = false;
      continue;
    }
    // Indented lines belong to a nested section such as "s3 =" and are not profile keys.
    if (line[0] == ' ' || line[0] == '\t') {
      if (current == nullptr && !skipping) problem("an indented line outside any [section]");
      continue;
    }
    size_t eq = t.find('=');
    if (eq == std::string::npos) {
      problem("not 'name = value', a [section] header or a comment");
      continue;
    }
    std::string key = ToLower(Trim(t.substr(0, eq)));
    if (key.empty()) {
      problem("a setting with no name before '='");
      continue;
    }
    if (current == nullptr) {
      if (!skipping) problem("a setting before any [section] header");
      continue;
    }
    (*current)[key] = Trim(t.substr(eq + 1));
  }
  return file;
}

IniFile ReadIniFile(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<IniProblem> problems;
  IniFile file = ParseIni(ss.str(), &problems);
  if (error && !problems.empty()) {
    *error = fmt::format("{} line {}: {}", path, problems[0].line, problems[0].message);
    if (problems.size() > 1) *error += fmt::format(" (and {} more)", problems.size() - 1);
  }
  return file;
}

}  // namespace bulwark::aws
