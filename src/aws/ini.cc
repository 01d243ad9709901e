#include "aws/ini.h"

#include <fstream>
#include <sstream>

#include "util/strings.h"

namespace bulwark::aws {

IniFile ParseIni(const std::string& text) {
  IniFile file;
  IniSection* current = nullptr;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      current = &file[Trim(t.substr(1, t.size() - 2))];
      continue;
    }
    // Indented lines belong to a nested section such as "s3 =" and are not profile keys.
    if (line[0] == ' ' || line[0] == '\t' || current == nullptr) continue;
    size_t eq = t.find('=');
    if (eq == std::string::npos) continue;
    (*current)[ToLower(Trim(t.substr(0, eq)))] = Trim(t.substr(eq + 1));
  }
  return file;
}

IniFile ReadIniFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseIni(ss.str());
}

}  // namespace bulwark::aws
