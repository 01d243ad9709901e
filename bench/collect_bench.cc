// Collection benchmark: a synthetic account of 17 regions and about 2,000 resources served
// by the replay server (in a child process, so its memory and CPU are not counted) with a
// fixed latency per call. Prints wall time, API calls per second, the collector's CPU time
// and peak memory. Collection should be bound by latency and concurrency, not by CPU.
//
//   collect_bench [--latency-ms 50] [--threads 32] [--concurrency 8]
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "aws/client.h"
#include "aws/crypto.h"
#include "cli/query_output.h"
#include "collect/collector.h"
#include "collect/service.h"
#include "support/replay_server.h"

namespace {

using bulwark::testing::Exchange;
using bulwark::testing::ReplayServer;

constexpr int kRegions = 17;
constexpr int kUsers = 100;
constexpr int kBuckets = 50;
constexpr int kGroupsPerRegion = 40;
constexpr int kInstancesPerRegion = 20;
constexpr int kVolumesPerRegion = 30;
constexpr int kVpcsPerRegion = 5;
constexpr int kKeysPerRegion = 5;

const char* kRegionNames[kRegions] = {
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
    "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",   "eu-north-1",
    "ap-south-1",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
    "ap-southeast-2", "sa-east-1"};

Exchange Query(const std::string& service, const std::string& region, const std::string& action,
               const std::string& params, const std::string& result) {
  Exchange e;
  e.service = service;
  e.region = region;
  e.operation = action;
  e.request_body = "Action=" + action + "&Version=x" + params;
  if (service == "ec2") {
    e.response_body = fmt::format("<{0}Response>{1}</{0}Response>", action, result);
  } else {
    e.response_body =
        fmt::format("<{0}Response><{0}Result>{1}</{0}Result></{0}Response>", action, result);
  }
  return e;
}

Exchange Json(const std::string& service, const std::string& region, const std::string& op,
              const std::string& request, const std::string& response) {
  Exchange e;
  e.service = service;
  e.region = region;
  e.operation = op;
  e.request_body = request;
  e.response_body = response;
  e.response_headers["Content-Type"] = "application/x-amz-json-1.1";
  return e;
}

Exchange S3(const std::string& path, int status, const std::string& body) {
  Exchange e;
  e.service = "s3";
  e.region = "us-east-1";
  e.operation = "GET";
  e.method = "GET";
  e.path = path;
  e.status = status;
  e.response_body = body;
  return e;
}

void AddAccount(ReplayServer& s) {
  s.Add(Query("sts", "us-east-1", "GetCallerIdentity", "",
              "<Account>111122223333</Account><Arn>arn:aws:iam::111122223333:user/bench</Arn>"
              "<UserId>AIDABENCH</UserId>"));
  std::string regions;
  for (const char* r : kRegionNames) {
    regions += fmt::format(
        "<item><regionName>{0}</regionName><regionEndpoint>ec2.{0}.amazonaws.com"
        "</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>",
        r);
  }
  s.Add(
      Query("ec2", "us-east-1", "DescribeRegions", "", "<regionInfo>" + regions + "</regionInfo>"));

  s.Add(Query("iam", "us-east-1", "GetAccountSummary", "",
              "<SummaryMap><entry><key>Users</key><value>100</value></entry><entry><key>"
              "AccountMFAEnabled</key><value>1</value></entry></SummaryMap>"));
  Exchange nopolicy = Query("iam", "us-east-1", "GetAccountPasswordPolicy", "", "");
  nopolicy.status = 404;
  nopolicy.response_body =
      "<ErrorResponse><Error><Code>NoSuchEntity</Code><Message>The Password "
      "Policy with domain name 111122223333 cannot be found.</Message></Error></ErrorResponse>";
  s.Add(nopolicy);
  s.Add(Query("iam", "us-east-1", "GenerateCredentialReport", "", "<State>COMPLETE</State>"));
  std::string csv = "user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active\n";
  std::string users, details;
  for (int u = 0; u < kUsers; ++u) {
    std::string name = fmt::format("user-{:03}", u);
    csv += fmt::format(
        "{0},arn:aws:iam::111122223333:user/{0},2025-01-01T00:00:00+00:00,true,false,true\n", name);
    users += fmt::format(
        "<member><UserName>{0}</UserName><UserId>AIDA{1:03}</UserId><Arn>arn:aws:iam::"
        "111122223333:user/{0}</Arn><Path>/</Path><CreateDate>2025-01-01T00:00:00Z"
        "</CreateDate></member>",
        name, u);
    details += fmt::format(
        "<member><UserName>{0}</UserName><UserId>AIDA{1:03}</UserId><Arn>arn:aws:iam::"
        "111122223333:user/{0}</Arn><UserPolicyList><member><PolicyName>p</PolicyName>"
        "<PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</PolicyDocument></member>"
        "</UserPolicyList><GroupList/><AttachedManagedPolicies/></member>",
        name, u);
    std::string key = fmt::format("AKIABENCH{:011}", u);
    s.Add(
        Query("iam", "us-east-1", "ListAccessKeys", "&UserName=" + name,
              fmt::format(
                  "<AccessKeyMetadata><member><UserName>{}</UserName><AccessKeyId>{}</AccessKeyId>"
                  "<Status>Active</Status><CreateDate>2025-01-01T00:00:00Z</CreateDate></member>"
                  "</AccessKeyMetadata><IsTruncated>false</IsTruncated>",
                  name, key)));
    s.Add(
        Query("iam", "us-east-1", "GetAccessKeyLastUsed", "&AccessKeyId=" + key,
              "<AccessKeyLastUsed><LastUsedDate>2026-11-01T00:00:00Z</LastUsedDate><ServiceName>s3"
              "</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>"));
  }
  s.Add(Query("iam", "us-east-1", "GetCredentialReport", "",
              "<Content>" + bulwark::aws::Base64Encode(csv) + "</Content>"));
  s.Add(Query("iam", "us-east-1", "ListUsers", "",
              "<Users>" + users + "</Users><IsTruncated>false</IsTruncated>"));
  s.Add(Query("iam", "us-east-1", "GetAccountAuthorizationDetails", "",
              "<UserDetailList>" + details +
                  "</UserDetailList><GroupDetailList/><RoleDetailList/>"
                  "<Policies/><IsTruncated>false</IsTruncated>"));
  s.Add(Query("iam", "us-east-1", "ListVirtualMFADevices", "",
              "<VirtualMFADevices/><IsTruncated>false</IsTruncated>"));

  std::string buckets;
  for (int b = 0; b < kBuckets; ++b) {
    std::string name = fmt::format("bench-bucket-{:03}", b);
    buckets += fmt::format(
        "<Bucket><Name>{}</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>",
        name);
    const char* region = kRegionNames[b % kRegions];
    s.Add(S3("/" + name + "?location", 200,
             fmt::format("<LocationConstraint>{}</LocationConstraint>",
                         std::string(region) == "us-east-1" ? "" : region)));
    s.Add(S3("/" + name + "?acl", 200,
             "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant><Grantee "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:type=\"CanonicalUser\"><ID>o</ID>"
             "</Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></"
             "AccessControlPolicy>"));
    s.Add(S3("/" + name + "?policy", 404,
             "<Error><Code>NoSuchBucketPolicy</Code><Message>none</Message></Error>"));
    s.Add(S3(
        "/" + name + "?publicAccessBlock", 200,
        "<PublicAccessBlockConfiguration><BlockPublicAcls>true</"
        "BlockPublicAcls><IgnorePublicAcls>true"
        "</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true"
        "</RestrictPublicBuckets></PublicAccessBlockConfiguration>"));
    s.Add(S3("/" + name + "?encryption", 200,
             "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><"
             "SSEAlgorithm>"
             "AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></"
             "ServerSideEncryptionConfiguration>"));
    s.Add(S3("/" + name + "?versioning", 200,
             "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"));
    s.Add(S3("/" + name + "?logging", 200, "<BucketLoggingStatus/>"));
    s.Add(S3("/" + name + "?lifecycle", 404,
             "<Error><Code>NoSuchLifecycleConfiguration</Code><Message>none</Message></Error>"));
  }
  s.Add(Query("iam", "us-east-1", "ListServerCertificates", "",
              "<IsTruncated>false</IsTruncated><ServerCertificateMetadataList/>"));
  s.Add(S3("/", 200,
           "<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>" + buckets +
               "</Buckets></ListAllMyBucketsResult>"));
  Exchange cloudfront =
      S3("/2020-05-31/distribution", 200,
         "<DistributionList><IsTruncated>false</IsTruncated><Quantity>0</Quantity>"
         "</DistributionList>");
  cloudfront.service = "cloudfront";
  s.Add(cloudfront);
  Exchange org = Json("organizations", "us-east-1", "DescribeOrganization", "{}",
                      R"({"__type":"AWSOrganizationsNotInUseException","Message":"not in use"})");
  org.status = 400;
  s.Add(org);
}

void AddRegion(ReplayServer& s, const std::string& r, int index) {
  std::string groups, instances, volumes, vpcs, acls, flows;
  for (int i = 0; i < kGroupsPerRegion; ++i) {
    groups += fmt::format(
        "<item><groupId>sg-{0}{1:04}</groupId><groupName>g{1}</groupName><groupDescription>d</"
        "groupDescription>"
        "<vpcId>vpc-{0}0</vpcId><ownerId>111122223333</"
        "ownerId><ipPermissions><item><ipProtocol>tcp</ipProtocol>"
        "<fromPort>443</fromPort><toPort>443</toPort><ipRanges><item><cidrIp>10.0.0.0/8</cidrIp></"
        "item></ipRanges>"
        "</item></ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</"
        "ipProtocol><ipRanges><item><cidrIp>"
        "0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissionsEgress></item>",
        index, i);
  }
  for (int i = 0; i < kInstancesPerRegion; ++i) {
    instances += fmt::format(
        "<item><reservationId>r-{0}{1}</reservationId><instancesSet><item><instanceId>i-{0}{1:04}</"
        "instanceId>"
        "<instanceType>t3.micro</instanceType><instanceState><code>16</code><name>running</name></"
        "instanceState>"
        "<vpcId>vpc-{0}0</vpcId><metadataOptions><httpTokens>required</"
        "httpTokens><httpEndpoint>enabled"
        "</httpEndpoint></metadataOptions></item></instancesSet></item>",
        index, i);
  }
  for (int i = 0; i < kVolumesPerRegion; ++i) {
    volumes += fmt::format(
        "<item><volumeId>vol-{0}{1:04}</volumeId><size>8</size><encrypted>true</encrypted>"
        "<status>in-use</status><volumeType>gp3</volumeType></item>",
        index, i);
  }
  for (int i = 0; i < kVpcsPerRegion; ++i) {
    vpcs += fmt::format(
        "<item><vpcId>vpc-{0}{1}</vpcId><cidrBlock>10.{1}.0.0/16</cidrBlock><state>available</"
        "state>"
        "<isDefault>false</isDefault></item>",
        index, i);
    acls += fmt::format(
        "<item><networkAclId>acl-{0}{1}</networkAclId><vpcId>vpc-{0}{1}</vpcId><default>true</"
        "default>"
        "<entrySet><item><ruleNumber>100</ruleNumber><protocol>-1</protocol><ruleAction>allow"
        "</ruleAction><egress>false</egress><cidrBlock>0.0.0.0/0</cidrBlock></item></entrySet></"
        "item>",
        index, i);
    flows += fmt::format(
        "<item><flowLogId>fl-{0}{1}</flowLogId><resourceId>vpc-{0}{1}</resourceId><trafficType>ALL"
        "</trafficType><flowLogStatus>ACTIVE</flowLogStatus><logDestinationType>s3"
        "</logDestinationType></item>",
        index, i);
  }
  s.Add(Query("ec2", r, "DescribeSecurityGroups", "",
              "<securityGroupInfo>" + groups + "</securityGroupInfo>"));
  s.Add(Query("ec2", r, "DescribeInstances", "",
              "<reservationSet>" + instances + "</reservationSet>"));
  s.Add(Query("ec2", r, "DescribeVolumes", "", "<volumeSet>" + volumes + "</volumeSet>"));
  s.Add(Query("ec2", r, "DescribeVpcs", "", "<vpcSet>" + vpcs + "</vpcSet>"));
  s.Add(Query("ec2", r, "DescribeNetworkAcls", "", "<networkAclSet>" + acls + "</networkAclSet>"));
  s.Add(Query("ec2", r, "DescribeFlowLogs", "", "<flowLogSet>" + flows + "</flowLogSet>"));
  s.Add(Query("ec2", r, "GetEbsEncryptionByDefault", "",
              "<ebsEncryptionByDefault>true</ebsEncryptionByDefault>"));
  s.Add(Json(
      "cloudtrail", r, "DescribeTrails", "{}",
      R"({"trailList":[{"Name":"org","TrailARN":"arn:aws:cloudtrail:us-east-1:111122223333:trail/org",)"
      R"("HomeRegion":"us-east-1","IsMultiRegionTrail":true,"LogFileValidationEnabled":true}]})"));
  if (r == "us-east-1") {
    s.Add(Json("cloudtrail", r, "GetTrailStatus", "{}", R"({"IsLogging":true})"));
    s.Add(Json("cloudtrail", r, "GetEventSelectors", "{}", R"({"EventSelectors":[]})"));
  }
  std::string keys;
  for (int k = 0; k < kKeysPerRegion; ++k) {
    std::string id = fmt::format("{:08}-0000-0000-0000-{:012}", index, k);
    keys += fmt::format(R"({}{{"KeyId":"{}"}})", k ? "," : "", id);
    s.Add(Json("kms", r, "DescribeKey", fmt::format(R"({{"KeyId":"{}"}})", id),
               fmt::format(
                   R"({{"KeyMetadata":{{"KeyId":"{}","KeyManager":"CUSTOMER","KeyState":"Enabled",)"
                   R"("KeySpec":"SYMMETRIC_DEFAULT","Origin":"AWS_KMS","Enabled":true}}}})",
                   id)));
    s.Add(Json("kms", r, "GetKeyRotationStatus", fmt::format(R"({{"KeyId":"{}"}})", id),
               R"({"KeyRotationEnabled":true})"));
    s.Add(Json("kms", r, "GetKeyPolicy", fmt::format(R"({{"KeyId":"{}"}})", id),
               R"({"Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"})"));
  }
  s.Add(Json("kms", r, "ListKeys", "{}", "{\"Keys\":[" + keys + "],\"Truncated\":false}"));

  // Logging, monitoring and detective services: present but small, as in most regions.
  s.Add(Json(
      "logs", r, "DescribeLogGroups", "{}",
      fmt::format(R"({{"logGroups":[{{"logGroupName":"/aws/lambda/f{0}","arn":"arn:aws:logs:{1}:)"
                  R"(111122223333:log-group:/aws/lambda/f{0}:*","creationTime":1735689600000}}]}})",
                  index, r)));
  s.Add(Json("logs", r, "DescribeMetricFilters", "{}", R"({"metricFilters":[]})"));
  s.Add(Query("monitoring", r, "DescribeAlarms", "", "<MetricAlarms/>"));
  s.Add(Query("sns", r, "ListTopics", "", "<Topics/>"));
  s.Add(Json(
      "config", r, "DescribeConfigurationRecorders", "{}",
      R"({"ConfigurationRecorders":[{"name":"default","roleARN":"arn:aws:iam::111122223333:role/config",)"
      R"("recordingGroup":{"allSupported":true,"includeGlobalResourceTypes":true}}]})"));
  s.Add(Json(
      "config", r, "DescribeConfigurationRecorderStatus", "{}",
      R"({"ConfigurationRecordersStatus":[{"name":"default","recording":true,"lastStatus":"SUCCESS"}]})"));
  Exchange detectors = Json("guardduty", r, "GET", "", R"({"detectorIds":[]})");
  detectors.method = "GET";
  detectors.path = "/detector";
  s.Add(detectors);
  Exchange hub =
      Json("securityhub", r, "GET", "",
           fmt::format(R"({{"HubArn":"arn:aws:securityhub:{}:111122223333:hub/default"}})", r));
  hub.method = "GET";
  hub.path = "/accounts";
  s.Add(hub);
  s.Add(Query("rds", r, "DescribeDBInstances", "", "<DBInstances/>"));
  Exchange efs = Json("elasticfilesystem", r, "GET", "", R"({"FileSystems":[]})");
  efs.method = "GET";
  efs.path = "/2015-02-01/file-systems";
  s.Add(efs);
  s.Add(Query("elasticloadbalancing", r, "DescribeLoadBalancers", "", "<LoadBalancers/>"));
  s.Add(Json("acm", r, "ListCertificates", "{}", R"({"CertificateSummaryList":[]})"));
  std::string subnets, tables;
  for (int v = 0; v < kVpcsPerRegion; ++v) {
    subnets += fmt::format(
        "<item><subnetId>subnet-{0}{1}</subnetId><vpcId>vpc-{0}{1}</vpcId><cidrBlock>10.{1}.0.0/"
        "24</cidrBlock><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch></item>",
        index, v);
    tables += fmt::format(
        "<item><routeTableId>rtb-{0}{1}</routeTableId><vpcId>vpc-{0}{1}</vpcId><routeSet><item>"
        "<destinationCidrBlock>10.{1}.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId>"
        "<state>active</state></item></routeSet><associationSet/></item>",
        index, v);
  }
  s.Add(Query("ec2", r, "DescribeSubnets", "", "<subnetSet>" + subnets + "</subnetSet>"));
  s.Add(
      Query("ec2", r, "DescribeRouteTables", "", "<routeTableSet>" + tables + "</routeTableSet>"));
  s.Add(Query("ec2", r, "DescribeSnapshots", "", "<snapshotSet/>"));
  s.Add(Query("ec2", r, "DescribeImages", "", "<imagesSet/>"));
  auto rest = [&](const std::string& service, const std::string& path, const std::string& body) {
    Exchange e = Json(service, r, "GET", "", body);
    e.method = "GET";
    e.path = path;
    s.Add(e);
  };
  rest("access-analyzer", "/analyzer", R"({"analyzers":[]})");
  rest("lambda", "/2015-03-31/functions/", R"({"Functions":[]})");
  rest("eks", "/clusters", R"({"clusters":[]})");
  s.Add(Json("sqs", r, "ListQueues", "{}", "{}"));
  s.Add(Json("ecr", r, "DescribeRepositories", "{}", R"({"repositories":[]})"));
  s.Add(Json("secretsmanager", r, "ListSecrets", "{}", R"({"SecretList":[]})"));
  s.Add(Json("dynamodb", r, "ListTables", "{}", R"({"TableNames":[]})"));
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Collection benchmark against a loopback server with injected latency"};
  int latency_ms = 50;
  int threads = 64;
  int concurrency = 8;
  app.add_option("--latency-ms", latency_ms, "Latency added to every call")->capture_default_str();
  app.add_option("--threads", threads, "Collector worker threads")->capture_default_str();
  app.add_option("--concurrency", concurrency, "Concurrent calls per service and region")
      ->capture_default_str();
  bool serve = false;
  app.add_flag("--serve", serve,
               "Only serve the synthetic account: print its URL and keep serving until killed "
               "(for benchmarks of whole commands, e.g. bench/watch_bench.sh)");
  CLI11_PARSE(app, argc, argv);
  // Serves the synthetic account, writes its URL and a newline to `fd`, and serves until
  // killed.
  auto serve_on = [latency_ms](int fd) {
    ReplayServer::Options options;
    options.latency_ms = latency_ms;
    options.threads = 256;
    ReplayServer server(options);
    AddAccount(server);
    for (int i = 0; i < kRegions; ++i) AddRegion(server, kRegionNames[i], i);
    std::string url = server.Start() + "\n";
    if (write(fd, url.data(), url.size()) < 0) _exit(1);
    pause();
  };
  if (serve) {
    serve_on(STDOUT_FILENO);
    return 0;
  }

  int pipefd[2];
  if (pipe(pipefd) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {  // the server process
    close(pipefd[0]);
    serve_on(pipefd[1]);  // until the parent kills us
    _exit(0);
  }
  close(pipefd[1]);
  char buf[128] = {0};
  ssize_t n = read(pipefd[0], buf, sizeof buf - 1);
  if (n <= 0) return 1;
  std::string url(buf, static_cast<size_t>(n));
  url.pop_back();

  bulwark::testing::ReplayServer::Options creds_source;
  bulwark::aws::CurlHttpClient http;
  bulwark::aws::StaticCredentialProvider creds(creds_source.credentials);
  bulwark::aws::ClientOptions client_options;
  client_options.endpoint_url = url;
  client_options.max_concurrent_per_service = concurrency;
  bulwark::aws::AwsClient client(http, creds, client_options);
  std::string path = (std::filesystem::temp_directory_path() / "bulwark-collect-bench.db").string();
  auto snap = bulwark::snapshot::Snapshot::Create(path, bulwark::collect::SnapshotSchema());
  if (!snap.ok()) return 1;
  bulwark::collect::CollectOptions options;
  options.all_regions = true;
  options.threads = threads;
  std::ostringstream log;
  bulwark::collect::Progress progress(log, false, true);

  double cpu_before = CpuSeconds();
  auto start = std::chrono::steady_clock::now();
  auto summary = bulwark::collect::Collect(client, **snap, options, progress);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = CpuSeconds() - cpu_before;
  kill(child, SIGTERM);
  waitpid(child, nullptr, 0);
  if (!summary.ok()) {
    std::fprintf(stderr, "collect failed: %s\n", summary.status().ToString().c_str());
    return 1;
  }
  double serial = summary->api_calls * latency_ms / 1000.0;
  std::printf(
      "collect_bench: %d regions, %ld rows, %ld API calls, %ld errors, latency %d ms/call\n",
      kRegions, summary->rows, summary->api_calls, summary->errors, latency_ms);
  std::printf(
      "  wall time          %.2f s   (%.0f calls/s; one call at a time would take %.1f s)\n", wall,
      summary->api_calls / wall, serial);
  std::printf("  collector CPU      %.2f s   (%.0f%% of wall: bound by latency, not CPU)\n", cpu,
              100.0 * cpu / wall);
  std::printf("  peak memory (RSS)  %.1f MiB\n", PeakRssKb() / 1024.0);
  std::printf("  retries %ld; threads %d, concurrency per service and region %d\n",
              summary->retries, threads, concurrency);
  if (summary->errors > 0) {
    auto snap_read = bulwark::snapshot::Snapshot::Open(path);
    if (snap_read.ok()) {
      auto errors = bulwark::cli::RunQuery(
          (*snap_read)->db(),
          "SELECT region, service, operation, error_code FROM collection_errors LIMIT 5");
      if (errors.ok()) bulwark::cli::WriteTable(std::cout, *errors);
    }
  }
  std::filesystem::remove(path);
  return summary->errors == 0 ? 0 : 1;
}
