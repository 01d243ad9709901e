#include "support/replay_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "aws/sigv4.h"
#include "util/strings.h"

namespace bulwark::testing {

using nlohmann::json;

namespace {

json ParseForm(const std::string& body) {
  json out = json::object();
  for (const auto& part : Split(body, '&')) {
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string k = UriDecode(part.substr(0, eq), true);
    out[k] = eq == std::string::npos ? "" : UriDecode(part.substr(eq + 1), true);
  }
  return out;
}

// Request parameters a recorded exchange can be matched on.
json ParamsOf(const std::string& method, const std::string& path, const std::string& body,
              const std::string& content_type) {
  if (StartsWith(ToLower(content_type), "application/x-www-form-urlencoded") ||
      (method == "POST" && body.find("Action=") != std::string::npos)) {
    json p = ParseForm(body);
    p.erase("Action");
    p.erase("Version");
    return p;
  }
  if (!body.empty() && body.front() == '{') {
    json p = json::parse(body, nullptr, false);
    if (p.is_object()) return p;
  }
  size_t q = path.find('?');
  return q == std::string::npos ? json::object() : ParseForm(path.substr(q + 1));
}

bool IsAuthFailure(const Exchange& e) {
  return (e.status == 401 || e.status == 403) &&
         (e.response_body.find("SignatureDoesNotMatch") != std::string::npos ||
          e.response_body.find("AuthFailure") != std::string::npos);
}

std::string PathOnly(const std::string& target) { return target.substr(0, target.find('?')); }

std::time_t ParseAmzDate(const std::string& s) {
  std::tm tm{};
  if (!strptime(s.c_str(), "%Y%m%dT%H%M%SZ", &tm)) return 0;
  return timegm(&tm);
}

struct AuthHeader {
  std::string access_key_id;
  std::string date;
  std::string region;
  std::string service;
  std::string signed_headers;
  std::string signature;
};

std::optional<AuthHeader> ParseAuthorization(const std::string& value) {
  if (!StartsWith(value, "AWS4-HMAC-SHA256 ")) return std::nullopt;
  AuthHeader a;
  for (const auto& part : Split(value.substr(17), ',')) {
    std::string p = Trim(part);
    size_t eq = p.find('=');
    if (eq == std::string::npos) continue;
    std::string k = p.substr(0, eq);
    std::string v = p.substr(eq + 1);
    if (k == "Credential") {
      std::vector<std::string> scope = Split(v, '/');
      if (scope.size() != 5) return std::nullopt;
      a.access_key_id = scope[0];
      a.date = scope[1];
      a.region = scope[2];
      a.service = scope[3];
    } else if (k == "SignedHeaders") {
      a.signed_headers = v;
    } else if (k == "Signature") {
      a.signature = v;
    }
  }
  if (a.service.empty() || a.signature.empty()) return std::nullopt;
  return a;
}

// Debian's cpp-httplib listens with a backlog of 5, which drops bursts of new connections
// from a collector with many threads: they wait for SYN retransmits (1, 3, 7... seconds).
// httplib does not expose its socket, so find the listening socket on our port and listen
// again with a wider backlog (Linux applies the new value to a listening socket).
void WidenListenBacklog(int port) {
  for (int fd = 3; fd < 4096; ++fd) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_in addr{};
    socklen_t alen = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) == 0 &&
        addr.sin_family == AF_INET && ntohs(addr.sin_port) == port) {
      ::listen(fd, 1024);
      return;
    }
  }
}

}  // namespace

Result<Exchange> Exchange::FromJson(const json& doc, const std::string& source) {
  if (!doc.is_object() || !doc.contains("service") || !doc.contains("operation")) {
    return Status::Parse(source + ": not a recorded exchange (service/operation missing)");
  }
  Exchange e;
  e.service = doc.value("service", "");
  e.region = doc.value("region", "us-east-1");
  e.operation = doc.value("operation", "");
  e.method = doc.value("method", "POST");
  e.path = doc.value("path", "/");
  e.request_body = doc.value("request_body", "");
  e.status = doc.value("status", 200);
  if (doc.contains("response_headers") && doc["response_headers"].is_object()) {
    for (const auto& [k, v] : doc["response_headers"].items()) {
      if (v.is_string()) e.response_headers[k] = v.get<std::string>();
    }
  }
  e.response_body = doc.value("response_body", "");
  e.source = source;
  return e;
}

ReplayServer::ReplayServer(Options options) : options_(std::move(options)) {}

ReplayServer::~ReplayServer() { Stop(); }

Status ReplayServer::LoadDirectory(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    return Status::NotFound(fmt::format("{} is not a directory", dir.string()));
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    json doc = json::parse(ss.str(), nullptr, false);
    if (doc.is_discarded()) return Status::Parse(f.string() + ": not valid JSON");
    Result<Exchange> e = Exchange::FromJson(doc, f.string());
    if (!e.ok()) return e.status();
    Add(std::move(*e));
  }
  return Status::Ok();
}

void ReplayServer::Add(Exchange exchange) {
  exchange.params = ParamsOf(exchange.method, exchange.path, exchange.request_body,
                             exchange.request_body.find("Action=") != std::string::npos
                                 ? "application/x-www-form-urlencoded"
                                 : "");
  std::lock_guard<std::mutex> lock(mu_);
  exchanges_.push_back(std::move(exchange));
}

void ReplayServer::AddFault(Fault fault) {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.push_back(std::move(fault));
}

std::vector<ReceivedRequest> ReplayServer::received() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

std::vector<std::string> ReplayServer::problems() const {
  std::lock_guard<std::mutex> lock(mu_);
  return problems_;
}

const Exchange* ReplayServer::Find(const std::string& service, const std::string& region,
                                   const std::string& operation, const std::string& method,
                                   const std::string& target, const json& params) {
  std::vector<const Exchange*> candidates;
  for (const auto& e : exchanges_) {
    if (e.service != service || e.operation != operation || e.method != method ||
        IsAuthFailure(e)) {
      continue;
    }
    if (operation == method && PathOnly(e.path) != PathOnly(target)) continue;
    candidates.push_back(&e);
  }
  // Recordings made against a single-endpoint emulator hold every S3 call as us-east-1, while
  // the collector asks each bucket's own region: for S3 only, any region may answer.
  bool any_in_region = service != "s3";
  for (const auto* e : candidates) any_in_region = any_in_region || e->region == region;
  const Exchange* best = nullptr;
  long best_score = 0;
  for (const auto* e : candidates) {
    if (any_in_region && e->region != region) continue;
    const json& recorded = e->params;
    long score = 0;
    bool conflict = false;
    for (const auto& [k, v] : recorded.items()) {
      if (!params.contains(k)) {
        // A REST sub-resource (?acl, ?policy) names the call itself: it must be asked for.
        if (operation == method) conflict = true;
        score -= 1;
      } else if (params[k] == v) {
        score += 2;
      } else {
        conflict = true;  // e.g. another UserName or KeyId: a different call
      }
    }
    if (conflict) continue;
    score = score * 1000 - served_[e];  // among equals, the least served first
    if (!best || score > best_score) {
      best = e;
      best_score = score;
    }
  }
  if (best) served_[best]++;
  return best;
}

void ReplayServer::Handle(const void* raw_req, void* raw_res) {
  const auto& req = *static_cast<const httplib::Request*>(raw_req);
  auto& res = *static_cast<httplib::Response*>(raw_res);
  if (options_.latency_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.latency_ms));
  }
  ReceivedRequest rec;
  std::string problem;
  std::optional<AuthHeader> auth = ParseAuthorization(req.get_header_value("Authorization"));
  if (auth) {
    rec.service = auth->service;
    rec.region = auth->region;
    aws::SignableRequest sreq;
    sreq.method = req.method;
    sreq.path = PathOnly(req.target);
    size_t q = req.target.find('?');
    sreq.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (const auto& [k, v] : req.headers) sreq.headers.emplace_back(k, v);
    sreq.body = req.body;
    aws::SigningParams params;
    params.region = auth->region;
    params.service = auth->service;
    params.time = ParseAmzDate(req.get_header_value("X-Amz-Date"));
    params.normalize_path = auth->service != "s3";
    std::string expected =
        aws::ComputeHeaderSignature(sreq, auth->signed_headers, options_.credentials, params);
    rec.signature_ok = auth->access_key_id == options_.credentials.access_key_id &&
                       expected == auth->signature &&
                       aws::AmzDate(params.time).substr(0, 8) == auth->date;
    if (!rec.signature_ok) problem = "signature mismatch";
    rec.had_session_token = req.has_header("X-Amz-Security-Token");
    if (!options_.credentials.session_token.empty() &&
        req.get_header_value("X-Amz-Security-Token") != options_.credentials.session_token) {
      rec.signature_ok = false;
      problem = "missing or wrong session token";
    }
    if (auth->service == "s3" && !req.has_header("X-Amz-Content-Sha256")) {
      rec.signature_ok = false;
      problem = "S3 request without x-amz-content-sha256";
    }
  } else {
    problem = "no SigV4 Authorization header";
  }
  std::string target_header = req.get_header_value("X-Amz-Target");
  json params = ParamsOf(req.method, req.target, req.body, req.get_header_value("Content-Type"));
  rec.params = params;
  if (!target_header.empty()) {
    rec.operation = target_header.substr(target_header.rfind('.') + 1);
  } else if (req.method == "POST" && params.is_object() &&
             req.body.find("Action=") != std::string::npos) {
    rec.operation = ParseForm(req.body).value("Action", "");
  } else {
    rec.operation = req.method;
  }

  std::lock_guard<std::mutex> lock(mu_);
  const Exchange* e = nullptr;
  if (!rec.signature_ok) {
    signature_failures_++;
    for (const auto& x : exchanges_) {
      if (x.service == rec.service && IsAuthFailure(x)) e = &x;
    }
    if (!e) {
      res.status = 403;
      res.set_content(
          "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request "
          "signature we calculated does not match the signature you provided.</Message>"
          "</Error></ErrorResponse>",
          "text/xml");
    }
  } else {
    for (auto& f : faults_) {
      if (f.count > 0 && f.service == rec.service && f.operation == rec.operation) {
        f.count--;
        res.status = f.status;
        res.set_content(f.body, f.content_type.c_str());
        rec.matched = true;
        received_.push_back(rec);
        return;
      }
    }
    e = Find(rec.service, rec.region, rec.operation, req.method, req.target, params);
    if (!e) {
      unmatched_++;
      problem = "no recorded exchange";
      res.status = 400;
      res.set_content(fmt::format("<ErrorResponse><Error><Code>NoRecordedExchange</Code><Message>"
                                  "replay server has no recording of {}:{} in {}</Message></Error>"
                                  "</ErrorResponse>",
                                  rec.service, rec.operation, rec.region),
                      "text/xml");
    }
  }
  if (e) {
    rec.matched = true;
    res.status = e->status;
    std::string content_type = "text/xml";
    for (const auto& [k, v] : e->response_headers) {
      if (ToLower(k) == "content-type") {
        content_type = v;
      } else if (ToLower(k) != "connection" && ToLower(k) != "content-length") {
        res.set_header(k.c_str(), v);
      }
    }
    res.set_content(e->response_body, content_type.c_str());
  }
  if (!problem.empty()) {
    problems_.push_back(fmt::format("{} {} ({}:{} in {}): {}", req.method, PathOnly(req.target),
                                    rec.service, rec.operation, rec.region, problem));
  }
  received_.push_back(rec);
}

std::string ReplayServer::Start(int port) {
  server_ = std::make_unique<httplib::Server>();
  int threads = options_.threads;
  server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  // Without TCP_NODELAY, headers and body written apart meet delayed ACKs: 40 ms per call.
  server_->set_tcp_nodelay(true);
  // Short: Stop() waits for idle keep-alive connections to time out.
  server_->set_keep_alive_timeout(1);
  server_->set_keep_alive_max_count(1000);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Handle(&req, &res);
  };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Delete(".*", handler);
  server_->Options(".*", handler);
  int bound = port == 0 ? server_->bind_to_any_port("127.0.0.1")
                        : (server_->bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound < 0) {
    throw std::runtime_error(fmt::format("replay server cannot bind 127.0.0.1:{}", port));
  }
  WidenListenBacklog(bound);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return fmt::format("http://127.0.0.1:{}", bound);
}

void ReplayServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace bulwark::testing
