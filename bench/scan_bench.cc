// Scan benchmark: builds a synthetic snapshot of about 50,000 resources across 17 regions
// (security groups and their rules, instances, volumes, buckets, users, roles, policies,
// keys, functions, queues, topics, log groups, subnets, routes, snapshots) and times
// every shipped check over it. Prints build time, scan time, findings and peak memory.
//
//   scan_bench [--resources 50000] [--checks-dir DIR]
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "checks/check.h"
#include "checks/runner.h"
#include "collect/service.h"
#include "snapshot/snapshot.h"

namespace {

using nlohmann::json;

constexpr int kRegions = 17;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One more resource per unit, rotating over the other kinds the checks read: roles and
// policies with documents, keys, functions, queues, topics, log groups, subnets, routes
// and snapshots, so the policy and CIDR functions run on real-sized input too.
void AddOther(bulwark::snapshot::Snapshot& s, int n, const std::string& region) {
  const std::string acct = "111122223333";
  const std::string name = fmt::format("r{}", n);
  json open_policy = {
      {"Statement", json::array({{{"Effect", "Allow"},
                                  {"Principal", n % 13 ? json("arn:aws:iam::1:root") : json("*")},
                                  {"Action", "*"},
                                  {"Resource", "*"}}})}};
  switch (n % 10) {
    case 0:
      s.Insert("aws_iam_role", acct, "global",
               {{"name", name},
                {"arn", "arn:aws:iam::" + acct + ":role/" + name},
                {"path", "/"},
                {"create_date", "2025-01-01T00:00:00Z"},
                {"assume_role_policy", open_policy},
                {"attached_policy_arns", json::array()},
                {"inline_policies",
                 json::array({{{"PolicyName", "p"}, {"PolicyDocument", open_policy}}})}},
               nullptr);
      break;
    case 1:
      s.Insert("aws_iam_policy", acct, "global",
               {{"name", name},
                {"arn", "arn:aws:iam::" + acct + ":policy/" + name},
                {"is_aws_managed", false},
                {"is_attached", true},
                {"attachment_count", 1},
                {"policy", open_policy}},
               nullptr);
      break;
    case 2:
      s.Insert("aws_kms_key", acct, region,
               {{"id", name},
                {"arn", "arn:aws:kms:" + region + ":" + acct + ":key/" + name},
                {"key_manager", "CUSTOMER"},
                {"key_state", "Enabled"},
                {"key_spec", "SYMMETRIC_DEFAULT"},
                {"origin", "AWS_KMS"},
                {"key_rotation_enabled", n % 3 == 0},
                {"policy", open_policy}},
               nullptr);
      break;
    case 3:
      s.Insert("aws_lambda_function", acct, region,
               {{"name", name},
                {"arn", "arn:aws:lambda:" + region + ":" + acct + ":function:" + name},
                {"runtime", n % 4 ? "python3.12" : "nodejs14.x"},
                {"policy", open_policy},
                {"url_auth_type", n % 5 ? "AWS_IAM" : "NONE"}},
               nullptr);
      break;
    case 4:
      s.Insert("aws_sqs_queue", acct, region,
               {{"name", name},
                {"arn", "arn:aws:sqs:" + region + ":" + acct + ":" + name},
                {"policy", open_policy},
                {"sqs_managed_sse_enabled", n % 2 == 0}},
               nullptr);
      break;
    case 5:
      s.Insert("aws_sns_topic", acct, region,
               {{"name", name},
                {"topic_arn", "arn:aws:sns:" + region + ":" + acct + ":" + name},
                {"policy", open_policy}},
               nullptr);
      break;
    case 6:
      s.Insert("aws_cloudwatch_log_group", acct, region,
               {{"name", "/app/" + name},
                {"arn", "arn:aws:logs:" + region + ":" + acct + ":log-group:/app/" + name},
                {"retention_in_days", n % 3 ? 30 : 400}},
               nullptr);
      break;
    case 7:
      s.Insert("aws_vpc_subnet", acct, region,
               {{"subnet_id", "subnet-" + name},
                {"vpc_id", "vpc-1"},
                {"cidr_block", "10.0.0.0/24"},
                {"map_public_ip_on_launch", n % 2 == 0}},
               nullptr);
      break;
    case 8:
      s.Insert("aws_vpc_route_table", acct, region,
               {{"route_table_id", "rtb-" + name}, {"vpc_id", "vpc-1"}}, nullptr);
      s.Insert("aws_vpc_route", acct, region,
               {{"route_table_id", "rtb-" + name},
                {"destination_cidr_block", n % 4 ? "10.1.0.0/16" : "0.0.0.0/0"},
                {"vpc_peering_connection_id", "pcx-1"}},
               nullptr);
      break;
    default:
      s.Insert(
          "aws_ebs_snapshot", acct, region,
          {{"snapshot_id", "snap-" + name}, {"is_public", n % 17 == 0}, {"encrypted", n % 2 == 0}},
          nullptr);
  }
}

// One "unit" is ten resources of mixed kinds in one region, plus one from AddOther; units
// are spread over regions.
void AddUnit(bulwark::snapshot::Snapshot& s, int n, const std::string& region) {
  const std::string acct = "111122223333";
  std::string sg = fmt::format("sg-{:08x}", n);
  s.Insert("aws_ec2_security_group", acct, region,
           {{"group_id", sg},
            {"group_name", n % 50 ? "app" : "default"},
            {"arn", "arn:aws:ec2:" + region + ":" + acct + ":security-group/" + sg},
            {"vpc_id", "vpc-1"},
            {"ip_permissions", json::array({{{"IpProtocol", "tcp"}}})},
            {"ip_permissions_egress", json::array()}},
           nullptr);
  for (int r = 0; r < 3; ++r) {
    int port = r == 0 ? 443 : r == 1 ? (n % 7 ? 8080 : 22) : 5432;
    s.Insert("aws_vpc_security_group_rule", acct, region,
             {{"group_id", sg},
              {"group_name", "app"},
              {"is_egress", r == 2 && n % 3},
              {"ip_protocol", "tcp"},
              {"from_port", port},
              {"to_port", port},
              {"cidr_ipv4", n % 5 ? "10.0.0.0/8" : "0.0.0.0/0"}},
             nullptr);
  }
  std::string id = fmt::format("i-{:017x}", n);
  s.Insert("aws_ec2_instance", acct, region,
           {{"instance_id", id},
            {"arn", "arn:aws:ec2:" + region + ":" + acct + ":instance/" + id},
            {"instance_state", "running"},
            {"http_tokens", n % 4 ? "required" : "optional"},
            {"http_endpoint", "enabled"}},
           nullptr);
  std::string vol = fmt::format("vol-{:017x}", n);
  s.Insert("aws_ebs_volume", acct, region,
           {{"volume_id", vol},
            {"arn", "arn:aws:ec2:" + region + ":" + acct + ":volume/" + vol},
            {"encrypted", n % 6 != 0}},
           nullptr);
  std::string bucket = fmt::format("bucket-{}", n);
  json policy = {{"Statement",
                  json::array({{{"Effect", n % 9 ? "Deny" : "Allow"},
                                {"Principal", "*"},
                                {"Action", "s3:*"},
                                {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}}})}};
  s.Insert("aws_s3_bucket", acct, region,
           {{"name", bucket},
            {"arn", "arn:aws:s3:::" + bucket},
            {"policy", policy},
            {"block_public_acls", true},
            {"ignore_public_acls", true},
            {"block_public_policy", n % 2 == 0},
            {"restrict_public_buckets", true},
            {"acl_grants", json::array()}},
           nullptr);
  std::string user = fmt::format("user-{}", n);
  s.Insert("aws_iam_user", acct, "global",
           {{"name", user},
            {"arn", "arn:aws:iam::" + acct + ":user/" + user},
            {"attached_policy_arns", json::array()},
            {"inline_policies", json::array()},
            {"groups", json::array({"devs"})}},
           nullptr);
  s.Insert("aws_iam_access_key", acct, "global",
           {{"access_key_id", fmt::format("AKIA{:016}", n)},
            {"user_name", user},
            {"status", "Active"},
            {"create_date", n % 3 ? "2026-10-01T00:00:00Z" : "2024-01-01T00:00:00Z"}},
           nullptr);
  s.Insert("aws_iam_credential_report", acct, "global",
           {{"user_name", user},
            {"user_arn", "arn:aws:iam::" + acct + ":user/" + user},
            {"password_enabled", n % 2 ? "true" : "false"},
            {"mfa_active", n % 3 == 0},
            {"access_key_1_active", true},
            {"access_key_2_active", n % 11 == 0},
            {"user_creation_time", "2025-01-01T00:00:00+00:00"}},
           nullptr);
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Scan benchmark over a synthetic snapshot"};
  int resources = 50000;
  std::string checks_dir = BULWARK_DEFAULT_CHECKS_DIR;
  app.add_option("--resources", resources, "Approximate number of resources")
      ->capture_default_str();
  app.add_option("--checks-dir", checks_dir, "Directory of check files")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const char* regions[kRegions] = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",   "eu-north-1",
      "ap-south-1",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
      "ap-southeast-2", "sa-east-1"};
  std::string path = (std::filesystem::temp_directory_path() / "bulwark-scan-bench.db").string();
  auto build_start = std::chrono::steady_clock::now();
  auto snap = bulwark::snapshot::Snapshot::Create(path, bulwark::collect::SnapshotSchema());
  if (!snap.ok()) return 1;
  int units = resources / 11;
  for (int n = 0; n < units; ++n) {
    AddUnit(**snap, n, regions[n % kRegions]);
    AddOther(**snap, n, regions[n % kRegions]);
  }
  bulwark::snapshot::SnapshotInfo info;
  info.account_id = "111122223333";
  info.started_at = "2026-11-23T00:00:00Z";
  info.regions.assign(regions, regions + kRegions);
  if (!(*snap)->Finish(info).ok()) return 1;
  double build = Seconds(build_start);

  bulwark::checks::CheckSet set = bulwark::checks::LoadChecks(checks_dir);
  auto ro = bulwark::snapshot::Snapshot::Open(path);
  if (!ro.ok()) return 1;
  auto scan_start = std::chrono::steady_clock::now();
  bulwark::checks::ScanResult result = bulwark::checks::RunChecks((*ro)->db(), set.checks);
  double scan = Seconds(scan_start);
  long fails = 0;
  for (const auto& f : result.findings)
    fails += f.status == bulwark::findings::FindingStatus::kFail;
  std::printf("scan_bench: %d resources in %d regions (snapshot built in %.2f s)\n", units * 11,
              kRegions, build);
  std::printf("  scan: %zu checks in %.3f s on one core, %zu findings (%ld FAIL)\n",
              set.checks.size(), scan, result.findings.size(), fails);
  std::printf("  peak memory (RSS) %.1f MiB\n", PeakRssKb() / 1024.0);
  std::filesystem::remove(path);
  return result.problems.empty() ? 0 : 1;
}
