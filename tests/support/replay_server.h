// A loopback HTTP server that answers AWS API calls with recorded exchanges (the format of
// ../shared/fixtures/aws-recorded) and verifies the SigV4 signature of every request it
// receives. Used by the integration tests, the collection benchmark and the demo. Binds
// 127.0.0.1 only.
#pragma once

#include <atomic>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "aws/credentials.h"
#include "util/status.h"

namespace httplib {
class Server;
}

namespace bulwark::testing {

struct Exchange {
  std::string service;
  std::string region;
  std::string operation;
  std::string method = "POST";
  std::string path = "/";  // with query string for REST calls
  std::string request_body;
  int status = 200;
  std::map<std::string, std::string> response_headers;
  std::string response_body;
  std::string source;     // file it came from
  nlohmann::json params;  // request parameters, derived from path and body by Add()

  static Result<Exchange> FromJson(const nlohmann::json& doc, const std::string& source);
};

// A response forced for the next `count` matching calls (throttling, 5xx, ...).
struct Fault {
  std::string service;
  std::string operation;
  int count = 1;
  int status = 400;
  std::string body;
  std::string content_type = "text/xml";
};

struct ReceivedRequest {
  std::string service;
  std::string region;
  std::string operation;
  bool signature_ok = false;
  bool matched = false;
  bool had_session_token = false;
  nlohmann::json params;  // form, JSON body or query parameters as received
};

class ReplayServer {
 public:
  struct Options {
    aws::Credentials credentials{"AKIDREPLAYEXAMPLE", "replay/secret/key/EXAMPLEKEY", "", 0,
                                 "test"};
    int latency_ms = 0;
    int threads = 160;  // above the collector's threads: a keep-alive connection holds one
  };

  explicit ReplayServer(Options options);
  ~ReplayServer();

  // Loads every *.json exchange under dir (recursively).
  Status LoadDirectory(const std::filesystem::path& dir);
  void Add(Exchange exchange);
  void AddFault(Fault fault);

  // Starts listening on 127.0.0.1 (port 0 = any free port); returns the URL.
  std::string Start(int port = 0);
  void Stop();

  std::vector<ReceivedRequest> received() const;
  int signature_failures() const { return signature_failures_; }
  int unmatched() const { return unmatched_; }
  std::vector<std::string> problems() const;  // human-readable, one per odd request

 private:
  void Handle(const void* request, void* response);
  const Exchange* Find(const std::string& service, const std::string& region,
                       const std::string& operation, const std::string& method,
                       const std::string& path, const nlohmann::json& params);

  Options options_;
  std::deque<Exchange> exchanges_;  // deque: pointers stay valid as exchanges are added
  std::vector<Fault> faults_;
  std::map<const Exchange*, int> served_;
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> received_;
  std::vector<std::string> problems_;
  std::atomic<int> signature_failures_{0};
  std::atomic<int> unmatched_{0};
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace bulwark::testing
