// The collection flags `collect` and `scan` share, and the collection run itself.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "aws/client.h"
#include "aws/credential_chain.h"
#include "aws/http.h"

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

// What talks to AWS: HTTP, the credential chain (environment, profile, ...) and the client.
struct AwsSession {
  AwsSession(aws::ChainOptions chain_options, aws::ClientOptions client_options);
  aws::CurlHttpClient http;
  aws::CredentialChain chain;
  aws::AwsClient client;
};
// From the flags (a bad AWS_ENDPOINT_URL is printed and gives null); fills in the flags'
// defaults from the environment.
std::unique_ptr<AwsSession> MakeSession(CollectFlags& flags, const std::string& command);
// Collects into `out` and prints the summary; returns the exit code (0, 1, or 2 for a bad
// AWS_ENDPOINT_URL). `command` names the command in messages.
int CollectToFile(CollectFlags flags, const std::string& out, const std::string& command);

}  // namespace bulwark::cli
