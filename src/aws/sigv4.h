// AWS Signature Version 4, header-signed and query-signed (presigned), written on OpenSSL.
// libcurl's built-in --aws-sigv4 is not used: it does not sort query parameters.
#pragma once

#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"

namespace bulwark::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// An HTTP request before signing. `path` and `query` are as they go on the wire.
struct SignableRequest {
  std::string method;
  std::string path = "/";
  std::string query;   // without the leading '?'
  HeaderList headers;  // must contain Host
  std::string body;
};

struct SigningParams {
  std::string region;
  std::string service;
  std::time_t time = 0;
  // false = S3's rules: no dot-segment removal, no slash collapsing.
  bool normalize_path = true;
  // Adds x-amz-content-sha256 (required by S3) to the signed headers.
  bool add_content_sha256_header = false;
  // Adds the session token after signing instead of signing it (some services want that).
  bool omit_session_token = false;
  int presign_expires_seconds = 3600;
};

// The intermediate strings, exposed for tests and for the replay server's verification.
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;  // header variant only
};

// Adds X-Amz-Date, the optional token/content headers and Authorization to req.headers.
SigningResult SignRequest(SignableRequest& req, const Credentials& creds,
                          const SigningParams& params);
// Appends the X-Amz-* query parameters and X-Amz-Signature to req.query.
SigningResult PresignRequest(SignableRequest& req, const Credentials& creds,
                             const SigningParams& params);

// Recomputes the header signature of a received request, for servers that verify what
// they receive (the test replay server). Only headers named in signed_headers are used.
std::string ComputeHeaderSignature(const SignableRequest& req, const std::string& signed_headers,
                                   const Credentials& creds, const SigningParams& params);

// Building blocks, public for tests.
std::string CanonicalUri(const std::string& path, bool normalize);
std::string CanonicalQuery(const std::string& query);
// Returns "name:value\n..." and sets signed_headers to "a;b;c".
std::string CanonicalHeaders(const HeaderList& headers, std::string* signed_headers);
std::string AmzDate(std::time_t t);  // 20150830T123600Z
std::string DeriveSigningKey(const std::string& secret, const std::string& date,
                             const std::string& region, const std::string& service);

}  // namespace bulwark::aws
