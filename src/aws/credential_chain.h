// Resolves credentials in the AWS CLI's order: environment keys, the profile (assume-role
// with source_profile/credential_source, web identity, IAM Identity Center (SSO) from the
// CLI's token cache, static keys, credential_process), web identity from the environment,
// container credentials, then IMDSv2. Caches the result and refreshes it before it expires.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/ini.h"

namespace bulwark::aws {

// A copy of the environment variables the chain reads, so tests can supply their own.
struct Environment {
  std::map<std::string, std::string> vars;
  static Environment FromProcess();
  std::string Get(const std::string& name) const;
};

struct ChainOptions {
  std::string profile;       // --profile; empty = AWS_PROFILE or "default"
  std::string endpoint_url;  // --endpoint-url: also used for STS AssumeRole
  Environment env;
  // Asks for an MFA code for the given serial; empty optional = cannot ask.
  std::function<std::optional<std::string>(const std::string& mfa_serial)> mfa_prompt;
};

class CredentialChain : public CredentialProvider {
 public:
  CredentialChain(ChainOptions options, HttpClient& http);
  Result<Credentials> GetCredentials() override;

  // The profile in effect and its settings (config file merged over credentials file).
  std::string ProfileName() const;
  IniSection ProfileSettings(const std::string& name) const;
  // Region from AWS_REGION, AWS_DEFAULT_REGION, then the profile; empty when none.
  std::string DefaultRegion() const;

 private:
  Result<Credentials> Resolve();
  Credentials EnvironmentCredentials() const;  // empty when the variables are not set
  Result<Credentials> FromProfile(const std::string& name, int depth);
  Result<Credentials> AssumeRole(const std::string& profile, const IniSection& settings,
                                 const Credentials& source);
  Result<Credentials> FromCredentialSource(const std::string& profile, const std::string& source);
  Result<Credentials> FromWebIdentity(const std::string& role_arn, const std::string& token_file,
                                      const std::string& session_name, const std::string& region);
  Result<Credentials> FromSso(const std::string& profile, const IniSection& settings);
  Result<Credentials> FromProcess(const std::string& profile, const std::string& command);
  Result<Credentials> FromContainer();
  Result<Credentials> FromImds();
  std::string HomeDir() const;

  ChainOptions options_;
  HttpClient& http_;
  IniFile credentials_file_;
  IniFile config_file_;
  std::string files_error_;  // the first malformed line of either file, or empty
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

}  // namespace bulwark::aws
