// Mutes with justification: a YAML file of entries that turn matching FAIL findings into
// MUTED, each with a required reason and owner and an optional expiry date, plus the
// accounts the organization trusts (cross-account checks do not flag them).
//
//   trusted_accounts: ["444455556666"]
//   mutes:
//     - checks: [s3_bucket_versioning_enabled]     # ids or globs ("s3_*")
//       accounts: ["123456789012"]                  # optional, default every account
//       regions: ["us-east-1"]                      # optional, default every region
//       resources: ["acme-logs", "re:^acme-tmp-"]   # globs, or RE2 after "re:"; matched
//                                                   # against the resource id and ARN
//       reason: Log bucket; objects are replicated
//       owner: platform@acme.example
//       expires: 2027-03-31                          # optional; after it the entry mutes
//                                                   # nothing and is reported
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "findings/finding.h"
#include "util/status.h"

namespace bulwark::findings {

class Mutelist {
 public:
  struct Pattern {
    std::string text;
    std::shared_ptr<RE2> regex;  // "re:..." patterns; globs otherwise
  };
  struct Entry {
    int line = 0;  // where the entry starts in the file, 1-based
    std::vector<Pattern> checks, accounts, regions, resources;
    std::string reason, owner, expires;  // expires: YYYY-MM-DD or ""
  };
  struct Outcome {
    size_t muted = 0;
    std::vector<std::string> expired;    // "mutelist.yaml:12: ... expired on ..."
    std::vector<std::string> unmatched;  // "mutelist.yaml:20: ... matched no finding"
  };

  // Errors name the file and line: a missing reason or owner, a bad date, a bad regular
  // expression, an unknown key.
  static Result<Mutelist> Load(const std::string& path);
  static Result<Mutelist> Parse(const std::string& yaml, const std::string& file);

  // Mutes the FAIL findings an unexpired entry matches; `today` is YYYY-MM-DD.
  Outcome Apply(std::vector<Finding>& findings, const std::string& today) const;

  const std::vector<std::string>& trusted_accounts() const { return trusted_; }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::string file_;
  std::vector<Entry> entries_;
  std::vector<std::string> trusted_;
};

}  // namespace bulwark::findings
