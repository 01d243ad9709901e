// Lambda, per region: functions with their resource policy and function URL auth type.
// Environment variable values are never stored: only their names.
#include "aws/xml_json.h"
#include "collect/service.h"
#include "util/strings.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::StringOr;
using nlohmann::json;

bool IsNotFound(const Status& s) { return s.aws_code() == "ResourceNotFoundException"; }

bool Function(CollectContext& ctx, const std::string& region, json f) {
  std::string name = StringOr(f, "FunctionName");
  std::string path = "/functions/" + UriEncode(name);
  json env_names = json::array();
  if (f.contains("Environment") && f["Environment"].contains("Variables")) {
    for (const auto& [k, v] : f["Environment"]["Variables"].items()) env_names.push_back(k);
    f["Environment"]["Variables"] = env_names;  // names only, in raw too
  }
  const json vpc = f.value("VpcConfig", json::object());
  const json tracing = f.value("TracingConfig", json::object());
  json row = {{"name", name},
              {"arn", StringOr(f, "FunctionArn")},
              {"runtime", NullIfEmpty(StringOr(f, "Runtime"))},
              {"role", StringOr(f, "Role")},
              {"last_modified", NullIfEmpty(StringOr(f, "LastModified"))},
              {"vpc_id", NullIfEmpty(StringOr(vpc, "VpcId"))},
              {"kms_key_arn", NullIfEmpty(StringOr(f, "KMSKeyArn"))},
              {"environment_variable_names", env_names},
              {"tracing_mode", NullIfEmpty(StringOr(tracing, "Mode"))}};
  bool ok = true;
  Result<json> policy =
      ctx.client.RestJson("lambda", region, "GET", "/2015-03-31" + path + "/policy");
  if (policy.ok()) {
    row["policy"] =
        ctx.PolicyDocument(StringOr(*policy, "Policy"), "lambda", "GetPolicy", region, name);
  } else if (!IsNotFound(policy.status())) {
    ok = ctx.Check(policy.status(), "lambda", "GetPolicy", region, name);
  }
  Result<json> url = ctx.client.RestJson("lambda", region, "GET", "/2021-10-31" + path + "/url");
  if (url.ok()) {
    row["url_auth_type"] = NullIfEmpty(StringOr(*url, "AuthType"));
    f["FunctionUrlConfig"] = *url;
  } else if (!IsNotFound(url.status())) {
    ok = ctx.Check(url.status(), "lambda", "GetFunctionUrlConfig", region, name) && ok;
  }
  ctx.Put("aws_lambda_function", region, row, f);
  return ok;
}

bool Functions(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateRestJson(
      "lambda", region, "/2015-03-31/functions/", {{"MaxItems", "50"}}, "Marker", "NextMarker",
      [&](const json& page) {
        for (const auto& f : ArrayOrEmpty(page, "Functions")) {
          ctx.spawn({"lambda " + region + " function " + StringOr(f, "FunctionName"),
                     [region, f](CollectContext& c) { return Function(c, region, f); }});
        }
      });
  return ctx.Check(s, "lambda", "ListFunctions", region);
}

void AddLambdaTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"lambda " + r + " functions", [r](CollectContext& c) { return Functions(c, r); }});
}

}  // namespace

ServiceSpec service::lambda() {
  using T = snapshot::ColumnType;
  return {
      "lambda",
      Scope::kRegional,
      AddLambdaTasks,
      {{"aws_lambda_function",
        "lambda:ListFunctions with GetPolicy and GetFunctionUrlConfig per function.",
        {{"name", T::kText, ""},
         {"arn", T::kText, ""},
         {"runtime", T::kText, "NULL for container images"},
         {"role", T::kText, "execution role ARN"},
         {"last_modified", T::kTimestamp, ""},
         {"vpc_id", T::kText, ""},
         {"kms_key_arn", T::kText, "key for environment variables"},
         {"environment_variable_names", T::kJson, "names only: values are never stored"},
         {"policy", T::kJson, "resource-based policy, decoded; NULL when none", "lambda:GetPolicy"},
         {"url_auth_type", T::kText, "function URL auth: AWS_IAM or NONE; NULL without URL",
          "lambda:GetFunctionUrlConfig"},
         {"tracing_mode", T::kText, ""}},
        {"lambda:ListFunctions"},
        "name"}}};
}

}  // namespace bulwark::collect
