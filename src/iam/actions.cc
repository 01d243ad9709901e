#include "iam/actions.h"

#include <algorithm>
#include <fstream>

#include "iam/match.h"
#include "util/strings.h"

namespace bulwark::iam {

Result<ActionCatalog> ActionCatalog::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read the action catalog " + path);
  ActionCatalog c;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos)
      return Status::Parse(path + ":" + std::to_string(number) + ": expected prefix<TAB>actions");
    std::string prefix = ToLower(line.substr(0, tab));
    auto& list = c.by_prefix_[prefix];
    for (const auto& item : Split(line.substr(tab + 1), ',')) {
      size_t colon = item.rfind(':');
      if (colon == std::string::npos || colon + 2 != item.size())
        return Status::Parse(path + ":" + std::to_string(number) + ": bad entry '" + item + "'");
      Action a;
      a.name = prefix + ":" + item.substr(0, colon);
      switch (item[colon + 1]) {
        case 'L':
          a.level = Level::kList;
          break;
        case 'R':
          a.level = Level::kRead;
          break;
        case 'P':
          a.level = Level::kPermissions;
          break;
        case 'T':
          a.level = Level::kTagging;
          break;
        default:
          a.level = Level::kWrite;
      }
      list.push_back(std::move(a));
      ++c.count_;
    }
  }
  return c;
}

const char* ActionCatalog::LevelName(Level level) {
  switch (level) {
    case Level::kList:
      return "List";
    case Level::kRead:
      return "Read";
    case Level::kWrite:
      return "Write";
    case Level::kPermissions:
      return "Permissions management";
    case Level::kTagging:
      return "Tagging";
  }
  return "";
}

std::vector<ActionCatalog::Action> ActionCatalog::Expand(const std::string& pattern) const {
  std::vector<Action> out;
  size_t colon = pattern.find(':');
  std::string prefix = ToLower(colon == std::string::npos ? pattern : pattern.substr(0, colon));
  for (const auto& [p, actions] : by_prefix_) {
    if (!WildcardMatch(prefix, p, true)) continue;
    for (const auto& a : actions) {
      if (ActionMatches(pattern, a.name)) out.push_back(a);
    }
  }
  return out;
}

bool ActionCatalog::Known(const std::string& action) const {
  if (action.find_first_of("*?") != std::string::npos) return !Expand(action).empty();
  size_t colon = action.find(':');
  if (colon == std::string::npos) return false;
  auto it = by_prefix_.find(ToLower(action.substr(0, colon)));
  if (it == by_prefix_.end()) return false;
  const std::string wanted = ToLower(action);
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const Action& a) { return ToLower(a.name) == wanted; });
}

}  // namespace bulwark::iam
