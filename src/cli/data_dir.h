// Where the commands find the data bulwark ships (checks, rules): an environment variable,
// else the installed copy beside the binary, else the source tree it was built from.
#pragma once

#include <string>

namespace bulwark::cli {

// `env_var` (when set), else <prefix>/share/bulwark/<name> (a directory or file) for
// <prefix>/bin/bulwark, else
// `source_dir`.
std::string DataDir(const char* env_var, const char* name, const char* source_dir);

}  // namespace bulwark::cli
