#include "collect/collector.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <new>
#include <set>
#include <sstream>
#include <thread>

#include "aws/xml_json.h"
#include "bulwark/version.h"
#include "collect/context.h"
#include "collect/service.h"
#include "collect/sts.h"
#include "util/thread_pool.h"

namespace bulwark::collect {
namespace {

using nlohmann::json;

// Stores the account's regions and returns which requested regions can be collected.
std::vector<std::string> ResolveRegions(CollectContext& ctx, const CollectOptions& options) {
  std::set<std::string> enabled;
  std::set<std::string> known;
  Status s = ctx.client.PaginateQuery(
      "ec2", options.home_region, "DescribeRegions", {{"AllRegions", "true"}}, "NextToken",
      "NextToken", [&](const json& page) {
        for (const auto& r : aws::ArrayOrEmpty(page, "Regions")) {
          std::string name = aws::StringOr(r, "RegionName");
          std::string status = aws::StringOr(r, "OptInStatus", "opt-in-not-required");
          known.insert(name);
          if (status != "not-opted-in") enabled.insert(name);
          ctx.Put("aws_region", name,
                  {{"name", name},
                   {"opt_in_status", status},
                   {"endpoint", aws::StringOr(r, "Endpoint")}},
                  r);
        }
      });
  if (!s.ok()) {
    ctx.RecordError("ec2", "DescribeRegions", options.home_region, s);
    if (options.all_regions) {
      ctx.progress.Message(
          fmt::format("warning: cannot list regions; collecting {} only", options.home_region));
      return {options.home_region};
    }
    return options.regions;
  }
  if (options.all_regions) return {enabled.begin(), enabled.end()};
  std::vector<std::string> out;
  for (const auto& r : options.regions) {
    if (enabled.count(r)) {
      out.push_back(r);
      continue;
    }
    std::string why = known.count(r)
                          ? fmt::format("region {} is not enabled for account {} (opt-in region)",
                                        r, ctx.account_id)
                          : fmt::format("region {} is not a region of this partition", r);
    ctx.RecordError("ec2", "DescribeRegions", r, Status::Aws("RegionDisabled", why, 0));
  }
  return out;
}

}  // namespace

Result<CollectSummary> Collect(aws::AwsClient& client, snapshot::Snapshot& snapshot,
                               const CollectOptions& options, Progress& progress) {
  auto start = std::chrono::steady_clock::now();
  std::string started_at = snapshot::NowIso8601();
  Result<CallerIdentity> identity = GetCallerIdentity(client, options.home_region);
  if (!identity.ok()) return identity.status();

  ThreadPool pool(static_cast<size_t>(std::max(1, options.threads)));
  CollectContext ctx{client, snapshot, progress,     identity->account_id,
                     "aws",  nullptr,  options.sleep};
  if (!ctx.sleep) {
    ctx.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  }
  if (identity->arn.rfind("arn:", 0) == 0) {
    ctx.partition = identity->arn.substr(4, identity->arn.find(':', 4) - 4);
  }
  std::function<void(CollectTask)> submit = [&](CollectTask task) {
    progress.AddTasks(1);
    pool.Submit([&ctx, &progress, task = std::move(task)] {
      bool ok = false;
      try {
        ok = task.run(ctx);
      } catch (const std::exception& e) {
        // Memory exhausted or a bug inside one task: that task's error, named by its label
        // ("ec2 us-east-1 security groups"), and the rest of the collect goes on.
        std::istringstream words(task.label);
        std::string service, region;
        words >> service >> region;
        bool oom = dynamic_cast<const std::bad_alloc*>(&e) != nullptr;
        ctx.RecordError(service, task.label, region,
                        Status::Internal(oom ? "out of memory" : e.what()));
      }
      progress.TaskDone(task.label, !ok);
    });
  };
  ctx.spawn = submit;
  PutCallerIdentity(ctx, *identity);

  std::vector<std::string> regions = ResolveRegions(ctx, options);
  std::vector<CollectTask> tasks;
  for (const auto& service : Services()) {
    if (service.scope == Scope::kGlobal) {
      service.add_tasks(options.home_region, tasks);
    } else {
      for (const auto& region : regions) service.add_tasks(region, tasks);
    }
  }
  for (auto& t : tasks) submit(std::move(t));
  pool.Wait();
  progress.Finish();

  CollectSummary summary;
  summary.account_id = identity->account_id;
  summary.regions = regions;
  summary.rows = snapshot.row_count();
  summary.errors = snapshot.error_count();
  summary.api_calls = client.stats().calls;
  summary.retries = client.stats().retries;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  snapshot::SnapshotInfo info;
  info.tool_version = kVersion;
  info.account_id = summary.account_id;
  info.partition = ctx.partition;
  info.regions = regions;
  info.endpoint_url = client.options().endpoint_url;
  info.started_at = started_at;
  info.finished_at = snapshot::NowIso8601();
  info.api_calls = summary.api_calls;
  info.retries = summary.retries;
  info.throttled = client.stats().throttled;
  info.errors = summary.errors;
  Status s = snapshot.Finish(info);
  if (!s.ok()) return s;
  return summary;
}

}  // namespace bulwark::collect
