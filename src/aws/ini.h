// Reads the AWS CLI's INI files (~/.aws/credentials and ~/.aws/config). Hand-written: the
// format has AWS-specific rules ("[profile x]" sections, indented sub-sections) that no
// Debian INI library knows.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bulwark::aws {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;

// A line that is not a comment, a [section] header or "name = value" (where it may stand).
struct IniProblem {
  int line = 0;  // 1-based
  std::string message;
};

// Malformed lines are skipped and, when `problems` is given, reported there.
IniFile ParseIni(const std::string& text, std::vector<IniProblem>* problems = nullptr);
// A missing file is an empty IniFile, not an error. A malformed one sets `error` to
// "PATH line N: what is wrong" (never the line's text, which may hold a secret).
IniFile ReadIniFile(const std::string& path, std::string* error = nullptr);

}  // namespace bulwark::aws
