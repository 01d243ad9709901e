// End to end: `collect` against a loopback server replaying the demo account's exchanges
// (examples/demo-account: recorded AWS responses and hand-made ones), which verifies the
// SigV4 signature of every request. Checks the snapshot's contents, failure recording,
// retries, disabled regions, and that no secret reaches the snapshot.
#include <gtest/gtest.h>

#include <sstream>

#include "aws/client.h"
#include "aws/crypto.h"
#include "aws/xml_json.h"
#include "checks/sql_functions.h"
#include "cli/query_output.h"
#include "collect/collector.h"
#include "collect/service.h"
#include "support/fixtures.h"
#include "support/replay_server.h"

namespace bulwark::collect {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReplayServer;

const aws::Credentials kCreds{"AKIDREPLAYEXAMPLE", "replay/secret/key/EXAMPLEKEY",
                              "session-token-xyz", 0, "test"};

class CollectReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ReplayServer::Options opts;
    opts.credentials = kCreds;
    server_ = std::make_unique<ReplayServer>(opts);
    ASSERT_TRUE(server_->LoadDirectory(testing::SourceDir() / "examples/demo-account").ok());
    dir_ = fs::temp_directory_path() /
           ("bulwark-collect-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = (dir_ / "snap.db").string();
  }
  void TearDown() override {
    server_->Stop();
    fs::remove_all(dir_);
  }

  Result<CollectSummary> Run(std::vector<std::string> regions, aws::Credentials creds = kCreds) {
    std::string url = started_ ? url_ : (url_ = server_->Start());
    started_ = true;
    aws::StaticCredentialProvider provider(creds);
    aws::ClientOptions copts;
    copts.endpoint_url = url;
    copts.sleep = [](double) {};
    aws::AwsClient client(http_, provider, copts);
    auto snap = snapshot::Snapshot::Create(path_, collect::SnapshotSchema());
    EXPECT_TRUE(snap.ok());
    CollectOptions options;
    options.regions = std::move(regions);
    options.home_region = options.regions.front();
    options.sleep = [](double) {};
    std::ostringstream log;
    Progress progress(log, false);
    Result<CollectSummary> r = Collect(client, **snap, options, progress);
    progress_log_ = log.str();
    return r;
  }

  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    auto snap = snapshot::Snapshot::Open(path_);
    EXPECT_TRUE(snap.ok()) << snap.status().message();
    std::string error;
    EXPECT_TRUE(checks::RegisterSqlFunctions((*snap)->db(), &error)) << error;
    Result<cli::QueryResult> r = cli::RunQuery((*snap)->db(), sql);
    EXPECT_TRUE(r.ok()) << r.status().message() << " in " << sql;
    std::vector<std::vector<std::string>> out;
    for (const auto& row : r->rows) {
      std::vector<std::string> cells;
      for (const auto& c : row) cells.push_back(c ? *c : "NULL");
      out.push_back(cells);
    }
    return out;
  }
  std::string One(const std::string& sql) {
    auto rows = Rows(sql);
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? "" : rows[0][0];
  }

  fs::path dir_;
  std::string path_;
  std::string url_;
  bool started_ = false;
  std::string progress_log_;
  aws::CurlHttpClient http_;
  std::unique_ptr<ReplayServer> server_;
};

TEST_F(CollectReplayTest, CollectsTheDemoAccount) {
  Result<CollectSummary> r = Run({"us-east-1", "eu-west-1"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->account_id, "123456789012");
  for (const auto& p : server_->problems()) ADD_FAILURE() << "replay server: " << p;
  for (const auto& req : server_->received()) {
    EXPECT_TRUE(req.signature_ok) << req.service << ":" << req.operation;
    EXPECT_TRUE(req.had_session_token) << req.service << ":" << req.operation;
  }
  EXPECT_EQ(Rows("SELECT * FROM collection_errors").size(), 0u);

  // Account level.
  EXPECT_EQ(One("SELECT account_id || ' ' || arn FROM aws_account"),
            "123456789012 arn:aws:iam::123456789012:user/reader");
  EXPECT_EQ(One("SELECT count(*) FROM aws_region WHERE opt_in_status = 'not-opted-in'"), "6");
  EXPECT_EQ(One("SELECT users || '/' || account_mfa_enabled FROM aws_iam_account_summary"), "4/0");
  EXPECT_EQ(One("SELECT minimum_password_length || ' ' || require_symbols FROM "
                "aws_iam_account_password_policy"),
            "10 1");
  // Four users and the root user's row.
  EXPECT_EQ(One("SELECT count(*) FROM aws_iam_credential_report"), "5");
  EXPECT_EQ(One("SELECT access_key_1_active FROM aws_iam_credential_report WHERE user_name = "
                "'<root_account>'"),
            "1");
  EXPECT_EQ(
      One("SELECT password_enabled FROM aws_iam_credential_report WHERE user_name = 'ops-admin'"),
      "true");
  EXPECT_EQ(One("SELECT name FROM aws_iam_user, json_each(attached_policy_arns) "
                "WHERE json_each.value = 'arn:aws:iam::aws:policy/AdministratorAccess'"),
            "ops-admin");
  EXPECT_EQ(One("SELECT json_extract(inline_policies, "
                "'$[0].PolicyDocument.Statement[0].Condition.IpAddress') "
                "FROM aws_iam_user WHERE name = 'ci-bot'"),
            R"({"aws:SourceIp":"192.0.2.0/24"})");
  EXPECT_EQ(One("SELECT json_extract(assume_role_policy, '$.Statement[0].Principal.Service') FROM "
                "aws_iam_role"),
            "lambda.amazonaws.com");
  EXPECT_EQ(One("SELECT groups FROM aws_iam_user WHERE name = 'analyst'"), R"(["analysts"])");
  EXPECT_EQ(One("SELECT json_extract(policy, '$.Statement[0].Action') FROM aws_iam_policy "
                "WHERE arn = 'arn:aws:iam::aws:policy/AdministratorAccess'"),
            "*");
  EXPECT_EQ(One("SELECT count(*) FROM aws_iam_access_key"), "3");
  EXPECT_EQ(
      One("SELECT access_key_last_used_date FROM aws_iam_access_key WHERE user_name = 'ci-bot'"),
      "2026-11-20T09:12:00Z");

  // Per region.
  EXPECT_EQ(Rows("SELECT region FROM aws_vpc_security_group_rule WHERE NOT is_egress AND "
                 "cidr_ipv4 = '0.0.0.0/0' AND from_port <= 22 AND to_port >= 22 ORDER BY region"),
            (std::vector<std::vector<std::string>>{{"eu-west-1"}, {"us-east-1"}}));
  EXPECT_EQ(One("SELECT http_tokens FROM aws_ec2_instance"), "required");
  EXPECT_EQ(One("SELECT count(*) || '/' || sum(encrypted) FROM aws_ebs_volume"), "3/2");
  EXPECT_EQ(One("SELECT count(*) FROM aws_vpc_flow_log"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM aws_ec2_regional_settings"), "2");
  // The emulator lists other owners' snapshots too: only the account's public one is kept.
  EXPECT_EQ(One("SELECT snapshot_id || ' ' || is_public || encrypted FROM aws_ebs_snapshot"),
            "snap-0f1e2d3c4b5a69788 10");
  EXPECT_EQ(One("SELECT region || ' ' || name || ' ' || public FROM aws_ec2_ami"),
            "us-east-1 acme-base-2026-10 0");
  EXPECT_EQ(One("SELECT count(*) FROM aws_vpc_subnet WHERE map_public_ip_on_launch"), "9");
  EXPECT_EQ(One("SELECT gateway_id FROM aws_vpc_route WHERE region = 'us-east-1' AND "
                "destination_cidr_block = '172.31.0.0/16'"),
            "local");
  EXPECT_EQ(One("SELECT count(*) FROM aws_vpc_route_table WHERE is_main"), "2");
  EXPECT_EQ(
      One("SELECT count(*) FROM aws_vpc_network_acl_entry WHERE rule_action = 'allow'") != "0",
      true);
  EXPECT_EQ(One("SELECT name || ' ' || is_multi_region_trail || log_file_validation_enabled || "
                "is_logging "
                "FROM aws_cloudtrail_trail"),
            "acme-org-trail 111");
  EXPECT_EQ(One("SELECT count(*) FROM aws_kms_key WHERE region = 'us-east-1'"), "3");
  EXPECT_EQ(One("SELECT group_concat(key_rotation_enabled) FROM (SELECT key_rotation_enabled FROM "
                "aws_kms_key "
                "WHERE description LIKE 'acme-%rotated' ORDER BY 1)"),
            "0");
  EXPECT_EQ(One("SELECT key_state || ' ' || ifnull(key_rotation_enabled, 'n/a') FROM aws_kms_key "
                "WHERE region = 'eu-west-1'"),
            "PendingDeletion n/a");

  // S3, each bucket in its own region.
  EXPECT_EQ(One("SELECT region FROM aws_s3_bucket WHERE name = 'acme-archive'"), "eu-west-1");
  EXPECT_EQ(One("SELECT json_extract(policy, '$.Statement[0].Principal') FROM aws_s3_bucket WHERE "
                "name = 'acme-web'"),
            "*");
  EXPECT_EQ(
      One("SELECT ifnull(block_public_acls, 'none') FROM aws_s3_bucket WHERE name = 'acme-web'"),
      "none");
  EXPECT_EQ(One("SELECT block_public_policy FROM aws_s3_bucket WHERE name = 'acme-logs'"), "1");
  EXPECT_EQ(One("SELECT json_extract(server_side_encryption_configuration, "
                "'$.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm') FROM aws_s3_bucket "
                "WHERE name = 'acme-logs'"),
            "AES256");
  EXPECT_EQ(One("SELECT logging_target_bucket FROM aws_s3_bucket WHERE name = 'acme-web'"),
            "acme-logs");
  EXPECT_EQ(One("SELECT json_extract(lifecycle_rules, '$[0].ExpirationDays') || ' ' || "
                "json_array_length(lifecycle_rules) FROM aws_s3_bucket WHERE name = 'acme-logs'"),
            "2555 1");
  EXPECT_EQ(One("SELECT lifecycle_rules FROM aws_s3_bucket WHERE name = 'acme-web'"), "[]");
  EXPECT_EQ(One("SELECT runtime || ' ' || url_auth_type || ' ' || policy_allows_public(policy) || "
                "' ' || environment_variable_names FROM aws_lambda_function"),
            R"(python3.8 NONE 1 ["API_TOKEN","BUCKET"])");
  EXPECT_EQ(One("SELECT endpoint_public_access || ' ' || public_access_cidrs || ' ' || "
                "enabled_log_types || ' ' || secrets_encrypted FROM aws_eks_cluster"),
            R"(1 ["0.0.0.0/0"] ["api"] 0)");
  EXPECT_EQ(One("SELECT name || ' ' || sqs_managed_sse_enabled || ' ' || ifnull(policy, 'none') "
                "FROM aws_sqs_queue"),
            "acme-jobs 1 none");
  EXPECT_EQ(One("SELECT name || ' ' || scan_on_push || ' ' || image_tag_mutability || ' ' || "
                "ifnull(policy, 'none') FROM aws_ecr_repository"),
            "acme/app 0 MUTABLE none");
  EXPECT_EQ(One("SELECT name || ' ' || rotation_enabled || ' ' || created_date FROM "
                "aws_secretsmanager_secret"),
            "acme/db-password 0 2025-01-01T00:00:00Z");
  EXPECT_EQ(
      One("SELECT name || ' ' || point_in_time_recovery || ' ' || ifnull(sse_type, 'default') "
          "FROM aws_dynamodb_table"),
      "acme-sessions 0 default");
  EXPECT_EQ(One("SELECT owner || ' ' || ifnull(kms_master_key_id, 'plain') || ' ' || "
                "json_extract(policy, '$.Statement[0].Condition.StringEquals.\"AWS:SourceOwner\"') "
                "FROM aws_sns_topic"),
            "123456789012 plain 123456789012");
  EXPECT_EQ(One("SELECT region || ' ' || type || ' ' || status FROM aws_accessanalyzer_analyzer"),
            "us-east-1 ACCOUNT ACTIVE");
  EXPECT_EQ(One("SELECT name || ' ' || expiration FROM aws_iam_server_certificate"),
            "legacy-web-2024 2025-02-01T23:59:59Z");

  // Logging and monitoring, detective services, data stores, the edge.
  EXPECT_EQ(One("SELECT count(*) FROM aws_cloudwatch_log_group"), "30");  // three pages
  EXPECT_EQ(One("SELECT log_group_name || ' ' || metric_transformation_name FROM "
                "aws_cloudwatch_log_metric_filter"),
            "/acme/app-1 RootUsage");
  EXPECT_EQ(One("SELECT metric_name || ' ' || json_extract(alarm_actions, '$[0]') FROM "
                "aws_cloudwatch_alarm"),
            "RootUsage arn:aws:sns:us-east-1:123456789012:acme-security");
  EXPECT_EQ(One("SELECT protocol || ' ' || endpoint FROM aws_sns_topic_subscription"),
            "email sec@example.com");
  EXPECT_EQ(One("SELECT count(*) FROM aws_config_configuration_recorder"), "0");
  EXPECT_EQ(One("SELECT region || ' ' || status FROM aws_guardduty_detector"), "us-east-1 ENABLED");
  EXPECT_EQ(One("SELECT group_concat(enabled) FROM aws_securityhub_hub"), "0,0");
  EXPECT_EQ(Rows("SELECT region, publicly_accessible, endpoint_port FROM aws_rds_db_instance ORDER "
                 "BY region")[0],
            (std::vector<std::string>{"us-east-1", "1", "5432"}));
  EXPECT_EQ(One("SELECT count(*) FROM aws_efs_file_system"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM aws_ec2_load_balancer"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM aws_cloudfront_distribution"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM aws_organizations_organization"), "0");  // not in use
  EXPECT_EQ(One("SELECT count(*) FROM aws_acm_certificate"), "0");

  EXPECT_EQ(One("SELECT account_id || ' ' || regions FROM snapshot_info"),
            R"(123456789012 ["us-east-1","eu-west-1"])");
}

TEST_F(CollectReplayTest, NoSecretReachesTheSnapshotOrTheLog) {
  ASSERT_TRUE(Run({"us-east-1"}).ok());
  std::string all;
  for (const auto& row : Rows("SELECT name FROM sqlite_master WHERE type = 'table'")) {
    for (const auto& r : Rows("SELECT * FROM " + row[0])) {
      for (const auto& c : r) all += c + "\n";
    }
  }
  EXPECT_GT(all.size(), 1000u);
  // Lambda environment variable values are secrets of the account's own: names only.
  for (const std::string& secret :
       {kCreds.secret_access_key, kCreds.session_token, std::string("do-not-store-this-value")}) {
    EXPECT_EQ(all.find(secret), std::string::npos);
    EXPECT_EQ(progress_log_.find(secret), std::string::npos);
  }
}

TEST_F(CollectReplayTest, AFailedCallIsRecordedAndTheRestGoesOn) {
  server_->AddFault(
      {"ec2", "DescribeFlowLogs", 1, 403,
       "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not "
       "authorized to perform this operation.</Message></Error></Errors></Response>"});
  Result<CollectSummary> r = Run({"us-east-1"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->errors, 1);
  auto errors = Rows(
      "SELECT service, operation, region, error_code, http_status, message FROM collection_errors");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0][0], "ec2");
  EXPECT_EQ(errors[0][1], "DescribeFlowLogs");
  EXPECT_EQ(errors[0][2], "us-east-1");
  EXPECT_EQ(errors[0][3], "UnauthorizedOperation");
  EXPECT_EQ(errors[0][4], "403");
  EXPECT_NE(errors[0][5].find("ec2:DescribeFlowLogs in us-east-1"), std::string::npos);
  EXPECT_EQ(One("SELECT count(*) FROM aws_vpc_flow_log"), "0");
  EXPECT_EQ(One("SELECT count(*) FROM aws_ec2_security_group"), "2");  // the rest was collected
  EXPECT_NE(progress_log_.find("UnauthorizedOperation"), std::string::npos);
}

TEST_F(CollectReplayTest, AFailureAboutOneResourceNamesIt) {
  server_->AddFault({"dynamodb", "DescribeContinuousBackups", 1, 400,
                     R"({"__type":"AccessDeniedException","message":"denied"})",
                     "application/x-amz-json-1.0"});
  Result<CollectSummary> r = Run({"us-east-1"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(One("SELECT operation || ' ' || error_code || ' ' || resource_id FROM "
                "collection_errors"),
            "DescribeContinuousBackups AccessDeniedException acme-sessions");
  // The table itself is kept, its unknown backup setting left NULL.
  EXPECT_EQ(One("SELECT name || ' ' || ifnull(point_in_time_recovery, 'unknown') FROM "
                "aws_dynamodb_table"),
            "acme-sessions unknown");
}

TEST_F(CollectReplayTest, MalformedResponsesAreRecordedWithTheCallNamed) {
  server_->AddFault(
      {"ec2", "DescribeVolumes", 1, 200, "<DescribeVolumesResponse><volumeSet><item>"});
  server_->AddFault(
      {"kms", "ListKeys", 1, 200, R"({"Keys": [{"KeyId": )", "application/x-amz-json-1.1"});
  Result<CollectSummary> r = Run({"us-east-1"});
  ASSERT_TRUE(r.ok());
  auto errors = Rows(
      "SELECT service || ':' || operation, error_code, message FROM collection_errors "
      "ORDER BY 1");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0][0], "ec2:DescribeVolumes");
  EXPECT_EQ(errors[0][1], "MalformedResponse");
  EXPECT_NE(errors[0][2].find("ec2:DescribeVolumes in us-east-1: response is not valid XML"),
            std::string::npos);
  EXPECT_EQ(errors[1][0], "kms:ListKeys");
  EXPECT_NE(errors[1][2].find("not valid JSON"), std::string::npos);
  EXPECT_EQ(One("SELECT count(*) FROM aws_vpc"), "1");  // everything else still collected
}

TEST_F(CollectReplayTest, ThrottlingIsRetriedTransparently) {
  server_->AddFault(
      {"ec2", "DescribeVpcs", 2, 503,
       "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit "
       "exceeded.</Message></Error></Errors></Response>"});
  Result<CollectSummary> r = Run({"us-east-1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->errors, 0);
  EXPECT_EQ(r->retries, 2);
  EXPECT_EQ(One("SELECT count(*) FROM aws_vpc"), "1");
  EXPECT_EQ(One("SELECT retries || ' ' || throttled FROM snapshot_info"), "2 2");
}

TEST_F(CollectReplayTest, DisabledRegionIsRecordedNotCollected) {
  Result<CollectSummary> r = Run({"us-east-1", "ap-east-1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->regions, std::vector<std::string>{"us-east-1"});
  EXPECT_EQ(
      One("SELECT error_code || ': ' || message FROM collection_errors WHERE region = 'ap-east-1'"),
      "RegionDisabled: region ap-east-1 is not enabled for account 123456789012 (opt-in region)");
  for (const auto& req : server_->received()) EXPECT_NE(req.region, "ap-east-1");
}

TEST_F(CollectReplayTest, WrongSecretFailsWithTheCallNamed) {
  aws::Credentials wrong = kCreds;
  wrong.secret_access_key = "not/the/right/secret";
  Result<CollectSummary> r = Run({"us-east-1"}, wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().aws_code(), "SignatureDoesNotMatch");
  EXPECT_NE(r.status().message().find("sts:GetCallerIdentity in us-east-1"), std::string::npos);
  EXPECT_EQ(r.status().message().find("not/the/right/secret"), std::string::npos);
  EXPECT_EQ(server_->signature_failures(), 1);
}

TEST_F(CollectReplayTest, CredentialReportRootRowAndPolling) {
  std::string csv =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
      "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
      "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
      "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
      "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
      "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"
      "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,"
      "2026-11-01T10:00:00+00:00,not_supported,not_supported,false,true,2021-03-01T00:00:00+00:00,"
      "2026-10-01T00:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
      "\"ops,admin\",\"arn:aws:iam::123456789012:user/ops,admin\",2020-01-01T00:00:00+00:00,true,N/"
      "A,"
      "N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
  // STARTED, then INPROGRESS twice, then the recorded COMPLETE.
  server_->AddFault(
      {"iam", "GenerateCredentialReport", 2, 200,
       "<GenerateCredentialReportResponse><GenerateCredentialReportResult><State>INPROGRESS"
       "</State></GenerateCredentialReportResult></GenerateCredentialReportResponse>"});
  server_->AddFault(
      {"iam", "GetCredentialReport", 1, 200,
       "<GetCredentialReportResponse><GetCredentialReportResult><Content>" +
           aws::Base64Encode(csv) +
           "</Content><ReportFormat>text/csv</ReportFormat></GetCredentialReportResult>"
           "</GetCredentialReportResponse>"});
  ASSERT_TRUE(Run({"us-east-1"}).ok());
  auto root = Rows(
      "SELECT user_name, password_enabled, mfa_active, access_key_1_active, "
      "access_key_1_last_used_service, ifnull(access_key_2_last_rotated, 'NULL') "
      "FROM aws_iam_credential_report ORDER BY user_name");
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root[0],
            (std::vector<std::string>{"<root_account>", "not_supported", "0", "1", "iam", "NULL"}));
  EXPECT_EQ(root[1][0], "ops,admin");  // a quoted field holding a comma
  EXPECT_EQ(root[1][3], "0");
  int polls = 0;
  for (const auto& req : server_->received()) polls += req.operation == "GenerateCredentialReport";
  EXPECT_GE(polls, 3);
}

// Every protocol through the client against recorded answers, including the services the
// collector does not read yet: signed requests, paging and each protocol's error shape.
TEST_F(CollectReplayTest, EveryProtocolAgainstRecordedResponses) {
  url_ = server_->Start();
  started_ = true;
  aws::StaticCredentialProvider provider(kCreds);
  aws::ClientOptions copts;
  copts.endpoint_url = url_;
  copts.sleep = [](double) {};
  aws::AwsClient client(http_, provider, copts);

  // rest-json: GuardDuty detectors, EFS file systems; Security Hub's 401 error shape.
  Result<json> detectors = client.RestJson("guardduty", "us-east-1", "GET", "/detector");
  ASSERT_TRUE(detectors.ok()) << detectors.status().ToString();
  EXPECT_EQ((*detectors)["detectorIds"].size(), 1u);
  Result<json> efs =
      client.RestJson("elasticfilesystem", "eu-west-1", "GET", "/2015-02-01/file-systems");
  ASSERT_TRUE(efs.ok());
  EXPECT_TRUE((*efs)["FileSystems"].is_array());
  Result<json> hub = client.RestJson("securityhub", "us-east-1", "GET", "/accounts");
  ASSERT_FALSE(hub.ok());
  EXPECT_EQ(hub.status().aws_code(), "InvalidAccessException");
  EXPECT_EQ(hub.status().http_status(), 401);

  // rest-xml: CloudFront, a global service signed for us-east-1.
  Result<std::string> dists =
      client.RestXml("cloudfront", "eu-west-1", "GET", "/2020-05-31/distribution");
  ASSERT_TRUE(dists.ok()) << dists.status().ToString();
  EXPECT_NE(dists->find("<DistributionList"), std::string::npos);

  // json: CloudWatch Logs paged with nextToken (three pages, 30 groups).
  int groups = 0;
  int pages = 0;
  Status logs = client.PaginateJson("logs", "us-east-1", "DescribeLogGroups", {{"limit", 10}},
                                    "nextToken", "nextToken", [&](const json& page) {
                                      ++pages;
                                      groups += static_cast<int>(page["logGroups"].size());
                                    });
  ASSERT_TRUE(logs.ok()) << logs.ToString();
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(groups, 30);
  // json error shape: Organizations not in use.
  Result<json> org = client.Json("organizations", "us-east-1", "DescribeOrganization");
  ASSERT_FALSE(org.ok());
  EXPECT_EQ(org.status().aws_code(), "AWSOrganizationsNotInUseException");

  // query: SNS, CloudWatch, RDS, ELBv2.
  Result<json> topics = client.Query("sns", "us-east-1", "ListTopics");
  ASSERT_TRUE(topics.ok()) << topics.status().ToString();
  EXPECT_FALSE(aws::ArrayOrEmpty(*topics, "Topics").empty());
  Result<json> alarms = client.Query("monitoring", "us-east-1", "DescribeAlarms");
  ASSERT_TRUE(alarms.ok());
  EXPECT_FALSE(aws::ArrayOrEmpty(*alarms, "MetricAlarms").empty());
  Result<json> rds = client.Query("rds", "us-east-1", "DescribeDBInstances");
  ASSERT_TRUE(rds.ok());
  ASSERT_FALSE(aws::ArrayOrEmpty(*rds, "DBInstances").empty());
  EXPECT_EQ(aws::ArrayOrEmpty(*rds, "DBInstances")[0]["PubliclyAccessible"], true);
  EXPECT_TRUE(client.Query("elasticloadbalancing", "us-east-1", "DescribeLoadBalancers").ok());

  for (const auto& p : server_->problems()) ADD_FAILURE() << "replay server: " << p;
  for (const auto& req : server_->received()) EXPECT_TRUE(req.signature_ok) << req.operation;
}

}  // namespace
}  // namespace bulwark::collect
