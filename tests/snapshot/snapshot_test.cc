// The snapshot file: schema from the table specs, typed inserts, collection errors,
// atomic finish, read-only reopening and clear errors for bad files.
#include "snapshot/snapshot.h"

#include <gtest/gtest.h>

#include <fstream>

#include "cli/query_output.h"
#include "collect/service.h"
#include "snapshot/schema.h"

namespace bulwark::snapshot {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bulwark-snap-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "snap.db").string();
    fs::remove(path_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  cli::QueryResult Query(const std::string& sql) {
    auto snap = Snapshot::Open(path_);
    EXPECT_TRUE(snap.ok()) << snap.status().message();
    Result<cli::QueryResult> r = cli::RunQuery((*snap)->db(), sql);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return *r;
  }
  fs::path dir_;
  std::string path_;
};

TEST_F(SnapshotTest, EveryTableHasAccountRegionAndRaw) {
  const Schema& schema = collect::SnapshotSchema();
  for (const auto& t : schema) {
    EXPECT_TRUE(t.name.rfind("aws_", 0) == 0) << t.name;
    EXPECT_FALSE(t.columns.empty()) << t.name;
  }
  EXPECT_NE(SchemaSql(schema).find("CREATE TABLE aws_s3_bucket (\n  account_id TEXT NOT NULL"),
            std::string::npos);
  EXPECT_NE(FindTable(schema, "aws_iam_credential_report"), nullptr);
  EXPECT_EQ(FindTable(schema, "aws_nothing"), nullptr);
}

// Every table says which calls list its rows, every column filled by another call names a
// call of the same service, and a table's key is one of its columns.
TEST_F(SnapshotTest, EveryTableDeclaresTheCallsThatFillIt) {
  for (const auto& service : collect::Services()) {
    for (const auto& t : service.tables) {
      EXPECT_FALSE(t.calls.empty()) << t.name;
      for (const auto& call : t.calls) EXPECT_NE(call.find(':'), std::string::npos) << call;
      bool key_found = t.key.empty();
      for (const auto& c : t.columns) {
        key_found = key_found || c.name == t.key;
        if (!c.filled_by.empty()) {
          EXPECT_NE(c.filled_by.find(':'), std::string::npos) << c.name;
        }
      }
      EXPECT_TRUE(key_found) << t.name << " key " << t.key;
    }
  }
}

TEST_F(SnapshotTest, InsertsTypedValuesAndFinishesAtomically) {
  auto snap = Snapshot::Create(path_, collect::SnapshotSchema());
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  json row = {{"volume_id", "vol-1"},
              {"size", 8},
              {"encrypted", false},
              {"attachments", json::array({{{"InstanceId", "i-1"}}})}};
  ASSERT_TRUE(
      (*snap)
          ->Insert("aws_ebs_volume", "123456789012", "eu-west-1", row, {{"VolumeId", "vol-1"}})
          .ok());
  EXPECT_THROW((*snap)->Insert("aws_ebs_volume", "1", "r", {{"no_such_column", 1}}, nullptr),
               std::logic_error);
  // Bytes that are not UTF-8 (as an XML response may carry) are kept as U+FFFD, not lost
  // with the row.
  json bad = {{"volume_id", "vol-2"}, {"attachments", json::array({"a\xc0z"})}};
  EXPECT_TRUE((*snap)->Insert("aws_ebs_volume", "1", "eu-west-1", bad, bad).ok());
  (*snap)->RecordError({"123456789012", "eu-west-1", "ec2", "DescribeVolumes", "AccessDenied", 403,
                        "not authorized", ""});
  EXPECT_FALSE(fs::exists(path_));  // still being written as .partial
  SnapshotInfo info;
  info.account_id = "123456789012";
  info.regions = {"eu-west-1"};
  ASSERT_TRUE((*snap)->Finish(info).ok());
  EXPECT_TRUE(fs::exists(path_));
  EXPECT_FALSE(fs::exists(path_ + ".partial"));

  cli::QueryResult r = Query(
      "SELECT volume_id, size, encrypted, json_extract(attachments, '$[0].InstanceId'), "
      "json_extract(raw, '$.VolumeId'), typeof(size) FROM aws_ebs_volume WHERE volume_id = "
      "'vol-1'");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(*r.rows[0][0], "vol-1");
  EXPECT_EQ(*r.rows[0][1], "8");
  EXPECT_EQ(*r.rows[0][2], "0");
  EXPECT_EQ(*r.rows[0][3], "i-1");
  EXPECT_EQ(*r.rows[0][4], "vol-1");
  EXPECT_EQ(*r.rows[0][5], "integer");
  cli::QueryResult replaced = Query(
      "SELECT json_extract(attachments, '$[0]'), json_extract(raw, '$.attachments[0]') FROM "
      "aws_ebs_volume WHERE volume_id = 'vol-2'");
  ASSERT_EQ(replaced.rows.size(), 1u);
  EXPECT_EQ(*replaced.rows[0][0], "a\xef\xbf\xbdz");
  EXPECT_EQ(*replaced.rows[0][1], "a\xef\xbf\xbdz");
  cli::QueryResult e =
      Query("SELECT service, operation, region, error_code, http_status FROM collection_errors");
  ASSERT_EQ(e.rows.size(), 1u);
  EXPECT_EQ(*e.rows[0][1], "DescribeVolumes");
  EXPECT_EQ(*e.rows[0][3], "AccessDenied");
  cli::QueryResult i = Query("SELECT account_id, regions, errors FROM snapshot_info");
  EXPECT_EQ(*i.rows[0][1], R"(["eu-west-1"])");
  EXPECT_EQ(*i.rows[0][2], "1");
  cli::QueryResult docs =
      Query("SELECT count(*) FROM snapshot_tables WHERE table_name = 'aws_s3_bucket'");
  // The declared columns and the implicit account_id, region and raw.
  EXPECT_EQ(
      *docs.rows[0][0],
      std::to_string(FindTable(collect::SnapshotSchema(), "aws_s3_bucket")->columns.size() + 3));
  cli::QueryResult calls = Query(
      "SELECT calls FROM snapshot_tables WHERE table_name = 'aws_cloudtrail_trail' AND "
      "column_name = 'is_logging'");
  EXPECT_EQ(*calls.rows[0][0], R"(["cloudtrail:DescribeTrails","cloudtrail:GetTrailStatus"])");
}

TEST_F(SnapshotTest, OpenIsReadOnly) {
  auto snap = Snapshot::Create(path_, collect::SnapshotSchema());
  ASSERT_TRUE((*snap)->Finish({}).ok());
  auto ro = Snapshot::Open(path_);
  ASSERT_TRUE(ro.ok());
  EXPECT_FALSE(cli::RunQuery((*ro)->db(), "DELETE FROM snapshot_info").ok());
}

// `bulwark query` reads: one statement, and nothing that writes anywhere.
TEST_F(SnapshotTest, QueryReadsOneStatementAndWritesNothing) {
  auto snap = Snapshot::Create(path_, collect::SnapshotSchema());
  ASSERT_TRUE((*snap)->Finish({}).ok());
  auto ro = Snapshot::Open(path_);
  ASSERT_TRUE(ro.ok());
  sqlite3* db = (*ro)->db();
  EXPECT_TRUE(cli::RunQuery(db, "SELECT count(*) FROM aws_vpc; -- done\n").ok());
  EXPECT_TRUE(
      cli::RunQuery(db, "SELECT DISTINCT value FROM snapshot_tables, json_each(calls)").ok());
  EXPECT_TRUE(cli::RunQuery(db, "SELECT name FROM pragma_table_info('aws_vpc')").ok());
  EXPECT_TRUE(cli::RunQuery(db,
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                            "FROM n WHERE i < 3) SELECT i FROM n")
                  .ok());
  auto two = cli::RunQuery(db, "SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("more than one statement"), std::string::npos);
  std::string copy = (dir_ / "copy.db").string();
  for (const std::string& sql :
       {std::string("DELETE FROM snapshot_info"), std::string("CREATE TEMP TABLE t (x)"),
        "ATTACH '" + copy + "' AS c", "VACUUM INTO '" + copy + "'",
        std::string("PRAGMA journal_mode = WAL")}) {
    auto r = cli::RunQuery(db, sql);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_NE(r.status().message().find("may only read"), std::string::npos)
        << sql << ": " << r.status().message();
  }
  EXPECT_FALSE(fs::exists(copy));
}

TEST_F(SnapshotTest, BadFilesGiveClearErrors) {
  auto missing = Snapshot::Open((dir_ / "missing.db").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing.db does not exist"), std::string::npos);
  std::ofstream(dir_ / "text.db") << "this is not a database, just some text\n";
  auto text = Snapshot::Open((dir_ / "text.db").string());
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("not a bulwark snapshot"), std::string::npos);
  auto unwritable = Snapshot::Create("/proc/bulwark/snap.db", collect::SnapshotSchema());
  EXPECT_FALSE(unwritable.ok());
}

// None of these may be scanned as an account with nothing wrong in it.
TEST_F(SnapshotTest, OpenRefusesWhatNoFinishedCollectWrote) {
  auto refused = [&](const fs::path& p, const std::string& why) {
    auto snap = Snapshot::Open(p.string());
    ASSERT_FALSE(snap.ok()) << p;
    EXPECT_NE(snap.status().message().find(p.filename().string()), std::string::npos);
    EXPECT_NE(snap.status().message().find(why), std::string::npos) << snap.status().message();
  };
  std::ofstream(dir_ / "empty.db").close();
  refused(dir_ / "empty.db", "is empty");
  refused(dir_, "is a directory");
  // A database with the schema but no snapshot_info row: what a killed collect leaves.
  {
    auto snap = Snapshot::Create(path_, collect::SnapshotSchema());
    ASSERT_TRUE(snap.ok());
    std::string partial = (*snap)->partial_path();
    ASSERT_TRUE((*snap)->Insert("aws_vpc", "1", "us-east-1", {{"vpc_id", "vpc-1"}}, {}).ok());
    sqlite3_exec((*snap)->db(), "COMMIT", nullptr, nullptr, nullptr);
    refused(partial, "no snapshot_info row");
  }
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "other.db").string().c_str(), &other), SQLITE_OK);
  sqlite3_exec(other, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  refused(dir_ / "other.db", "not a finished bulwark snapshot");
}

TEST_F(SnapshotTest, TwoCollectsToOneFileDoNotShareAPartialFile) {
  auto first = Snapshot::Create(path_, collect::SnapshotSchema());
  ASSERT_TRUE(first.ok());
  auto second = Snapshot::Create(path_, collect::SnapshotSchema());
  ASSERT_TRUE(second.ok());
  EXPECT_NE((*first)->partial_path(), (*second)->partial_path());
  EXPECT_TRUE(fs::exists((*first)->partial_path()));
  EXPECT_TRUE(fs::exists((*second)->partial_path()));
  auto into_dir = Snapshot::Create(dir_.string(), collect::SnapshotSchema());
  ASSERT_FALSE(into_dir.ok());
  EXPECT_NE(into_dir.status().message().find("is a directory"), std::string::npos);
  ASSERT_TRUE((*first)->Finish({}).ok());
  ASSERT_TRUE((*second)->Finish({}).ok());
  EXPECT_TRUE(Snapshot::Open(path_).ok());
}

TEST(QueryOutput, FormatsTableJsonAndCsv) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  auto r =
      cli::RunQuery(db, "SELECT 1 AS n, 'a,\"b\"' AS s, NULL AS z, '{\"k\":[1]}' AS j, 2.5 AS f");
  ASSERT_TRUE(r.ok());
  std::ostringstream csv, js, table;
  cli::WriteCsv(csv, *r);
  EXPECT_EQ(csv.str(), "n,s,z,j,f\r\n1,\"a,\"\"b\"\"\",,\"{\"\"k\"\":[1]}\",2.5\r\n");
  cli::WriteJson(js, *r);
  json parsed = json::parse(js.str());
  EXPECT_EQ(parsed[0]["n"], 1);
  EXPECT_TRUE(parsed[0]["z"].is_null());
  EXPECT_EQ(parsed[0]["j"]["k"][0], 1);
  EXPECT_EQ(parsed[0]["f"], 2.5);
  cli::WriteTable(table, *r);
  EXPECT_NE(table.str().find("NULL"), std::string::npos);
  EXPECT_NE(table.str().find("(1 row)"), std::string::npos);
  EXPECT_FALSE(cli::RunQuery(db, "SELEKT").ok());
  EXPECT_FALSE(cli::RunQuery(db, "").ok());
  sqlite3_close(db);
}

}  // namespace
}  // namespace bulwark::snapshot
