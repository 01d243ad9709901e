// Elastic Load Balancing v2, per region: load balancers and their listeners (HTTPS and
// TLS policies).
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::IntOr;
using aws::StringOr;
using nlohmann::json;

bool Listeners(CollectContext& ctx, const std::string& region, const std::string& lb_arn) {
  Status s = ctx.client.PaginateQuery(
      "elasticloadbalancing", region, "DescribeListeners", {{"LoadBalancerArn", lb_arn}}, "Marker",
      "NextMarker", [&](const json& page) {
        for (const auto& l : ArrayOrEmpty(page, "Listeners")) {
          json row = {{"listener_arn", StringOr(l, "ListenerArn")},
                      {"load_balancer_arn", StringOr(l, "LoadBalancerArn", lb_arn)},
                      {"port", IntOr(l, "Port")},
                      {"protocol", StringOr(l, "Protocol")},
                      {"ssl_policy", NullIfEmpty(StringOr(l, "SslPolicy"))},
                      {"certificates", ArrayOrEmpty(l, "Certificates")},
                      {"default_actions", ArrayOrEmpty(l, "DefaultActions")}};
          ctx.Put("aws_ec2_load_balancer_listener", region, row, l);
        }
      });
  return ctx.Check(s, "elasticloadbalancing", "DescribeListeners", region);
}

bool LoadBalancers(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateQuery(
      "elasticloadbalancing", region, "DescribeLoadBalancers", {}, "Marker", "NextMarker",
      [&](const json& page) {
        for (const auto& lb : ArrayOrEmpty(page, "LoadBalancers")) {
          std::string arn = StringOr(lb, "LoadBalancerArn");
          const json state = lb.contains("State") ? lb["State"] : json::object();
          json row = {{"name", StringOr(lb, "LoadBalancerName")},
                      {"arn", arn},
                      {"type", StringOr(lb, "Type")},
                      {"scheme", StringOr(lb, "Scheme")},
                      {"dns_name", StringOr(lb, "DNSName")},
                      {"vpc_id", NullIfEmpty(StringOr(lb, "VpcId"))},
                      {"state", StringOr(state, "Code")},
                      {"security_groups", ArrayOrEmpty(lb, "SecurityGroups")}};
          ctx.Put("aws_ec2_load_balancer", region, row, lb);
          ctx.spawn({"elbv2 " + region + " listeners of " + arn,
                     [region, arn](CollectContext& c) { return Listeners(c, region, arn); }});
        }
      });
  return ctx.Check(s, "elasticloadbalancing", "DescribeLoadBalancers", region);
}

void AddElbv2Tasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"elbv2 " + r + " load balancers", [r](CollectContext& c) { return LoadBalancers(c, r); }});
}

}  // namespace

ServiceSpec service::elbv2() {
  using T = snapshot::ColumnType;
  return {
      "elbv2",
      Scope::kRegional,
      AddElbv2Tasks,
      {{"aws_ec2_load_balancer",
        "elasticloadbalancing:DescribeLoadBalancers (v2: application, network, gateway).",
        {{"name", T::kText, ""},
         {"arn", T::kText, ""},
         {"type", T::kText, "application, network or gateway"},
         {"scheme", T::kText, "internet-facing or internal"},
         {"dns_name", T::kText, ""},
         {"vpc_id", T::kText, ""},
         {"state", T::kText, ""},
         {"security_groups", T::kJson, ""}},
        {"elasticloadbalancing:DescribeLoadBalancers"},
        "arn"},
       {"aws_ec2_load_balancer_listener",
        "elasticloadbalancing:DescribeListeners for every load balancer.",
        {{"listener_arn", T::kText, ""},
         {"load_balancer_arn", T::kText, ""},
         {"port", T::kInteger, ""},
         {"protocol", T::kText, "HTTP, HTTPS, TCP, TLS, ..."},
         {"ssl_policy", T::kText, ""},
         {"certificates", T::kJson, ""},
         {"default_actions", T::kJson, ""}},
        {"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners"},
        "listener_arn"}}};
}

}  // namespace bulwark::collect
