// The catalog of AWS actions (service prefix, action name, access level) generated from
// botocore's service models by scripts/gen_iam_actions.py: expands wildcards such as
// "s3:Get*", tells unknown actions apart, and classifies actions by access level.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace bulwark::iam {

class ActionCatalog {
 public:
  enum class Level { kList, kRead, kWrite, kPermissions, kTagging };
  struct Action {
    std::string name;  // "s3:GetObject"
    Level level = Level::kWrite;
  };

  static Result<ActionCatalog> Load(const std::string& path);
  static const char* LevelName(Level level);

  // Every known action matching an IAM action pattern (case-insensitive, '*' and '?').
  std::vector<Action> Expand(const std::string& pattern) const;
  bool Known(const std::string& action) const;
  size_t size() const { return count_; }

 private:
  std::map<std::string, std::vector<Action>> by_prefix_;  // lower-case prefix
  size_t count_ = 0;
};

}  // namespace bulwark::iam
