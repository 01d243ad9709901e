#include "aws/credential_chain.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/client.h"
#include "aws/crypto.h"
#include "aws/xml_json.h"
#include "util/strings.h"

extern char** environ;

namespace bulwark::aws {

using nlohmann::json;

namespace {

constexpr int kRefreshMarginSeconds = 300;
constexpr int kMaxRoleChain = 8;

Result<Credentials> FromJsonDocument(const std::string& body, const std::string& source,
                                     const char* token_field) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Parse(source + " returned a document that is not JSON");
  Credentials c;
  c.access_key_id = StringOr(doc, "AccessKeyId");
  c.secret_access_key = StringOr(doc, "SecretAccessKey");
  c.session_token = StringOr(doc, token_field);
  c.expiration = ParseIso8601(StringOr(doc, "Expiration"));
  c.source = source;
  if (c.empty()) return Status::Parse(source + " returned no AccessKeyId/SecretAccessKey");
  return c;
}

}  // namespace

Environment Environment::FromProcess() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env.vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

std::string Environment::Get(const std::string& name) const {
  auto it = vars.find(name);
  return it == vars.end() ? "" : it->second;
}

CredentialChain::CredentialChain(ChainOptions options, HttpClient& http)
    : options_(std::move(options)), http_(http) {
  std::string creds_path = options_.env.Get("AWS_SHARED_CREDENTIALS_FILE");
  if (creds_path.empty()) creds_path = HomeDir() + "/.aws/credentials";
  std::string config_path = options_.env.Get("AWS_CONFIG_FILE");
  if (config_path.empty()) config_path = HomeDir() + "/.aws/config";
  credentials_file_ = ReadIniFile(creds_path, &files_error_);
  if (files_error_.empty()) config_file_ = ReadIniFile(config_path, &files_error_);
}

std::string CredentialChain::HomeDir() const {
  std::string home = options_.env.Get("HOME");
  return home.empty() ? "." : home;
}

std::string CredentialChain::ProfileName() const {
  if (!options_.profile.empty()) return options_.profile;
  std::string env = options_.env.Get("AWS_PROFILE");
  if (env.empty()) env = options_.env.Get("AWS_DEFAULT_PROFILE");
  return env.empty() ? "default" : env;
}

IniSection CredentialChain::ProfileSettings(const std::string& name) const {
  IniSection merged;
  auto cfg = config_file_.find(name == "default" ? "default" : "profile " + name);
  if (cfg == config_file_.end() && name == "default") cfg = config_file_.find("profile default");
  if (cfg != config_file_.end()) merged = cfg->second;
  auto cred = credentials_file_.find(name);
  if (cred != credentials_file_.end()) {
    for (const auto& [k, v] : cred->second) merged[k] = v;  // credentials file wins
  }
  return merged;
}

std::string CredentialChain::DefaultRegion() const {
  std::string r = options_.env.Get("AWS_REGION");
  if (r.empty()) r = options_.env.Get("AWS_DEFAULT_REGION");
  if (r.empty()) {
    IniSection s = ProfileSettings(ProfileName());
    auto it = s.find("region");
    if (it != s.end()) r = it->second;
  }
  return r;
}

Result<Credentials> CredentialChain::GetCredentials() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && (cached_->expiration == 0 ||
                  cached_->expiration - std::time(nullptr) > kRefreshMarginSeconds)) {
    return *cached_;
  }
  Result<Credentials> r = Resolve();
  if (r.ok()) cached_ = *r;
  return r;
}

Credentials CredentialChain::EnvironmentCredentials() const {
  return Credentials{options_.env.Get("AWS_ACCESS_KEY_ID"),
                     options_.env.Get("AWS_SECRET_ACCESS_KEY"),
                     options_.env.Get("AWS_SESSION_TOKEN"), 0, "environment"};
}

Result<Credentials> CredentialChain::Resolve() {
  // A malformed shared file is refused, as the AWS CLI refuses it: a profile read from
  // half a file could be another profile's settings.
  if (!files_error_.empty()) return Status::InvalidArgument(files_error_);
  // An explicit --profile skips the environment keys, as the AWS CLI does.
  if (options_.profile.empty()) {
    Credentials env = EnvironmentCredentials();
    if (!env.empty()) return env;
  }
  const std::string profile = ProfileName();
  const bool profile_chosen = !options_.profile.empty() || !options_.env.Get("AWS_PROFILE").empty();
  bool profile_known = credentials_file_.count(profile) ||
                       config_file_.count("profile " + profile) ||
                       (profile == "default" && config_file_.count("default"));
  if (profile_known) {
    Result<Credentials> r = FromProfile(profile, 0);
    // A chosen profile's failure is the answer; the default profile may hold only settings.
    if (r.ok() || r.status().code() != Status::Code::kNotFound || profile_chosen) return r;
  } else if (profile_chosen) {
    return Status::NotFound(fmt::format(
        "profile '{}' is not in the shared credentials or config file (set AWS_CONFIG_FILE / "
        "AWS_SHARED_CREDENTIALS_FILE or pick another --profile)",
        profile));
  }
  std::string token_file = options_.env.Get("AWS_WEB_IDENTITY_TOKEN_FILE");
  std::string web_role = options_.env.Get("AWS_ROLE_ARN");
  if (!token_file.empty() && !web_role.empty()) {
    std::string region = DefaultRegion();
    return FromWebIdentity(web_role, token_file, options_.env.Get("AWS_ROLE_SESSION_NAME"),
                           region.empty() ? "us-east-1" : region);
  }
  if (!options_.env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty() ||
      !options_.env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI").empty()) {
    return FromContainer();
  }
  if (ToLower(options_.env.Get("AWS_EC2_METADATA_DISABLED")) != "true") {
    Result<Credentials> imds = FromImds();
    if (imds.ok()) return imds;
  }
  return Status::NotFound(
      "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, configure a profile "
      "in ~/.aws/credentials or ~/.aws/config (--profile), or run where container or instance "
      "credentials are available");
}

Result<Credentials> CredentialChain::FromProfile(const std::string& name, int depth) {
  if (depth > kMaxRoleChain) {
    return Status::InvalidArgument(fmt::format(
        "profile '{}': role chain longer than {} (source_profile loop?)", name, kMaxRoleChain));
  }
  IniSection s = ProfileSettings(name);
  if (s.count("role_arn") && s.count("web_identity_token_file")) {
    std::string region = s.count("region") ? s["region"] : DefaultRegion();
    return FromWebIdentity(s["role_arn"], s["web_identity_token_file"], s["role_session_name"],
                           region.empty() ? "us-east-1" : region);
  }
  if (s.count("role_arn")) {
    Result<Credentials> source = Status::NotFound("");
    if (s.count("source_profile")) {
      const std::string& src = s["source_profile"];
      // A profile that names itself uses its own static keys as the source.
      if (src == name && s.count("aws_access_key_id")) {
        Credentials c{s["aws_access_key_id"], s["aws_secret_access_key"], s["aws_session_token"], 0,
                      "profile " + name};
        source = c;
      } else {
        source = FromProfile(src, depth + 1);
      }
    } else if (s.count("credential_source")) {
      source = FromCredentialSource(name, s["credential_source"]);
    } else {
      return Status::InvalidArgument(fmt::format(
          "profile '{}' has role_arn but neither source_profile nor credential_source", name));
    }
    if (!source.ok()) return source.status();
    return AssumeRole(name, s, *source);
  }
  if (s.count("aws_access_key_id") || s.count("aws_secret_access_key")) {
    Credentials c;
    c.access_key_id = s["aws_access_key_id"];
    c.secret_access_key = s["aws_secret_access_key"];
    c.session_token = s["aws_session_token"];
    c.source = "profile " + name;
    if (c.empty()) {
      return Status::InvalidArgument(fmt::format(
          "profile '{}' has only one of aws_access_key_id / aws_secret_access_key", name));
    }
    return c;
  }
  if (s.count("credential_process")) return FromProcess(name, s["credential_process"]);
  if (s.count("sso_session") || s.count("sso_start_url")) return FromSso(name, s);
  return Status::NotFound(fmt::format("profile '{}' holds no credentials", name));
}

Result<Credentials> CredentialChain::FromCredentialSource(const std::string& profile,
                                                          const std::string& source) {
  if (source == "Environment") {
    Credentials env = EnvironmentCredentials();
    if (env.empty()) {
      return Status::NotFound(fmt::format(
          "profile '{}': credential_source Environment but AWS_ACCESS_KEY_ID is not set", profile));
    }
    return env;
  }
  if (source == "Ec2InstanceMetadata") return FromImds();
  if (source == "EcsContainer") return FromContainer();
  return Status::InvalidArgument(fmt::format(
      "profile '{}': credential_source '{}' is not one of Environment, Ec2InstanceMetadata, "
      "EcsContainer",
      profile, source));
}

Result<Credentials> CredentialChain::AssumeRole(const std::string& profile,
                                                const IniSection& settings,
                                                const Credentials& source) {
  QueryParams params;
  params.emplace_back("RoleArn", settings.at("role_arn"));
  auto get = [&](const char* key) {
    auto it = settings.find(key);
    return it == settings.end() ? std::string() : it->second;
  };
  std::string session = get("role_session_name");
  if (session.empty()) session = fmt::format("bulwark-{}", std::time(nullptr));
  params.emplace_back("RoleSessionName", session);
  if (!get("duration_seconds").empty())
    params.emplace_back("DurationSeconds", get("duration_seconds"));
  if (!get("external_id").empty()) params.emplace_back("ExternalId", get("external_id"));
  if (!get("mfa_serial").empty()) {
    std::optional<std::string> code;
    if (options_.mfa_prompt) code = options_.mfa_prompt(get("mfa_serial"));
    if (!code || code->empty()) {
      return Status::InvalidArgument(fmt::format(
          "profile '{}' requires an MFA code for {} but none could be read (run in a terminal)",
          profile, get("mfa_serial")));
    }
    params.emplace_back("SerialNumber", get("mfa_serial"));
    params.emplace_back("TokenCode", *code);
  }
  std::string region = get("region");
  if (region.empty()) region = DefaultRegion();
  if (region.empty()) region = "us-east-1";

  StaticCredentialProvider provider(source);
  ClientOptions copts;
  copts.endpoint_url = options_.endpoint_url;
  AwsClient sts(http_, provider, copts);
  Result<json> doc = sts.Query("sts", region, "AssumeRole", params);
  if (!doc.ok()) {
    return Status::Aws(doc.status().aws_code(),
                       fmt::format("profile '{}': assuming {} failed: {}", profile,
                                   settings.at("role_arn"), doc.status().message()),
                       doc.status().http_status());
  }
  const json& c = (*doc)["Credentials"];
  Credentials out;
  out.access_key_id = StringOr(c, "AccessKeyId");
  out.secret_access_key = StringOr(c, "SecretAccessKey");
  out.session_token = StringOr(c, "SessionToken");
  out.expiration = ParseIso8601(StringOr(c, "Expiration"));
  out.source = "assume-role " + settings.at("role_arn");
  if (out.empty()) {
    return Status::Parse(
        fmt::format("profile '{}': AssumeRole answered without credentials", profile));
  }
  return out;
}

// AssumeRoleWithWebIdentity is an unsigned STS call: the token file is the credential.
Result<Credentials> CredentialChain::FromWebIdentity(const std::string& role_arn,
                                                     const std::string& token_file,
                                                     const std::string& session_name,
                                                     const std::string& region) {
  std::ifstream in(token_file);
  if (!in) {
    return Status::Io(fmt::format("web identity token file {} cannot be read", token_file));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const ServiceInfo& sts = LookupService("sts");
  ApiRequest api = BuildQueryRequest(
      sts, "AssumeRoleWithWebIdentity",
      {{"RoleArn", role_arn},
       {"RoleSessionName",
        session_name.empty() ? fmt::format("bulwark-{}", std::time(nullptr)) : session_name},
       {"WebIdentityToken", Trim(ss.str())}});
  HttpRequest req;
  req.method = "POST";
  req.url = ResolveEndpoint(sts, region, options_.endpoint_url) + "/";
  req.headers = api.headers;
  req.body = api.body;
  Result<HttpResponse> resp = http_.Send(req);
  if (!resp.ok())
    return Status::Network("sts:AssumeRoleWithWebIdentity: " + resp.status().message());
  if (resp->status >= 300) {
    Status e = ParseErrorResponse(sts, *resp);
    return Status::Aws(
        e.aws_code(),
        fmt::format("sts:AssumeRoleWithWebIdentity for {}: {}", role_arn, e.message()),
        e.http_status());
  }
  Result<json> doc = ParseSuccessResponse(sts, *resp);
  if (!doc.ok()) return Status::Parse("sts:AssumeRoleWithWebIdentity: " + doc.status().message());
  const json& c = (*doc)["Credentials"];
  Credentials out{StringOr(c, "AccessKeyId"), StringOr(c, "SecretAccessKey"),
                  StringOr(c, "SessionToken"), ParseIso8601(StringOr(c, "Expiration")),
                  "web identity " + role_arn};
  if (out.empty())
    return Status::Parse("sts:AssumeRoleWithWebIdentity answered without credentials");
  return out;
}

// IAM Identity Center: the access token `aws sso login` cached, exchanged for role
// credentials at the SSO portal (a bearer-token call, not SigV4).
Result<Credentials> CredentialChain::FromSso(const std::string& profile,
                                             const IniSection& settings) {
  auto get = [&](const IniSection& s, const char* key) {
    auto it = s.find(key);
    return it == s.end() ? std::string() : it->second;
  };
  std::string cache_key = get(settings, "sso_start_url");
  std::string sso_region = get(settings, "sso_region");
  std::string session = get(settings, "sso_session");
  if (!session.empty()) {
    auto it = config_file_.find("sso-session " + session);
    if (it == config_file_.end()) {
      return Status::InvalidArgument(fmt::format(
          "profile '{}' names sso_session '{}' but the config file has no [sso-session {}]",
          profile, session, session));
    }
    cache_key = session;
    if (sso_region.empty()) sso_region = get(it->second, "sso_region");
  }
  std::string account = get(settings, "sso_account_id");
  std::string role = get(settings, "sso_role_name");
  if (account.empty() || role.empty() || sso_region.empty()) {
    return Status::InvalidArgument(fmt::format(
        "profile '{}' needs sso_account_id, sso_role_name and sso_region for IAM Identity Center",
        profile));
  }
  std::string cache_file = HomeDir() + "/.aws/sso/cache/" + Sha1Hex(cache_key) + ".json";
  std::ifstream in(cache_file);
  std::stringstream ss;
  ss << in.rdbuf();
  json cached = json::parse(ss.str(), nullptr, false);
  std::string token = cached.is_object() ? StringOr(cached, "accessToken") : "";
  std::time_t expires = cached.is_object() ? ParseIso8601(StringOr(cached, "expiresAt")) : 0;
  if (token.empty() || expires <= std::time(nullptr)) {
    return Status::InvalidArgument(
        fmt::format("the IAM Identity Center session of profile '{}' is missing or expired: run "
                    "'aws sso login --profile {}'",
                    profile, profile));
  }
  const ServiceInfo& sso = LookupService("sso");
  std::string base = ResolveEndpoint(sso, sso_region, options_.endpoint_url);
  HttpRequest req;
  req.url = fmt::format("{}/federation/credentials?account_id={}&role_name={}", base,
                        UriEncode(account), UriEncode(role));
  req.headers.emplace_back("x-amz-sso_bearer_token", token);
  Result<HttpResponse> resp = http_.Send(req);
  if (!resp.ok()) return Status::Network("sso:GetRoleCredentials: " + resp.status().message());
  if (resp->status != 200) {
    Status e = ParseErrorResponse(sso, *resp);
    return Status::Aws(e.aws_code(),
                       fmt::format("sso:GetRoleCredentials for profile '{}' ({} in {}): {}",
                                   profile, role, account, e.message()),
                       e.http_status());
  }
  json doc = json::parse(resp->body, nullptr, false);
  const json c =
      doc.is_object() && doc.contains("roleCredentials") ? doc["roleCredentials"] : json();
  Credentials out{
      StringOr(c, "accessKeyId"), StringOr(c, "secretAccessKey"), StringOr(c, "sessionToken"),
      static_cast<std::time_t>(IntOr(c, "expiration") / 1000), "sso profile " + profile};
  if (out.empty()) return Status::Parse("sso:GetRoleCredentials answered without credentials");
  return out;
}

Result<Credentials> CredentialChain::FromProcess(const std::string& profile,
                                                 const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    return Status::Io(fmt::format("profile '{}': could not start credential_process", profile));
  }
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int rc = pclose(pipe);
  if (rc != 0) {
    // The output is not echoed: it may hold secrets.
    return Status::Io(fmt::format("profile '{}': credential_process exited with status {}", profile,
                                  WEXITSTATUS(rc)));
  }
  return FromJsonDocument(out, "credential_process of profile " + profile, "SessionToken");
}

Result<Credentials> CredentialChain::FromContainer() {
  std::string url = options_.env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  std::string relative = options_.env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  if (!relative.empty()) url = "http://169.254.170.2" + relative;
  HttpRequest req;
  req.url = url;
  req.timeout_ms = 5000;
  std::string token = options_.env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  std::string token_file = options_.env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    std::stringstream ss;
    ss << in.rdbuf();
    token = Trim(ss.str());
  }
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  Result<HttpResponse> resp = http_.Send(req);
  if (!resp.ok()) return Status::Network("container credentials: " + resp.status().message());
  if (resp->status != 200) {
    return Status::Network(fmt::format("container credentials endpoint {} answered HTTP {}",
                                       UrlForDisplay(url), resp->status));
  }
  return FromJsonDocument(resp->body, "container credentials", "Token");
}

Result<Credentials> CredentialChain::FromImds() {
  std::string base = options_.env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (base.empty()) base = "http://169.254.169.254";
  while (EndsWith(base, "/")) base.pop_back();
  HttpRequest token_req;
  token_req.method = "PUT";
  token_req.url = base + "/latest/api/token";
  token_req.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
  token_req.timeout_ms = 1000;
  Result<HttpResponse> token = http_.Send(token_req);
  if (!token.ok() || token->status != 200) {
    return Status::Network("instance metadata (IMDSv2) token request failed");
  }
  auto get = [&](const std::string& path) -> Result<std::string> {
    HttpRequest req;
    req.url = base + path;
    req.timeout_ms = 1000;
    req.headers.emplace_back("X-aws-ec2-metadata-token", token->body);
    Result<HttpResponse> r = http_.Send(req);
    if (!r.ok()) return r.status();
    if (r->status != 200) {
      return Status::Network(fmt::format("instance metadata {} answered HTTP {}", path, r->status));
    }
    return r->body;
  };
  Result<std::string> roles = get("/latest/meta-data/iam/security-credentials/");
  if (!roles.ok()) return roles.status();
  std::string role = Trim(Split(*roles, '\n').front());
  if (role.empty()) return Status::NotFound("instance metadata lists no instance profile role");
  Result<std::string> doc = get("/latest/meta-data/iam/security-credentials/" + role);
  if (!doc.ok()) return doc.status();
  return FromJsonDocument(*doc, "instance metadata role " + role, "Token");
}

}  // namespace bulwark::aws
