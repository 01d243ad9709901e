// EKS, per region: clusters with their endpoint exposure, control plane logging and
// secrets encryption.
#include "aws/xml_json.h"
#include "collect/service.h"
#include "util/strings.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool Cluster(CollectContext& ctx, const std::string& region, const std::string& name) {
  Result<json> doc = ctx.client.RestJson("eks", region, "GET", "/clusters/" + UriEncode(name));
  if (!ctx.Check(doc.status(), "eks", "DescribeCluster", region, name)) return false;
  const json c = doc->value("cluster", json::object());
  const json vpc = c.value("resourcesVpcConfig", json::object());
  json logs = json::array();
  const json logging = c.value("logging", json::object());
  for (const auto& setup : ArrayOrEmpty(logging, "clusterLogging")) {
    if (!BoolOr(setup, "enabled")) continue;
    for (const auto& t : ArrayOrEmpty(setup, "types")) logs.push_back(t);
  }
  bool secrets = false;
  for (const auto& e : ArrayOrEmpty(c, "encryptionConfig")) {
    for (const auto& r : ArrayOrEmpty(e, "resources")) secrets = secrets || r == "secrets";
  }
  json row = {{"name", StringOr(c, "name", name)},
              {"arn", StringOr(c, "arn")},
              {"version", StringOr(c, "version")},
              {"status", StringOr(c, "status")},
              {"endpoint_public_access", BoolOr(vpc, "endpointPublicAccess")},
              {"endpoint_private_access", BoolOr(vpc, "endpointPrivateAccess")},
              {"public_access_cidrs", ArrayOrEmpty(vpc, "publicAccessCidrs")},
              {"enabled_log_types", logs},
              {"secrets_encrypted", secrets}};
  ctx.Put("aws_eks_cluster", region, row, c);
  return true;
}

bool Clusters(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateRestJson(
      "eks", region, "/clusters", {{"maxResults", "100"}}, "nextToken", "nextToken",
      [&](const json& page) {
        for (const auto& n : ArrayOrEmpty(page, "clusters")) {
          std::string name = n.get<std::string>();
          ctx.spawn({"eks " + region + " cluster " + name,
                     [region, name](CollectContext& c) { return Cluster(c, region, name); }});
        }
      });
  return ctx.Check(s, "eks", "ListClusters", region);
}

void AddEksTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back({"eks " + r + " clusters", [r](CollectContext& c) { return Clusters(c, r); }});
}

}  // namespace

ServiceSpec service::eks() {
  using T = snapshot::ColumnType;
  return {"eks",
          Scope::kRegional,
          AddEksTasks,
          {{"aws_eks_cluster",
            "eks:ListClusters with DescribeCluster.",
            {{"name", T::kText, ""},
             {"arn", T::kText, ""},
             {"version", T::kText, "Kubernetes version"},
             {"status", T::kText, ""},
             {"endpoint_public_access", T::kBoolean, ""},
             {"endpoint_private_access", T::kBoolean, ""},
             {"public_access_cidrs", T::kJson, ""},
             {"enabled_log_types", T::kJson, "control plane log types sent to CloudWatch"},
             {"secrets_encrypted", T::kBoolean, "envelope encryption of secrets with KMS"}},
            {"eks:ListClusters", "eks:DescribeCluster"},
            "name"}}};
}

}  // namespace bulwark::collect
