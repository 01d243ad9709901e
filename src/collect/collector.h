// Runs a whole collection: identity, region discovery, then every service's tasks for
// every requested region concurrently on a thread pool, into one snapshot.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "collect/progress.h"
#include "snapshot/snapshot.h"

namespace bulwark::collect {

struct CollectOptions {
  std::vector<std::string> regions;       // explicit regions (ignored when all_regions)
  bool all_regions = false;               // every region enabled for the account
  std::string home_region = "us-east-1";  // STS, IAM, S3 list and DescribeRegions go here
  int threads = 64;
  std::function<void(double)> sleep;  // for credential-report polling; default sleeps
};

struct CollectSummary {
  std::string account_id;
  std::vector<std::string> regions;
  long rows = 0;
  long errors = 0;
  long api_calls = 0;
  long retries = 0;
  double seconds = 0;
};

// Fails only when nothing can be collected (no credentials, identity unknown); every other
// failure is recorded in the snapshot's collection_errors and collection goes on.
Result<CollectSummary> Collect(aws::AwsClient& client, snapshot::Snapshot& snapshot,
                               const CollectOptions& options, Progress& progress);

}  // namespace bulwark::collect
