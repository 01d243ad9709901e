// bulwark-replay: serves a directory of recorded AWS exchanges on 127.0.0.1, verifying
// every request's signature, until it is stopped. Drives the demo and manual testing:
//   bulwark-replay DIR --port 4566 &
//   export AWS_ACCESS_KEY_ID=AKIDREPLAYEXAMPLE
//   export AWS_SECRET_ACCESS_KEY=replay/secret/key/EXAMPLEKEY
//   bulwark collect --endpoint-url http://127.0.0.1:4566 --out demo.db
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "support/replay_server.h"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Replay recorded AWS API exchanges on 127.0.0.1", "bulwark-replay"};
  std::string dir;
  int port = 0;
  int latency_ms = 0;
  bulwark::testing::ReplayServer::Options options;
  app.add_option("dir", dir, "Directory of recorded exchanges (*.json)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--port", port, "Port (0 = any free port)");
  app.add_option("--latency-ms", latency_ms, "Delay every answer by this much");
  app.add_option("--access-key-id", options.credentials.access_key_id,
                 "Key id requests must be signed with")
      ->capture_default_str();
  app.add_option("--secret-access-key", options.credentials.secret_access_key,
                 "Secret requests must be signed with");
  CLI11_PARSE(app, argc, argv);
  options.latency_ms = latency_ms;
  bulwark::testing::ReplayServer server(options);
  bulwark::Status s = server.LoadDirectory(dir);
  if (!s.ok()) {
    std::cerr << "bulwark-replay: " << s.message() << "\n";
    return 1;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::string url = server.Start(port);
  std::cout << url << std::endl;
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.Stop();
  for (const auto& p : server.problems()) std::cerr << "bulwark-replay: " << p << "\n";
  return 0;
}
