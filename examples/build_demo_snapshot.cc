// bulwark-demo-snapshot OUT: builds the demo snapshot by collecting the bundled demo account
// (examples/demo-account, recorded exchanges) through the loopback replay server, with the
// same collector `bulwark collect` runs. The build calls it to produce demo-account.db.
#include <fmt/format.h>
#include <sqlite3.h>

#include <iostream>
#include <sstream>

#include "aws/client.h"
#include "collect/collector.h"
#include "collect/service.h"
#include "support/replay_server.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bulwark-demo-snapshot DEMO_DIR OUT.db\n";
    return 2;
  }
  bulwark::testing::ReplayServer::Options options;
  bulwark::testing::ReplayServer server(options);
  bulwark::Status s = server.LoadDirectory(argv[1]);
  if (!s.ok()) {
    std::cerr << "bulwark-demo-snapshot: " << s.message() << "\n";
    return 1;
  }
  std::string url = server.Start();
  bulwark::aws::CurlHttpClient http;
  bulwark::aws::StaticCredentialProvider creds(options.credentials);
  bulwark::aws::ClientOptions client_options;
  client_options.endpoint_url = url;
  bulwark::aws::AwsClient client(http, creds, client_options);
  auto snap = bulwark::snapshot::Snapshot::Create(argv[2], bulwark::collect::SnapshotSchema());
  if (!snap.ok()) {
    std::cerr << "bulwark-demo-snapshot: " << snap.status().message() << "\n";
    return 1;
  }
  bulwark::collect::CollectOptions collect_options;
  collect_options.regions = {"us-east-1", "eu-west-1"};
  collect_options.sleep = [](double) {};
  std::ostringstream log;
  bulwark::collect::Progress progress(log, false);
  auto summary = bulwark::collect::Collect(client, **snap, collect_options, progress);
  server.Stop();
  if (!summary.ok()) {
    std::cerr << "bulwark-demo-snapshot: " << summary.status().ToString() << "\n";
    return 1;
  }
  for (const auto& p : server.problems())
    std::cerr << "bulwark-demo-snapshot: replay: " << p << "\n";
  // Pin the snapshot to the time the account was recorded, so checks that measure age
  // (key rotation, unused credentials, recent root use) answer the same on any day.
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[2], &db) != SQLITE_OK ||
      sqlite3_exec(db,
                   "UPDATE snapshot_info SET started_at = '2026-11-23T05:15:00Z', "
                   "finished_at = '2026-11-23T05:15:02Z'",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::cerr << "bulwark-demo-snapshot: cannot pin the snapshot time: " << sqlite3_errmsg(db)
              << "\n";
    sqlite3_close(db);
    return 1;
  }
  sqlite3_close(db);
  std::cout << fmt::format("demo snapshot {}: {} rows, {} errors\n", argv[2], summary->rows,
                           summary->errors);
  return summary->errors == 0 && server.problems().empty() ? 0 : 1;
}
