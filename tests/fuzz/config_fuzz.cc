// Fuzz targets (see fuzz_main.cc) for what a user writes: a mutelist, a check and the AWS
// CLI's INI files. A mutelist that loads is applied to a few findings; a check that loads
// has its fields read; INI problems must name lines that exist.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "aws/ini.h"
#include "checks/check.h"
#include "findings/mutelist.h"

int FuzzMutelist(const uint8_t* data, size_t size) {
  using namespace bulwark::findings;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto list = Mutelist::Parse(text, "fuzz.yaml");
  if (!list.ok()) return 0;
  std::vector<Finding> findings(3);
  findings[0].check_id = "s3_bucket_versioning_enabled";
  findings[0].account_id = "123456789012";
  findings[0].region = "us-east-1";
  findings[0].resource_id = "acme-logs";
  findings[0].status = FindingStatus::kFail;
  findings[1] = findings[0];
  findings[1].resource_id = "acme-tmp-1";
  findings[2] = findings[0];
  findings[2].status = FindingStatus::kPass;
  list->Apply(findings, "2026-12-01");
  return 0;
}

int FuzzCheck(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto check = bulwark::checks::ParseCheck(text, "fuzz.yaml");
  if (check.ok()) (void)check->query.size();
  return 0;
}

int FuzzIni(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<bulwark::aws::IniProblem> problems;
  bulwark::aws::IniFile file = bulwark::aws::ParseIni(text, &problems);
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  for (const auto& p : problems) {
    if (p.line < 1 || static_cast<size_t>(p.line) > lines) std::abort();
  }
  return 0;
}
