#include "cli/collect_flags.h"

#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "aws/client.h"
#include "aws/credential_chain.h"
#include "aws/http.h"
#include "collect/collector.h"
#include "collect/service.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::cli {
namespace {

// The partial snapshot a signal must remove. A signal handler can reach nothing but
// process-wide state, so this is the one global: written before collecting, cleared after.
char g_partial_path[4096];

void RemovePartialAndExit(int sig) {
  if (g_partial_path[0] != '\0') ::unlink(g_partial_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Removes the partial file on SIGINT/SIGTERM for as long as it lives.
class PartialFileGuard {
 public:
  explicit PartialFileGuard(const std::string& path) {
    if (path.size() >= sizeof g_partial_path) return;
    std::memcpy(g_partial_path, path.c_str(), path.size() + 1);
    std::signal(SIGINT, RemovePartialAndExit);
    std::signal(SIGTERM, RemovePartialAndExit);
  }
  ~PartialFileGuard() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_partial_path[0] = '\0';
  }
  PartialFileGuard(const PartialFileGuard&) = delete;
  PartialFileGuard& operator=(const PartialFileGuard&) = delete;
};

// Reads an MFA code from the controlling terminal, never from piped input.
std::optional<std::string> PromptMfa(const std::string& serial) {
  std::ifstream tty("/dev/tty");
  if (!tty || !isatty(STDIN_FILENO)) return std::nullopt;
  std::cerr << fmt::format("MFA code for {}: ", serial) << std::flush;
  std::string code;
  std::getline(tty, code);
  return Trim(code);
}

std::string RegionsValidator(const std::string& value) {
  if (value == "all") return "";
  static const std::regex kRegion("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$");
  for (const auto& r : Split(value, ',')) {
    if (!std::regex_match(Trim(r), kRegion)) {
      return fmt::format("'{}' is not a region name (e.g. us-east-1) and the list is not 'all'", r);
    }
  }
  return "";
}

std::string UrlValidator(const std::string& value) {
  if (StartsWith(value, "http://") || StartsWith(value, "https://")) return "";
  return fmt::format("'{}' is not an http:// or https:// URL", value);
}

}  // namespace

void AddCollectFlags(CLI::App* sub, CollectFlags& flags) {
  sub->add_option("--profile", flags.profile, "Profile from ~/.aws/config / ~/.aws/credentials");
  sub->add_option("--regions", flags.regions,
                  "Comma-separated regions, or 'all' for every enabled region "
                  "(default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1)")
      ->check(CLI::Validator(RegionsValidator, "REGIONS|all"));
  sub->add_option("--endpoint-url", flags.endpoint_url,
                  "Send every call to this endpoint (default: AWS_ENDPOINT_URL)")
      ->check(CLI::Validator(UrlValidator, "URL"));
  sub->add_option("--max-attempts", flags.max_attempts,
                  "Attempts per API call, first included (default: AWS_MAX_ATTEMPTS or 3)")
      ->check(CLI::Range(1, 20));
  sub->add_option("--concurrency", flags.concurrency, "Concurrent calls per service and region")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  sub->add_option("--threads", flags.threads, "Worker threads")
      ->check(CLI::Range(1, 512))
      ->capture_default_str();
  sub->add_flag("--quiet,-q", flags.quiet, "No progress display");
}

AwsSession::AwsSession(aws::ChainOptions chain_options, aws::ClientOptions client_options)
    : chain(std::move(chain_options), http), client(http, chain, std::move(client_options)) {}

std::unique_ptr<AwsSession> MakeSession(CollectFlags& flags, const std::string& command) {
  aws::ChainOptions chain_options;
  chain_options.profile = flags.profile;
  chain_options.env = aws::Environment::FromProcess();
  if (flags.endpoint_url.empty()) flags.endpoint_url = chain_options.env.Get("AWS_ENDPOINT_URL");
  if (!flags.endpoint_url.empty() && !UrlValidator(flags.endpoint_url).empty()) {
    std::cerr << "bulwark " << command << ": AWS_ENDPOINT_URL " << UrlValidator(flags.endpoint_url)
              << "\n";
    return nullptr;
  }
  chain_options.endpoint_url = flags.endpoint_url;
  chain_options.mfa_prompt = PromptMfa;
  if (flags.max_attempts == 0) {
    std::string env = chain_options.env.Get("AWS_MAX_ATTEMPTS");
    flags.max_attempts = env.empty() ? 3 : std::max(1, std::atoi(env.c_str()));
  }
  aws::ClientOptions client_options;
  client_options.endpoint_url = flags.endpoint_url;
  client_options.retry.max_attempts = flags.max_attempts;
  client_options.max_concurrent_per_service = flags.concurrency;
  return std::make_unique<AwsSession>(std::move(chain_options), std::move(client_options));
}

int CollectToFile(CollectFlags flags, const std::string& out, const std::string& command) {
  std::unique_ptr<AwsSession> session = MakeSession(flags, command);
  if (!session) return 2;
  aws::CredentialChain& chain = session->chain;
  aws::AwsClient& client = session->client;

  collect::CollectOptions options;
  std::string default_region = chain.DefaultRegion();
  if (default_region.empty()) default_region = "us-east-1";
  if (flags.regions == "all") {
    options.all_regions = true;
    options.home_region = default_region;
  } else if (flags.regions.empty()) {
    options.regions = {default_region};
    options.home_region = default_region;
  } else {
    for (const auto& r : Split(flags.regions, ',')) options.regions.push_back(Trim(r));
    options.home_region = options.regions.front();
  }
  options.threads = flags.threads;

  auto snap = snapshot::Snapshot::Create(out, collect::SnapshotSchema());
  if (!snap.ok()) {
    std::cerr << "bulwark " << command << ": " << snap.status().message() << "\n";
    return 1;
  }
  const std::string partial = (*snap)->partial_path();
  PartialFileGuard guard(partial);
  bool interactive = isatty(STDERR_FILENO) != 0;
  collect::Progress progress(std::cerr, interactive, flags.quiet);
  Result<collect::CollectSummary> summary = collect::Collect(client, **snap, options, progress);
  if (!summary.ok()) {
    // Nothing was collected (no identity): leave no half-made file behind.
    snap->reset();
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    std::cerr << "bulwark " << command << ": " << summary.status().ToString() << "\n";
    return 1;
  }
  std::cerr << fmt::format(
      "collected account {} in {} region(s): {} rows, {} API calls ({} retried), {} errors, "
      "{:.1f}s -> {}\n",
      summary->account_id, summary->regions.size(), summary->rows, summary->api_calls,
      summary->retries, summary->errors, summary->seconds, out);
  if (summary->errors > 0) {
    std::cerr << fmt::format(
        "{} call(s) failed; see: bulwark query {} \"SELECT * FROM collection_errors\"\n",
        summary->errors, out);
  }
  return 0;
}

}  // namespace bulwark::cli
