// The collection flags `collect` and `scan` share, and the collection run itself.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace bulwark::cli {

struct CollectFlags {
  std::string profile;
  std::string regions;
  std::string endpoint_url;
  int max_attempts = 0;  // 0 = AWS_MAX_ATTEMPTS or 3
  int concurrency = 8;
  int threads = 64;
  bool quiet = false;
};

void AddCollectFlags(CLI::App* sub, CollectFlags& flags);
// Collects into `out` and prints the summary; returns the exit code (0, 1, or 2 for a bad
// AWS_ENDPOINT_URL). `command` names the command in messages.
int CollectToFile(CollectFlags flags, const std::string& out, const std::string& command);

}  // namespace bulwark::cli
