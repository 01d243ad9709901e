// `bulwark collect`: collect an account's configuration into a snapshot.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "aws/client.h"
#include "aws/credential_chain.h"
#include "aws/http.h"
#include "cli/commands.h"
#include "collect/collector.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::cli {
namespace {

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

class CollectCommand : public Command {
 public:
  explicit CollectCommand(CLI::App& app) {
    sub_ = app.add_subcommand("collect", "Collect an AWS account's configuration into a snapshot");
    sub_->add_option("--out,-o", out_, "Snapshot file to write (SQLite)")->required();
    sub_->add_option("--profile", profile_, "Profile from ~/.aws/config / ~/.aws/credentials");
    sub_->add_option("--regions", regions_,
                     "Comma-separated regions, or 'all' for every enabled region "
                     "(default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1)")
        ->check(CLI::Validator(RegionsValidator, "REGIONS|all"));
    sub_->add_option("--endpoint-url", endpoint_url_,
                     "Send every call to this endpoint (default: AWS_ENDPOINT_URL)")
        ->check(CLI::Validator(UrlValidator, "URL"));
    sub_->add_option("--max-attempts", max_attempts_,
                     "Attempts per API call, first included (default: AWS_MAX_ATTEMPTS or 3)")
        ->check(CLI::Range(1, 20));
    sub_->add_option("--concurrency", concurrency_, "Concurrent calls per service and region")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    sub_->add_option("--threads", threads_, "Worker threads")
        ->check(CLI::Range(1, 512))
        ->capture_default_str();
    sub_->add_flag("--quiet,-q", quiet_, "No progress display");
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    aws::ChainOptions chain_options;
    chain_options.profile = profile_;
    chain_options.env = aws::Environment::FromProcess();
    if (endpoint_url_.empty()) endpoint_url_ = chain_options.env.Get("AWS_ENDPOINT_URL");
    if (!endpoint_url_.empty() && !UrlValidator(endpoint_url_).empty()) {
      std::cerr << "bulwark collect: AWS_ENDPOINT_URL " << UrlValidator(endpoint_url_) << "\n";
      return 2;
    }
    chain_options.endpoint_url = endpoint_url_;
    chain_options.mfa_prompt = PromptMfa;
    if (max_attempts_ == 0) {
      std::string env = chain_options.env.Get("AWS_MAX_ATTEMPTS");
      max_attempts_ = env.empty() ? 3 : std::max(1, std::atoi(env.c_str()));
    }

    aws::CurlHttpClient http;
    aws::CredentialChain chain(chain_options, http);
    aws::ClientOptions client_options;
    client_options.endpoint_url = endpoint_url_;
    client_options.retry.max_attempts = max_attempts_;
    client_options.max_concurrent_per_service = concurrency_;
    aws::AwsClient client(http, chain, client_options);

    collect::CollectOptions options;
    std::string default_region = chain.DefaultRegion();
    if (default_region.empty()) default_region = "us-east-1";
    if (regions_ == "all") {
      options.all_regions = true;
      options.home_region = default_region;
    } else if (regions_.empty()) {
      options.regions = {default_region};
      options.home_region = default_region;
    } else {
      for (const auto& r : Split(regions_, ',')) options.regions.push_back(Trim(r));
      options.home_region = options.regions.front();
    }
    options.threads = threads_;

    auto snap = snapshot::Snapshot::Create(out_);
    if (!snap.ok()) {
      std::cerr << "bulwark collect: " << snap.status().message() << "\n";
      return 1;
    }
    bool interactive = isatty(STDERR_FILENO) != 0;
    collect::Progress progress(std::cerr, interactive, quiet_);
    Result<collect::CollectSummary> summary = collect::Collect(client, **snap, options, progress);
    if (!summary.ok()) {
      // Nothing was collected (no identity): leave no half-made file behind.
      snap->reset();
      std::error_code ec;
      std::filesystem::remove(out_ + ".partial", ec);
      std::cerr << "bulwark collect: " << summary.status().ToString() << "\n";
      return 1;
    }
    std::cerr << fmt::format(
        "collected account {} in {} region(s): {} rows, {} API calls ({} retried), {} errors, "
        "{:.1f}s -> {}\n",
        summary->account_id, summary->regions.size(), summary->rows, summary->api_calls,
        summary->retries, summary->errors, summary->seconds, out_);
    if (summary->errors > 0) {
      std::cerr << fmt::format(
          "{} call(s) failed; see: bulwark query {} \"SELECT * FROM collection_errors\"\n",
          summary->errors, out_);
    }
    return 0;
  }

 private:
  CLI::App* sub_;
  std::string out_;
  std::string profile_;
  std::string regions_;
  std::string endpoint_url_;
  int max_attempts_ = 0;
  int concurrency_ = 8;
  int threads_ = 64;
  bool quiet_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeCollectCommand(CLI::App& app) {
  return std::make_unique<CollectCommand>(app);
}

}  // namespace bulwark::cli
