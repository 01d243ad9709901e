// Reads the AWS CLI's INI files (~/.aws/credentials and ~/.aws/config). Hand-written: the
// format has AWS-specific rules ("[profile x]" sections, indented sub-sections) that no
// Debian INI library knows.
#pragma once

#include <map>
#include <string>

namespace bulwark::aws {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;

IniFile ParseIni(const std::string& text);
// A missing file is an empty IniFile, not an error.
IniFile ReadIniFile(const std::string& path);

}  // namespace bulwark::aws
