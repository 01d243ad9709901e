// Where the shared test data lives (../shared/fixtures beside the repository), and how a
// test behaves when it is absent: skipped on a developer machine, a failure in CI.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bulwark::testing {

inline std::filesystem::path SharedFixtures() { return BULWARK_SHARED_FIXTURES; }
inline std::filesystem::path SourceDir() { return BULWARK_SOURCE_DIR; }

inline bool FixturesRequired() { return std::getenv("CI") != nullptr; }

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace bulwark::testing

// Skips (or fails in CI) when a shared fixture folder is missing.
#define BULWARK_REQUIRE_FIXTURE(path)                                                   \
  do {                                                                                  \
    if (!std::filesystem::exists(path)) {                                               \
      if (::bulwark::testing::FixturesRequired()) FAIL() << "missing fixture " << path; \
      GTEST_SKIP() << "shared fixtures not present at " << path;                        \
    }                                                                                   \
  } while (0)
