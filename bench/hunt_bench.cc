// Hunt benchmark: generates a realistic CloudTrail corpus (Records files as AWS writes them
// to S3: varied services, event names, users and roles, regions, error codes) of at least
// 2 GB, gzips a copy, then measures `bulwark hunt` with the built-in rules on the plain and
// gzipped corpus (every core, and one core), and side by side jq and DuckDB doing an
// equivalent filter for a few of the rules, which hunt also runs as one Sigma rule (the
// three must count the same records). jq is timed on a slice of the corpus (it is slow) and
// its rate is per byte; DuckDB runs through node and @duckdb/node-api when they are
// installed (scripts/install-bench-tools.sh), and is skipped with a message otherwise.
//
//   hunt_bench [--gigabytes 2] [--dir /tmp/bulwark-hunt-corpus] [--jq-megabytes 256]
//              [--file-megabytes 8] [--rounds 3]
#include <fmt/format.h>
#include <libdeflate.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "hunt/engine.h"
#include "hunt/sigma.h"
#include "snapshot/snapshot.h"

namespace {

namespace fs = std::filesystem;

struct Name {
  const char* source;
  const char* name;
  int weight;
  bool read_only;
};

// Mostly read-only noise, as in real trails, with rare security-relevant calls.
const Name kNames[] = {
    {"ec2", "DescribeInstances", 120, true},
    {"ec2", "DescribeSecurityGroups", 40, true},
    {"ec2", "DescribeVolumes", 30, true},
    {"s3", "GetObject", 40, true},
    {"s3", "ListBuckets", 20, true},
    {"s3", "GetBucketPolicy", 15, true},
    {"s3", "PutObject", 25, false},
    {"sts", "AssumeRole", 80, true},
    {"sts", "GetCallerIdentity", 30, true},
    {"kms", "Decrypt", 90, true},
    {"kms", "GenerateDataKey", 40, true},
    {"iam", "GetUser", 15, true},
    {"iam", "ListRoles", 10, true},
    {"iam", "ListAttachedRolePolicies", 10, true},
    {"logs", "CreateLogStream", 30, false},
    {"logs", "DescribeLogGroups", 15, true},
    {"lambda", "Invoke", 20, false},
    {"lambda", "ListFunctions20150331", 10, true},
    {"dynamodb", "DescribeTable", 20, true},
    {"cloudwatch", "PutMetricData", 30, false},
    {"ssm", "GetParameter", 30, true},
    {"secretsmanager", "GetSecretValue", 15, true},
    {"ecr", "GetAuthorizationToken", 10, true},
    {"rds", "DescribeDBInstances", 10, true},
    {"cloudtrail", "DescribeTrails", 5, true},
    {"ec2", "RunInstances", 3, false},
    {"ec2", "AuthorizeSecurityGroupIngress", 1, false},
    {"ec2", "CreateRoute", 1, false},
    {"iam", "PutUserPolicy", 1, false},
    {"iam", "AttachRolePolicy", 1, false},
    {"iam", "CreateAccessKey", 1, false},
    {"s3", "PutBucketPolicy", 1, false},
    {"signin", "ConsoleLogin", 2, false},
    {"cloudtrail", "StopLogging", 1, false},
    {"kms", "ScheduleKeyDeletion", 1, false},
};

const char* kRegions[] = {"us-east-1",    "us-east-2",      "us-west-2",      "eu-west-1",
                          "eu-central-1", "ap-southeast-1", "ap-northeast-1", "sa-east-1"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {
    for (const auto& n : kNames) total_ += n.weight;
  }

  void Event(std::string& out, int64_t epoch) {
    const Name& n = Pick();
    int user = Uniform(200);
    bool role = user >= 60;
    bool root = Uniform(20000) == 0;
    // Each principal works in its home region; a few calls go elsewhere.
    std::string region = kRegions[Uniform(50) ? user % 3 : Uniform(8)];
    std::string who;
    if (root) {
      who =
          R"({"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":"ASIAEXAMPLEROOT0001"})";
    } else if (role) {
      who = fmt::format(
          R"({{"type":"AssumedRole","principalId":"AROAEXAMPLE{0:06}:session-{1}","arn":"arn:aws:sts::111122223333:assumed-role/app-role-{0}/session-{1}","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE{1:09}","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"AROAEXAMPLE{0:06}","arn":"arn:aws:iam::111122223333:role/app-role-{0}","accountId":"111122223333","userName":"app-role-{0}"}},"attributes":{{"creationDate":"2026-11-20T08:00:00Z","mfaAuthenticated":"false"}}}}}})",
          user, Uniform(1000000));
    } else {
      who = fmt::format(
          R"({{"type":"IAMUser","principalId":"AIDAEXAMPLE{0:06}","arn":"arn:aws:iam::111122223333:user/user-{0}","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE{0:09}","userName":"user-{0}"}})",
          user);
    }
    bool denied = Uniform(100) < 3;
    std::string error =
        denied
            ? R"(,"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation")"
            : "";
    std::string params = Params(n);
    std::string when = bulwark::snapshot::FormatIso8601(static_cast<std::time_t>(epoch));
    std::string extra;
    if (std::string_view(n.name) == "ConsoleLogin") {
      extra = fmt::format(
          R"(,"additionalEventData":{{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"{}"}},"responseElements":{{"ConsoleLogin":"{}"}})",
          Uniform(3) ? "Yes" : "No", Uniform(5) ? "Success" : "Failure");
    }
    fmt::format_to(
        std::back_inserter(out),
        R"({{"eventVersion":"1.09","userIdentity":{},"eventTime":"{}","eventSource":"{}.amazonaws.com","eventName":"{}","awsRegion":"{}","sourceIPAddress":"{}","userAgent":"{}","requestParameters":{}{}{},"requestID":"{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}","eventID":"{:08x}-{:04x}-4{:03x}-9{:03x}-{:012x}","readOnly":{},"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"{}.{}.amazonaws.com"}}}})",
        who, when, n.source, n.name, region, Ip(user), kAgents[Uniform(4)], params, error, extra,
        Uniform(1u << 31), Uniform(65535), Uniform(4095), Uniform(4095), Uniform64(),
        Uniform(1u << 31), Uniform(65535), Uniform(4095), Uniform(4095), Uniform64(),
        n.read_only ? "true" : "false", n.source, region);
  }

 private:
  static constexpr const char* kAgents[] = {
      "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off "
      "command/ec2.describe-instances",
      "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.4",
      "Boto3/1.34.61 md/Botocore#1.34.61 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 "
      "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.61",
      "console.amazonaws.com"};

  const Name& Pick() {
    int r = Uniform(total_);
    for (const auto& n : kNames) {
      if (r < n.weight) return n;
      r -= n.weight;
    }
    return kNames[0];
  }
  int Uniform(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  uint32_t Uniform(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  uint64_t Uniform64() { return rng_() & 0xffffffffffffULL; }
  std::string Ip(int user) {
    if (Uniform(50) == 0) return fmt::format("198.51.100.{}", Uniform(250));
    return user % 3 ? fmt::format("10.{}.{}.{}", user % 7, user % 250, 10 + user % 200)
                    : fmt::format("203.0.113.{}", user % 250);
  }
  std::string Params(const Name& n) {
    std::string_view name = n.name;
    if (name == "GetObject" || name == "PutObject") {
      return fmt::format(
          R"({{"bucketName":"data-{}","key":"objects/{}/{}.parquet","Host":"data-{}.s3.amazonaws.com"}})",
          Uniform(20), Uniform(1000), Uniform(100000), Uniform(20));
    }
    if (name == "AssumeRole") {
      return fmt::format(
          R"({{"roleArn":"arn:aws:iam::111122223333:role/app-role-{}","roleSessionName":"session-{}","durationSeconds":3600}})",
          Uniform(140), Uniform(100000));
    }
    if (name == "Decrypt" || name == "GenerateDataKey") {
      return fmt::format(
          R"({{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{{"aws:lambda:FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:fn-{}"}}}})",
          Uniform(50));
    }
    if (name == "DescribeInstances") {
      return fmt::format(
          R"({{"instancesSet":{{"items":[{{"instanceId":"i-{:017x}"}}]}},"filterSet":{{}}}})",
          Uniform64());
    }
    if (name == "PutBucketPolicy") {
      return Uniform(4)
                 ? R"({"bucketName":"data-3","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data-3/*"}]},"policy":""})"
                 : R"({"bucketName":"data-3","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-3/*"}]},"policy":""})";
    }
    if (name == "AttachRolePolicy") {
      return fmt::format(R"({{"roleName":"app-role-{}","policyArn":"arn:aws:iam::aws:policy/{}"}})",
                         Uniform(140), Uniform(5) ? "ReadOnlyAccess" : "AdministratorAccess");
    }
    if (name == "CreateAccessKey") return fmt::format(R"({{"userName":"user-{}"}})", Uniform(60));
    if (name == "AuthorizeSecurityGroupIngress") {
      return R"({"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}})";
    }
    if (n.read_only) return "null";
    return fmt::format(R"({{"name":"resource-{}"}})", Uniform(1000));
  }

  std::mt19937_64 rng_;
  int total_ = 0;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

uint64_t DirBytes(const fs::path& dir) {
  uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) n += e.file_size();
  }
  return n;
}

// The best (shortest) and the median of a contender's rounds.
struct Times {
  explicit Times(std::vector<double> seconds) {
    std::sort(seconds.begin(), seconds.end());
    best = seconds.front();
    median = seconds[seconds.size() / 2];
  }
  double best = 0;
  double median = 0;
};

// Runs a shell command, returning its wall time in seconds, or -1 when it failed.
double TimeCommand(const std::string& cmd) {
  auto start = std::chrono::steady_clock::now();
  int rc = std::system(cmd.c_str());
  double s = Seconds(start);
  return rc == 0 ? s : -1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Hunt benchmark"};
  double gigabytes = 2.0;
  std::string dir = (fs::temp_directory_path() / "bulwark-hunt-corpus").string();
  double jq_megabytes = 256;
  double file_megabytes = 8;
  std::string rules_dir = BULWARK_DEFAULT_RULES_DIR;
  std::string node_modules = BULWARK_BENCH_NODE_MODULES;
  app.add_option("--gigabytes", gigabytes, "Uncompressed corpus size")->capture_default_str();
  app.add_option("--dir", dir, "Where the corpus is generated (kept for reuse)")
      ->capture_default_str();
  app.add_option("--jq-megabytes", jq_megabytes, "Slice of the corpus jq is timed on")
      ->capture_default_str();
  app.add_option("--file-megabytes", file_megabytes, "Size of each Records file")
      ->capture_default_str();
  app.add_option("--rules", rules_dir, "Rules")->capture_default_str();
  app.add_option("--node-modules", node_modules, "Where @duckdb/node-api is installed")
      ->capture_default_str();
  int rounds = 3;
  app.add_option("--rounds", rounds, "Times each contender runs")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);

  const uint64_t target = static_cast<uint64_t>(gigabytes * 1e9);
  const auto file_bytes = static_cast<size_t>(file_megabytes * (1 << 20));
  fs::path plain = fs::path(dir) / "plain/AWSLogs/111122223333/CloudTrail";
  fs::path gz = fs::path(dir) / "gz/AWSLogs/111122223333/CloudTrail";
  uint64_t have = fs::exists(plain) ? DirBytes(plain) : 0;
  if (have < target) {
    fs::remove_all(dir);
    fs::create_directories(plain);
    fs::create_directories(gz);
    auto start = std::chrono::steady_clock::now();
    size_t files = static_cast<size_t>((target + file_bytes - 1) / file_bytes);
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        libdeflate_compressor* c = libdeflate_alloc_compressor(6);
        for (size_t f = next++; f < files; f = next++) {
          Generator g(0x5eed0000 + f);
          std::string body = "{\"Records\":[";
          int64_t epoch = 1795132800 + static_cast<int64_t>(f) * 120;
          bool first = true;
          while (body.size() < file_bytes) {
            if (!first) body += ',';
            first = false;
            g.Event(body, epoch++);
          }
          body += "]}\n";
          std::string name =
              fmt::format("111122223333_CloudTrail_{}_{:06}.json", kRegions[f % 8], f);
          std::ofstream(plain / name, std::ios::binary) << body;
          std::string out(libdeflate_gzip_compress_bound(c, body.size()), '\0');
          size_t n = libdeflate_gzip_compress(c, body.data(), body.size(), out.data(), out.size());
          out.resize(n);
          std::ofstream(gz / (name + ".gz"), std::ios::binary) << out;
        }
        libdeflate_free_compressor(c);
        (void)t;
      });
    }
    for (auto& t : pool) t.join();
    std::printf("corpus: generated %zu files in %.1f s\n", files, Seconds(start));
  }
  uint64_t plain_bytes = DirBytes(plain), gz_bytes = DirBytes(gz);

  bulwark::hunt::RuleSet rules;
  bulwark::hunt::LoadRules(rules_dir, rules);
  bulwark::hunt::ResolveCorrelations(rules);
  std::vector<bulwark::hunt::InputProblem> problems;
  std::vector<std::string> plain_files = bulwark::hunt::ExpandInputs({plain.string()}, problems);
  std::vector<std::string> gz_files = bulwark::hunt::ExpandInputs({gz.string()}, problems);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());

  auto run = [&](const std::vector<std::string>& files, int threads) {
    bulwark::hunt::HuntOptions o;
    o.threads = threads;
    return bulwark::hunt::Hunt(rules, files, o);
  };
  std::printf("corpus: %.2f GB in %zu Records files (%.2f GB gzipped), %zu rules, %u cores\n",
              plain_bytes / 1e9, plain_files.size(), gz_bytes / 1e9, rules.rules.size(), cores);
  // Files in the page cache, as for every run after the first: read them once untimed.
  for (const auto* files : {&plain_files, &gz_files}) {
    std::vector<char> sink(1 << 20);
    for (const auto& f : *files) {
      std::ifstream in(f, std::ios::binary);
      while (in.read(sink.data(), static_cast<std::streamsize>(sink.size()))) {
      }
    }
  }
  // The filter jq and DuckDB run: root activity, console logins without MFA, CloudTrail
  // stopped or deleted, KMS keys scheduled for deletion. hunt runs it too, as one Sigma
  // rule, and the three must count the same records.
  uint64_t slice = 0;
  std::string slice_files;
  std::vector<std::string> slice_list;
  for (const auto& f : plain_files) {
    if (slice >= jq_megabytes * 1e6) break;
    slice += fs::file_size(f);
    slice_files += " '" + f + "'";
    slice_list.push_back(f);
  }
  bulwark::hunt::RuleSet filter;
  bulwark::hunt::LoadRuleText(
      "title: the benchmark's filter\n"
      "logsource: {product: aws, service: cloudtrail}\n"
      "detection:\n"
      "  root: {userIdentity.type: Root}\n"
      "  console: {eventName: ConsoleLogin, additionalEventData.MFAUsed: 'No'}\n"
      "  trail: {eventSource: cloudtrail.amazonaws.com, eventName: [StopLogging, DeleteTrail]}\n"
      "  kms: {eventName: ScheduleKeyDeletion}\n"
      "  condition: 1 of them\n",
      "filter.yml", filter);
  bulwark::hunt::ResolveCorrelations(filter);
  if (!filter.problems.empty() || filter.rules.size() != 1) {
    std::fprintf(stderr, "the benchmark's filter rule does not load\n");
    return 1;
  }
  auto run_filter = [&](const std::vector<std::string>& files) {
    bulwark::hunt::HuntOptions o;
    o.threads = 0;
    return bulwark::hunt::Hunt(filter, files, o);
  };
  std::string jq_filter =
      ".Records[] | select(.userIdentity.type == \"Root\" or (.eventName == \"ConsoleLogin\" and "
      ".additionalEventData.MFAUsed == \"No\") or (.eventSource == \"cloudtrail.amazonaws.com\" "
      "and (.eventName == \"StopLogging\" or .eventName == \"DeleteTrail\")) or .eventName == "
      "\"ScheduleKeyDeletion\") | .eventID";
  const bool have_jq = std::system("command -v jq >/dev/null 2>&1") == 0;
  fs::path duck = fs::path(node_modules) / "@duckdb/node-api";
  const bool have_duck = fs::exists(duck) && std::system("command -v node >/dev/null 2>&1") == 0;
  fs::path script = fs::path(dir) / "duck.mjs";
  if (have_duck) {
    std::ofstream(script) << fmt::format(R"(
import {{ DuckDBInstance }} from '{}/index.js';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const r = await c.runAndReadAll(`
  SELECT count(*) FROM (
    SELECT unnest(Records) AS r
    FROM read_json('{}/*.json', columns={{'Records': 'JSON[]'}}, maximum_object_size=67108864))
  WHERE json_extract_string(r, '$.userIdentity.type') = 'Root'
     OR (json_extract_string(r, '$.eventName') = 'ConsoleLogin'
         AND json_extract_string(r, '$.additionalEventData.MFAUsed') = 'No')
     OR (json_extract_string(r, '$.eventSource') = 'cloudtrail.amazonaws.com'
         AND json_extract_string(r, '$.eventName') IN ('StopLogging', 'DeleteTrail'))
     OR json_extract_string(r, '$.eventName') = 'ScheduleKeyDeletion'`);
console.log(r.getRows()[0][0].toString());
)",
                                         (fs::path(node_modules) / "@duckdb/node-api/lib").string(),
                                         plain.string());
  }

  // Every contender runs once per round, one after another, so that the machine's drift
  // touches them alike; each is reported by its best round and its median.
  std::vector<double> all_s, one_s, gz_s, filter_s, jq_s, duck_s;
  size_t alerts = 0, gz_alerts = 0, filter_matches = 0;
  const fs::path jq_out = fs::path(dir) / "jq.out", duck_out = fs::path(dir) / "duck.out";
  double events = 0;
  for (int round = 0; round < rounds; ++round) {
    auto all = run(plain_files, 0);
    all_s.push_back(all.stats.seconds);
    alerts = all.alerts.size();
    events = static_cast<double>(all.stats.events);
    one_s.push_back(run(plain_files, 1).stats.seconds);
    auto zipped = run(gz_files, 0);
    gz_s.push_back(zipped.stats.seconds);
    gz_alerts = zipped.alerts.size();
    auto filtered = run_filter(plain_files);
    filter_s.push_back(filtered.stats.seconds);
    filter_matches = filtered.alerts.size();
    if (have_jq) {
      jq_s.push_back(
          TimeCommand("jq -c '" + jq_filter + "'" + slice_files + " > '" + jq_out.string() + "'"));
    }
    if (have_duck) {
      duck_s.push_back(TimeCommand("node '" + script.string() + "' > '" + duck_out.string() + "'"));
    }
    std::fprintf(stderr, "round %d of %d done\n", round + 1, rounds);
  }
  const Times all{all_s}, one{one_s}, zipped{gz_s};
  std::printf("%d rounds; each figure is the best round's, the median's in brackets\n", rounds);
  std::printf(
      "(a) hunt, built-in rules, %u cores: %.2f s, %.2f GB/s (%.2f), %.1f M events/s, %zu "
      "alerts\n",
      cores, all.best, plain_bytes / 1e9 / all.best, plain_bytes / 1e9 / all.median,
      events / 1e6 / all.best, alerts);
  std::printf(
      "    hunt, built-in rules, 1 core:  %.2f s, %.2f GB/s per core (%.2f), %.1f M events/s\n",
      one.best, plain_bytes / 1e9 / one.best, plain_bytes / 1e9 / one.median,
      events / 1e6 / one.best);
  std::printf(
      "(b) hunt, gzipped corpus, %u cores: %.2f s, %.2f GB/s of JSON (%.2f; %.2f GB/s read), %zu "
      "alerts\n",
      cores, zipped.best, plain_bytes / 1e9 / zipped.best, plain_bytes / 1e9 / zipped.median,
      gz_bytes / 1e9 / zipped.best, gz_alerts);
  const Times same{filter_s};
  std::printf(
      "(e) hunt, the filter below as one rule, %u cores: %.2f s, %.2f GB/s (%.2f), %zu records\n",
      cores, same.best, plain_bytes / 1e9 / same.best, plain_bytes / 1e9 / same.median,
      filter_matches);
  // Rates per byte, compared with hunt's on every core (with the built-in rules, then with the
  // same filter), best with best and median with median.
  auto compare = [&](const char* what, const std::vector<double>& seconds, double bytes) {
    if (std::any_of(seconds.begin(), seconds.end(), [](double x) { return x <= 0; })) {
      std::printf("%s failed\n", what);
      return;
    }
    const Times t{seconds};
    const double best = bytes / t.best, median = bytes / t.median;
    std::printf(
        "%s on %.0f MB: %.2f s, %.3f GB/s (%.3f): hunt with the built-in rules is %.1fx faster "
        "(%.1fx), with the same filter %.1fx (%.1fx)\n",
        what, bytes / 1e6, t.best, best / 1e9, median / 1e9, plain_bytes / all.best / best,
        plain_bytes / all.median / median, plain_bytes / same.best / best,
        plain_bytes / same.median / median);
  };
  // What each counted: the records hunt's filter rule matched, on the same files.
  auto agree = [](const char* who, size_t theirs, size_t ours) {
    std::printf("    %s counted %zu records, hunt %zu: %s\n", who, theirs, ours,
                theirs == ours ? "the same" : "NOT THE SAME");
  };
  if (have_jq) {
    compare("(c) jq (one process, the filter above)", jq_s, static_cast<double>(slice));
    size_t lines = 0;
    std::ifstream in(jq_out);
    for (std::string line; std::getline(in, line);) ++lines;
    agree("jq", lines, run_filter(slice_list).alerts.size());
  } else {
    std::printf("(c) jq not installed: skipped\n");
  }
  if (have_duck) {
    compare(fmt::format("(d) DuckDB ({} cores, read_json + JSON filter)", cores).c_str(), duck_s,
            static_cast<double>(plain_bytes));
    size_t counted = 0;
    std::ifstream(duck_out) >> counted;
    agree("DuckDB", counted, filter_matches);
  } else {
    std::printf(
        "(d) DuckDB skipped: run scripts/install-bench-tools.sh for node and @duckdb/node-api\n");
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("peak memory (RSS) %.0f MiB\n", u.ru_maxrss / 1024.0);
  return 0;
}
