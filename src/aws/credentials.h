// A set of AWS credentials and the interface of whatever hands them out. Credentials have
// no printing support on purpose: secrets must never reach a log, report or error message.
#pragma once

#include <ctime>
#include <string>
#include <utility>

#include "util/status.h"

namespace bulwark::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;   // empty for long-term keys
  std::time_t expiration = 0;  // 0 = does not expire
  std::string source;          // where they came from, e.g. "environment", "profile dev"

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  virtual Result<Credentials> GetCredentials() = 0;
};

class StaticCredentialProvider : public CredentialProvider {
 public:
  explicit StaticCredentialProvider(Credentials creds) : creds_(std::move(creds)) {}
  Result<Credentials> GetCredentials() override { return creds_; }

 private:
  Credentials creds_;
};

// "2026-11-23T06:13:27Z" (fractions and offsets tolerated) -> epoch seconds; 0 if invalid.
std::time_t ParseIso8601(const std::string& text);

}  // namespace bulwark::aws
