#include "aws/sigv4.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "aws/crypto.h"
#include "util/strings.h"

namespace bulwark::aws {
namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

// Trims and collapses runs of whitespace (including folded line breaks) to one space.
std::string CanonicalHeaderValue(const std::string& value) {
  std::string out;
  bool in_space = false;
  for (char c : value) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

std::string Scope(const std::string& date, const SigningParams& p) {
  return fmt::format("{}/{}/{}/aws4_request", date, p.region, p.service);
}

std::string StringToSign(const std::string& amz_date, const std::string& scope,
                         const std::string& canonical_request) {
  return fmt::format("{}\n{}\n{}\n{}", kAlgorithm, amz_date, scope, Sha256Hex(canonical_request));
}

std::string BuildCanonicalRequest(const SignableRequest& req, const SigningParams& p,
                                  const std::string& payload_hash, std::string* signed_headers) {
  std::string headers = CanonicalHeaders(req.headers, signed_headers);
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", req.method, CanonicalUri(req.path, p.normalize_path),
                     CanonicalQuery(req.query), headers, *signed_headers, payload_hash);
}

std::string Sign(const Credentials& creds, const std::string& date, const SigningParams& p,
                 const std::string& string_to_sign) {
  std::string key = DeriveSigningKey(creds.secret_access_key, date, p.region, p.service);
  return HexEncode(HmacSha256(key, string_to_sign));
}

void AppendQuery(std::string& query, const std::string& key, const std::string& value) {
  if (!query.empty()) query += '&';
  query += UriEncode(key) + "=" + UriEncode(value);
}

}  // namespace

std::string AmzDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string DeriveSigningKey(const std::string& secret, const std::string& date,
                             const std::string& region, const std::string& service) {
  std::string k = HmacSha256("AWS4" + secret, date);
  k = HmacSha256(k, region);
  k = HmacSha256(k, service);
  return HmacSha256(k, "aws4_request");
}

std::string CanonicalUri(const std::string& path, bool normalize) {
  std::string raw = UriDecode(path.empty() ? "/" : path);
  if (normalize) {
    std::vector<std::string> stack;
    for (const auto& seg : Split(raw, '/')) {
      if (seg.empty() || seg == ".") continue;
      if (seg == "..") {
        if (!stack.empty()) stack.pop_back();
        continue;
      }
      stack.push_back(seg);
    }
    bool trailing = EndsWith(raw, "/") && !stack.empty();
    // Appended rather than written as "/" + Join(...): GCC 12 at -O2 reports a false
    // -Wrestrict on operator+(const char*, std::string&&).
    std::string path = "/";
    path += Join(stack, "/");
    if (trailing) path += '/';
    raw = std::move(path);
  }
  return UriEncode(raw, /*keep_slash=*/true);
}

std::string CanonicalQuery(const std::string& query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& part : Split(query, '&')) {
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string k = part.substr(0, eq);
    std::string v = eq == std::string::npos ? "" : part.substr(eq + 1);
    params.emplace_back(UriEncode(UriDecode(k)), UriEncode(UriDecode(v)));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string CanonicalHeaders(const HeaderList& headers, std::string* signed_headers) {
  // std::map keeps names sorted; duplicate names join their values with ',' in order.
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    std::string key = ToLower(Trim(name));
    std::string v = CanonicalHeaderValue(value);
    auto [it, inserted] = merged.emplace(key, v);
    if (!inserted) it->second += "," + v;
  }
  std::string out;
  std::vector<std::string> names;
  for (const auto& [k, v] : merged) {
    out += k + ":" + v + "\n";
    names.push_back(k);
  }
  *signed_headers = Join(names, ";");
  return out;
}

SigningResult SignRequest(SignableRequest& req, const Credentials& creds,
                          const SigningParams& params) {
  const std::string amz_date = AmzDate(params.time);
  const std::string date = amz_date.substr(0, 8);
  const std::string payload_hash = Sha256Hex(req.body);

  req.headers.emplace_back("X-Amz-Date", amz_date);
  if (params.add_content_sha256_header)
    req.headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
  const bool has_token = !creds.session_token.empty();
  if (has_token && !params.omit_session_token) {
    req.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }

  SigningResult r;
  std::string signed_headers;
  r.canonical_request = BuildCanonicalRequest(req, params, payload_hash, &signed_headers);
  const std::string scope = Scope(date, params);
  r.string_to_sign = StringToSign(amz_date, scope, r.canonical_request);
  r.signature = Sign(creds, date, params, r.string_to_sign);
  r.authorization = fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                                creds.access_key_id, scope, signed_headers, r.signature);
  req.headers.emplace_back("Authorization", r.authorization);
  if (has_token && params.omit_session_token) {
    req.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  return r;
}

std::string ComputeHeaderSignature(const SignableRequest& req, const std::string& signed_headers,
                                   const Credentials& creds, const SigningParams& params) {
  std::vector<std::string> names = Split(signed_headers, ';');
  SignableRequest subset = req;
  subset.headers.clear();
  std::string payload_hash;
  for (const auto& [name, value] : req.headers) {
    std::string lower = ToLower(name);
    if (std::find(names.begin(), names.end(), lower) != names.end()) {
      subset.headers.emplace_back(name, value);
    }
    if (lower == "x-amz-content-sha256") payload_hash = value;
  }
  if (payload_hash.empty()) payload_hash = Sha256Hex(req.body);
  const std::string amz_date = AmzDate(params.time);
  std::string computed_signed;
  std::string canonical = BuildCanonicalRequest(subset, params, payload_hash, &computed_signed);
  const std::string date = amz_date.substr(0, 8);
  return Sign(creds, date, params, StringToSign(amz_date, Scope(date, params), canonical));
}

SigningResult PresignRequest(SignableRequest& req, const Credentials& creds,
                             const SigningParams& params) {
  const std::string amz_date = AmzDate(params.time);
  const std::string date = amz_date.substr(0, 8);
  const std::string payload_hash = Sha256Hex(req.body);
  const std::string scope = Scope(date, params);

  std::string signed_headers;
  CanonicalHeaders(req.headers, &signed_headers);
  AppendQuery(req.query, "X-Amz-Algorithm", kAlgorithm);
  AppendQuery(req.query, "X-Amz-Credential", creds.access_key_id + "/" + scope);
  AppendQuery(req.query, "X-Amz-Date", amz_date);
  AppendQuery(req.query, "X-Amz-SignedHeaders", signed_headers);
  AppendQuery(req.query, "X-Amz-Expires", std::to_string(params.presign_expires_seconds));
  const bool has_token = !creds.session_token.empty();
  if (has_token && !params.omit_session_token) {
    AppendQuery(req.query, "X-Amz-Security-Token", creds.session_token);
  }

  SigningResult r;
  r.canonical_request = BuildCanonicalRequest(req, params, payload_hash, &signed_headers);
  r.string_to_sign = StringToSign(amz_date, scope, r.canonical_request);
  r.signature = Sign(creds, date, params, r.string_to_sign);
  if (has_token && params.omit_session_token) {
    AppendQuery(req.query, "X-Amz-Security-Token", creds.session_token);
  }
  AppendQuery(req.query, "X-Amz-Signature", r.signature);
  return r;
}

}  // namespace bulwark::aws
