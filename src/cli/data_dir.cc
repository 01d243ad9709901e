#include "cli/data_dir.h"

#include <cstdlib>
#include <filesystem>

namespace bulwark::cli {

std::string DataDir(const char* env_var, const char* name, const char* source_dir) {
  const char* env = std::getenv(env_var);
  if (env && *env) return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed = exe.parent_path().parent_path() / "share/bulwark" / name;
    if (std::filesystem::exists(installed, ec)) return installed.string();
  }
  return source_dir;
}

}  // namespace bulwark::cli
