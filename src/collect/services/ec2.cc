// EC2 and VPC, per region: security groups (and one row per rule), network ACLs (and one
// row per entry), VPCs, subnets, route tables (and one row per route), flow logs,
// instances, EBS volumes, snapshots (and which are public), AMIs and EBS default
// encryption.
#include <fmt/format.h>

#include <map>

#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::IntOr;
using aws::StringOr;
using nlohmann::json;

// Runs a paginated Describe call (NextToken in and out) and hands each listed item to fn.
bool DescribeAll(CollectContext& ctx, const std::string& region, const std::string& action,
                 const std::string& list_key, const aws::QueryParams& params,
                 const std::function<void(const json&)>& fn) {
  Status s = ctx.client.PaginateQuery("ec2", region, action, params, "NextToken", "NextToken",
                                      [&](const json& page) {
                                        for (const auto& item : ArrayOrEmpty(page, list_key))
                                          fn(item);
                                      });
  return ctx.Check(s, "ec2", action, region);
}

void PutRules(CollectContext& ctx, const std::string& region, const json& sg, bool egress) {
  for (const auto& perm : ArrayOrEmpty(sg, egress ? "IpPermissionsEgress" : "IpPermissions")) {
    json base = {{"group_id", StringOr(sg, "GroupId")},
                 {"group_name", StringOr(sg, "GroupName")},
                 {"vpc_id", NullIfEmpty(StringOr(sg, "VpcId"))},
                 {"is_egress", egress},
                 {"ip_protocol", StringOr(perm, "IpProtocol")},
                 {"from_port", OptionalInt(perm, "FromPort")},
                 {"to_port", OptionalInt(perm, "ToPort")}};
    auto put = [&](const char* column, const json& source, const char* key) {
      json row = base;
      row[column] = StringOr(source, key);
      row["description"] = NullIfEmpty(StringOr(source, "Description"));
      ctx.Put("aws_vpc_security_group_rule", region, row, perm);
    };
    for (const auto& r : ArrayOrEmpty(perm, "IpRanges")) put("cidr_ipv4", r, "CidrIp");
    for (const auto& r : ArrayOrEmpty(perm, "Ipv6Ranges")) put("cidr_ipv6", r, "CidrIpv6");
    for (const auto& r : ArrayOrEmpty(perm, "UserIdGroupPairs"))
      put("referenced_group_id", r, "GroupId");
    for (const auto& r : ArrayOrEmpty(perm, "PrefixListIds"))
      put("prefix_list_id", r, "PrefixListId");
  }
}

bool SecurityGroups(CollectContext& ctx, const std::string& region) {
  return DescribeAll(ctx, region, "DescribeSecurityGroups", "SecurityGroups",
                     {{"MaxResults", "1000"}}, [&](const json& sg) {
                       std::string id = StringOr(sg, "GroupId");
                       json row = {
                           {"group_id", id},
                           {"group_name", StringOr(sg, "GroupName")},
                           {"arn", ctx.Arn("ec2", region, "security-group/" + id)},
                           {"description", StringOr(sg, "Description")},
                           {"vpc_id", NullIfEmpty(StringOr(sg, "VpcId"))},
                           {"owner_id", StringOr(sg, "OwnerId")},
                           {"ip_permissions", ArrayOrEmpty(sg, "IpPermissions")},
                           {"ip_permissions_egress", ArrayOrEmpty(sg, "IpPermissionsEgress")},
                           {"tags", TagsToObject(sg.value("Tags", json()))}};
                       ctx.Put("aws_ec2_security_group", region, row, sg);
                       PutRules(ctx, region, sg, false);
                       PutRules(ctx, region, sg, true);
                     });
}

bool NetworkAcls(CollectContext& ctx, const std::string& region) {
  return DescribeAll(
      ctx, region, "DescribeNetworkAcls", "NetworkAcls", {{"MaxResults", "1000"}},
      [&](const json& acl) {
        std::string id = StringOr(acl, "NetworkAclId");
        std::string vpc = StringOr(acl, "VpcId");
        json row = {{"network_acl_id", id},
                    {"vpc_id", vpc},
                    {"is_default", BoolOr(acl, "IsDefault")},
                    {"owner_id", StringOr(acl, "OwnerId")},
                    {"entries", ArrayOrEmpty(acl, "Entries")},
                    {"associations", ArrayOrEmpty(acl, "Associations")},
                    {"tags", TagsToObject(acl.value("Tags", json()))}};
        ctx.Put("aws_vpc_network_acl", region, row, acl);
        for (const auto& e : ArrayOrEmpty(acl, "Entries")) {
          const json range = e.contains("PortRange") ? e["PortRange"] : json::object();
          json entry = {{"network_acl_id", id},
                        {"vpc_id", vpc},
                        {"rule_number", IntOr(e, "RuleNumber")},
                        {"egress", BoolOr(e, "Egress")},
                        {"rule_action", StringOr(e, "RuleAction")},
                        {"protocol", StringOr(e, "Protocol")},
                        {"cidr_block", NullIfEmpty(StringOr(e, "CidrBlock"))},
                        {"ipv6_cidr_block", NullIfEmpty(StringOr(e, "Ipv6CidrBlock"))},
                        {"from_port", OptionalInt(range, "From")},
                        {"to_port", OptionalInt(range, "To")}};
          ctx.Put("aws_vpc_network_acl_entry", region, entry, e);
        }
      });
}

bool Vpcs(CollectContext& ctx, const std::string& region) {
  return DescribeAll(
      ctx, region, "DescribeVpcs", "Vpcs", {{"MaxResults", "1000"}}, [&](const json& v) {
        json row = {
            {"vpc_id", StringOr(v, "VpcId")},     {"cidr_block", StringOr(v, "CidrBlock")},
            {"state", StringOr(v, "State")},      {"is_default", BoolOr(v, "IsDefault")},
            {"owner_id", StringOr(v, "OwnerId")}, {"tags", TagsToObject(v.value("Tags", json()))}};
        ctx.Put("aws_vpc", region, row, v);
      });
}

bool FlowLogs(CollectContext& ctx, const std::string& region) {
  return DescribeAll(
      ctx, region, "DescribeFlowLogs", "FlowLogs", {{"MaxResults", "1000"}}, [&](const json& f) {
        json row = {{"flow_log_id", StringOr(f, "FlowLogId")},
                    {"resource_id", StringOr(f, "ResourceId")},
                    {"traffic_type", StringOr(f, "TrafficType")},
                    {"flow_log_status", StringOr(f, "FlowLogStatus")},
                    {"deliver_logs_status", NullIfEmpty(StringOr(f, "DeliverLogsStatus"))},
                    {"log_destination_type", StringOr(f, "LogDestinationType")},
                    {"log_destination", NullIfEmpty(StringOr(f, "LogDestination"))},
                    {"log_group_name", NullIfEmpty(StringOr(f, "LogGroupName"))}};
        ctx.Put("aws_vpc_flow_log", region, row, f);
      });
}

bool Instances(CollectContext& ctx, const std::string& region) {
  return DescribeAll(
      ctx, region, "DescribeInstances", "Reservations", {{"MaxResults", "1000"}},
      [&](const json& reservation) {
        for (json inst : ArrayOrEmpty(reservation, "Instances")) {
          // The XML's groupSet inside an instance is the CLI's SecurityGroups.
          if (inst.contains("Groups") && !inst.contains("SecurityGroups")) {
            inst["SecurityGroups"] = inst["Groups"];
            inst.erase("Groups");
          }
          std::string id = StringOr(inst, "InstanceId");
          const json meta = inst.contains("MetadataOptions") ? inst["MetadataOptions"] : json();
          const json profile =
              inst.contains("IamInstanceProfile") ? inst["IamInstanceProfile"] : json();
          const json state = inst.contains("State") ? inst["State"] : json();
          json row = {{"instance_id", id},
                      {"arn", ctx.Arn("ec2", region, "instance/" + id)},
                      {"instance_type", StringOr(inst, "InstanceType")},
                      {"instance_state", StringOr(state, "Name")},
                      {"image_id", StringOr(inst, "ImageId")},
                      {"vpc_id", NullIfEmpty(StringOr(inst, "VpcId"))},
                      {"subnet_id", NullIfEmpty(StringOr(inst, "SubnetId"))},
                      {"private_ip_address", NullIfEmpty(StringOr(inst, "PrivateIpAddress"))},
                      {"public_ip_address", NullIfEmpty(StringOr(inst, "PublicIpAddress"))},
                      {"iam_instance_profile_arn", NullIfEmpty(StringOr(profile, "Arn"))},
                      {"launch_time", StringOr(inst, "LaunchTime")},
                      {"metadata_options", meta},
                      {"http_tokens", NullIfEmpty(StringOr(meta, "HttpTokens"))},
                      {"http_endpoint", NullIfEmpty(StringOr(meta, "HttpEndpoint"))},
                      {"security_groups", ArrayOrEmpty(inst, "SecurityGroups")},
                      {"tags", TagsToObject(inst.value("Tags", json()))}};
          ctx.Put("aws_ec2_instance", region, row, inst);
        }
      });
}

bool Volumes(CollectContext& ctx, const std::string& region) {
  return DescribeAll(ctx, region, "DescribeVolumes", "Volumes", {{"MaxResults", "1000"}},
                     [&](const json& v) {
                       std::string id = StringOr(v, "VolumeId");
                       json row = {{"volume_id", id},
                                   {"arn", ctx.Arn("ec2", region, "volume/" + id)},
                                   {"size", OptionalInt(v, "Size")},
                                   {"volume_type", StringOr(v, "VolumeType")},
                                   // The XML's <status> is the CLI's State.
                                   {"state", StringOr(v, "Status", StringOr(v, "State"))},
                                   {"encrypted", BoolOr(v, "Encrypted")},
                                   {"kms_key_id", NullIfEmpty(StringOr(v, "KmsKeyId"))},
                                   {"availability_zone", StringOr(v, "AvailabilityZone")},
                                   {"create_time", StringOr(v, "CreateTime")},
                                   {"attachments", ArrayOrEmpty(v, "Attachments")},
                                   {"tags", TagsToObject(v.value("Tags", json()))}};
                       ctx.Put("aws_ebs_volume", region, row, v);
                     });
}

bool Subnets(CollectContext& ctx, const std::string& region) {
  return DescribeAll(
      ctx, region, "DescribeSubnets", "Subnets", {{"MaxResults", "1000"}}, [&](const json& sn) {
        std::string id = StringOr(sn, "SubnetId");
        json row = {{"subnet_id", id},
                    {"arn", StringOr(sn, "SubnetArn", ctx.Arn("ec2", region, "subnet/" + id))},
                    {"vpc_id", StringOr(sn, "VpcId")},
                    {"cidr_block", StringOr(sn, "CidrBlock")},
                    {"availability_zone", StringOr(sn, "AvailabilityZone")},
                    {"map_public_ip_on_launch", BoolOr(sn, "MapPublicIpOnLaunch")},
                    {"default_for_az", BoolOr(sn, "DefaultForAz")},
                    {"tags", TagsToObject(sn.value("Tags", json()))}};
        ctx.Put("aws_vpc_subnet", region, row, sn);
      });
}

bool RouteTables(CollectContext& ctx, const std::string& region) {
  return DescribeAll(ctx, region, "DescribeRouteTables", "RouteTables", {{"MaxResults", "100"}},
                     [&](const json& rt) {
                       std::string id = StringOr(rt, "RouteTableId");
                       std::string vpc = StringOr(rt, "VpcId");
                       bool is_main = false;
                       for (const auto& a : ArrayOrEmpty(rt, "Associations"))
                         is_main = is_main || BoolOr(a, "Main");
                       json row = {{"route_table_id", id},
                                   {"vpc_id", vpc},
                                   {"is_main", is_main},
                                   {"associations", ArrayOrEmpty(rt, "Associations")},
                                   {"routes", ArrayOrEmpty(rt, "Routes")},
                                   {"tags", TagsToObject(rt.value("Tags", json()))}};
                       ctx.Put("aws_vpc_route_table", region, row, rt);
                       for (const auto& r : ArrayOrEmpty(rt, "Routes")) {
                         json route = {{"route_table_id", id}, {"vpc_id", vpc}};
                         for (const auto& [column, key] :
                              std::initializer_list<std::pair<const char*, const char*>>{
                                  {"destination_cidr_block", "DestinationCidrBlock"},
                                  {"destination_ipv6_cidr_block", "DestinationIpv6CidrBlock"},
                                  {"destination_prefix_list_id", "DestinationPrefixListId"},
                                  {"gateway_id", "GatewayId"},
                                  {"nat_gateway_id", "NatGatewayId"},
                                  {"transit_gateway_id", "TransitGatewayId"},
                                  {"vpc_peering_connection_id", "VpcPeeringConnectionId"},
                                  {"instance_id", "InstanceId"},
                                  {"network_interface_id", "NetworkInterfaceId"},
                                  {"state", "State"}}) {
                           route[column] = NullIfEmpty(StringOr(r, key));
                         }
                         ctx.Put("aws_vpc_route", region, route, r);
                       }
                     });
}

void PutSnapshot(CollectContext& ctx, const std::string& region, const json& sn, bool is_public) {
  std::string id = StringOr(sn, "SnapshotId");
  json row = {{"snapshot_id", id},
              {"arn", ctx.Arn("ec2", region, "snapshot/" + id)},
              {"volume_id", NullIfEmpty(StringOr(sn, "VolumeId"))},
              {"volume_size", OptionalInt(sn, "VolumeSize")},
              {"state", StringOr(sn, "State", StringOr(sn, "Status"))},
              {"encrypted", BoolOr(sn, "Encrypted")},
              {"kms_key_id", NullIfEmpty(StringOr(sn, "KmsKeyId"))},
              {"start_time", StringOr(sn, "StartTime")},
              {"description", NullIfEmpty(StringOr(sn, "Description"))},
              {"is_public", is_public},
              {"tags", TagsToObject(sn.value("Tags", json()))}};
  ctx.Put("aws_ebs_snapshot", region, row, sn);
}

// Own snapshots, and which of them anyone may restore: one extra call instead of one
// DescribeSnapshotAttribute per snapshot. A public snapshot the first listing missed
// (made between the calls) is kept too.
bool Snapshots(CollectContext& ctx, const std::string& region) {
  std::map<std::string, json> open;
  bool ok = DescribeAll(ctx, region, "DescribeSnapshots", "Snapshots",
                        {{"Owner.1", "self"}, {"RestorableBy.1", "all"}, {"MaxResults", "1000"}},
                        [&](const json& sn) { open[StringOr(sn, "SnapshotId")] = sn; });
  if (!ok) return false;
  ok = DescribeAll(ctx, region, "DescribeSnapshots", "Snapshots",
                   {{"Owner.1", "self"}, {"MaxResults", "1000"}}, [&](const json& sn) {
                     // Owner self is the API's promise; another owner's snapshot is not ours.
                     std::string owner = StringOr(sn, "OwnerId");
                     if (!owner.empty() && owner != ctx.account_id) return;
                     auto it = open.find(StringOr(sn, "SnapshotId"));
                     PutSnapshot(ctx, region, sn, it != open.end());
                     if (it != open.end()) open.erase(it);
                   });
  for (const auto& [id, sn] : open) PutSnapshot(ctx, region, sn, true);
  return ok;
}

bool Images(CollectContext& ctx, const std::string& region) {
  return DescribeAll(ctx, region, "DescribeImages", "Images",
                     {{"Owner.1", "self"}, {"MaxResults", "1000"}}, [&](const json& img) {
                       std::string id = StringOr(img, "ImageId");
                       json row = {
                           {"image_id", id},
                           {"arn", ctx.Arn("ec2", region, "image/" + id)},
                           {"name", StringOr(img, "Name")},
                           {"state", StringOr(img, "State", StringOr(img, "ImageState"))},
                           {"public", BoolOr(img, "Public", BoolOr(img, "IsPublic"))},
                           {"creation_date", NullIfEmpty(StringOr(img, "CreationDate"))},
                           {"deprecation_time", NullIfEmpty(StringOr(img, "DeprecationTime"))},
                           {"block_device_mappings", ArrayOrEmpty(img, "BlockDeviceMappings")},
                           {"tags", TagsToObject(img.value("Tags", json()))}};
                       ctx.Put("aws_ec2_ami", region, row, img);
                     });
}

bool EbsDefaults(CollectContext& ctx, const std::string& region) {
  Result<json> doc = ctx.client.Query("ec2", region, "GetEbsEncryptionByDefault");
  if (!doc.ok()) {
    ctx.RecordError("ec2", "GetEbsEncryptionByDefault", region, doc.status());
    return false;
  }
  json row = {{"default_ebs_encryption_enabled", BoolOr(*doc, "EbsEncryptionByDefault")}};
  ctx.Put("aws_ec2_regional_settings", region, row, *doc);
  return true;
}

void AddEc2Tasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"ec2 " + r + " security groups", [r](CollectContext& c) { return SecurityGroups(c, r); }});
  tasks.push_back(
      {"ec2 " + r + " network ACLs", [r](CollectContext& c) { return NetworkAcls(c, r); }});
  tasks.push_back({"ec2 " + r + " VPCs", [r](CollectContext& c) { return Vpcs(c, r); }});
  tasks.push_back({"ec2 " + r + " subnets", [r](CollectContext& c) { return Subnets(c, r); }});
  tasks.push_back(
      {"ec2 " + r + " route tables", [r](CollectContext& c) { return RouteTables(c, r); }});
  tasks.push_back({"ec2 " + r + " snapshots", [r](CollectContext& c) { return Snapshots(c, r); }});
  tasks.push_back({"ec2 " + r + " AMIs", [r](CollectContext& c) { return Images(c, r); }});
  tasks.push_back({"ec2 " + r + " flow logs", [r](CollectContext& c) { return FlowLogs(c, r); }});
  tasks.push_back({"ec2 " + r + " instances", [r](CollectContext& c) { return Instances(c, r); }});
  tasks.push_back({"ec2 " + r + " volumes", [r](CollectContext& c) { return Volumes(c, r); }});
  tasks.push_back(
      {"ec2 " + r + " EBS defaults", [r](CollectContext& c) { return EbsDefaults(c, r); }});
}

}  // namespace

ServiceSpec service::ec2() {
  using T = snapshot::ColumnType;
  return {"ec2",
          Scope::kRegional,
          AddEc2Tasks,
          {{"aws_region",
            "Regions of the account (ec2:DescribeRegions --all-regions).",
            {{"name", T::kText, "region name"},
             {"opt_in_status", T::kText, "opt-in-not-required, opted-in or not-opted-in"},
             {"endpoint", T::kText, "EC2 endpoint host"}},
            {"ec2:DescribeRegions"},
            "name"},
           {"aws_ebs_snapshot",
            "ec2:DescribeSnapshots --owner-ids self; is_public from a second call with "
            "--restorable-by-user-ids all.",
            {{"snapshot_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"volume_id", T::kText, ""},
             {"volume_size", T::kInteger, "GiB"},
             {"state", T::kText, ""},
             {"encrypted", T::kBoolean, ""},
             {"kms_key_id", T::kText, ""},
             {"start_time", T::kTimestamp, ""},
             {"description", T::kText, ""},
             {"is_public", T::kBoolean, "anyone may create a volume from it"},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeSnapshots"},
            "snapshot_id"},
           {"aws_ebs_volume",
            "ec2:DescribeVolumes.",
            {{"volume_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"size", T::kInteger, "GiB"},
             {"volume_type", T::kText, ""},
             {"state", T::kText, ""},
             {"encrypted", T::kBoolean, ""},
             {"kms_key_id", T::kText, ""},
             {"availability_zone", T::kText, ""},
             {"create_time", T::kTimestamp, ""},
             {"attachments", T::kJson, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeVolumes"},
            "volume_id"},
           {"aws_ec2_ami",
            "ec2:DescribeImages --owners self.",
            {{"image_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"name", T::kText, ""},
             {"state", T::kText, ""},
             {"public", T::kBoolean, "launch permission for everyone"},
             {"creation_date", T::kTimestamp, ""},
             {"deprecation_time", T::kTimestamp, ""},
             {"block_device_mappings", T::kJson, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeImages"},
            "image_id"},
           {"aws_ec2_instance",
            "ec2:DescribeInstances, one row per instance.",
            {{"instance_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"instance_type", T::kText, ""},
             {"instance_state", T::kText, "pending, running, stopped, ..."},
             {"image_id", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"subnet_id", T::kText, ""},
             {"private_ip_address", T::kText, ""},
             {"public_ip_address", T::kText, ""},
             {"iam_instance_profile_arn", T::kText, ""},
             {"launch_time", T::kTimestamp, ""},
             {"metadata_options", T::kJson, "MetadataOptions as the CLI prints them"},
             {"http_tokens", T::kText, "required = IMDSv2 only"},
             {"http_endpoint", T::kText, "enabled or disabled"},
             {"security_groups", T::kJson, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeInstances"},
            "instance_id"},
           {"aws_ec2_regional_settings",
            "ec2:GetEbsEncryptionByDefault, one row per region.",
            {{"default_ebs_encryption_enabled", T::kBoolean, ""}},
            {"ec2:GetEbsEncryptionByDefault"},
            ""},
           {"aws_ec2_security_group",
            "ec2:DescribeSecurityGroups.",
            {{"group_id", T::kText, ""},
             {"group_name", T::kText, ""},
             {"arn", T::kText, ""},
             {"description", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"owner_id", T::kText, ""},
             {"ip_permissions", T::kJson, "ingress rules"},
             {"ip_permissions_egress", T::kJson, "egress rules"},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeSecurityGroups"},
            "group_id"},
           {"aws_vpc",
            "ec2:DescribeVpcs.",
            {{"vpc_id", T::kText, ""},
             {"cidr_block", T::kText, ""},
             {"state", T::kText, ""},
             {"is_default", T::kBoolean, ""},
             {"owner_id", T::kText, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeVpcs"},
            "vpc_id"},
           {"aws_vpc_flow_log",
            "ec2:DescribeFlowLogs.",
            {{"flow_log_id", T::kText, ""},
             {"resource_id", T::kText, "VPC, subnet or ENI"},
             {"traffic_type", T::kText, "ACCEPT, REJECT or ALL"},
             {"flow_log_status", T::kText, ""},
             {"deliver_logs_status", T::kText, ""},
             {"log_destination_type", T::kText, "cloud-watch-logs, s3, kinesis-data-firehose"},
             {"log_destination", T::kText, ""},
             {"log_group_name", T::kText, ""}},
            {"ec2:DescribeFlowLogs"},
            ""},
           {"aws_vpc_network_acl",
            "ec2:DescribeNetworkAcls.",
            {{"network_acl_id", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"is_default", T::kBoolean, ""},
             {"owner_id", T::kText, ""},
             {"entries", T::kJson, "rules in CLI shape"},
             {"associations", T::kJson, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeNetworkAcls"},
            "network_acl_id"},
           {"aws_vpc_network_acl_entry",
            "One row per network ACL rule.",
            {{"network_acl_id", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"rule_number", T::kInteger, ""},
             {"egress", T::kBoolean, ""},
             {"rule_action", T::kText, "allow or deny"},
             {"protocol", T::kText, "protocol number, -1 = all"},
             {"cidr_block", T::kText, ""},
             {"ipv6_cidr_block", T::kText, ""},
             {"from_port", T::kInteger, "NULL when the rule has no port range"},
             {"to_port", T::kInteger, ""}},
            {"ec2:DescribeNetworkAcls"},
            ""},
           {"aws_vpc_route",
            "One row per route of every route table (ec2:DescribeRouteTables).",
            {{"route_table_id", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"destination_cidr_block", T::kText, ""},
             {"destination_ipv6_cidr_block", T::kText, ""},
             {"destination_prefix_list_id", T::kText, ""},
             {"gateway_id", T::kText, "igw-..., vgw-..., local"},
             {"nat_gateway_id", T::kText, ""},
             {"transit_gateway_id", T::kText, ""},
             {"vpc_peering_connection_id", T::kText, ""},
             {"instance_id", T::kText, ""},
             {"network_interface_id", T::kText, ""},
             {"state", T::kText, "active or blackhole"}},
            {"ec2:DescribeRouteTables"},
            ""},
           {"aws_vpc_route_table",
            "ec2:DescribeRouteTables.",
            {{"route_table_id", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"is_main", T::kBoolean, "the VPC's main route table"},
             {"associations", T::kJson, ""},
             {"routes", T::kJson, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeRouteTables"},
            "route_table_id"},
           {"aws_vpc_security_group_rule",
            "One row per security group rule and source (CIDR, IPv6 CIDR, group or prefix list).",
            {{"group_id", T::kText, ""},
             {"group_name", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"is_egress", T::kBoolean, ""},
             {"ip_protocol", T::kText, "tcp, udp, icmp, -1 (all)"},
             {"from_port", T::kInteger, "NULL for all traffic"},
             {"to_port", T::kInteger, ""},
             {"cidr_ipv4", T::kText, ""},
             {"cidr_ipv6", T::kText, ""},
             {"referenced_group_id", T::kText, ""},
             {"prefix_list_id", T::kText, ""},
             {"description", T::kText, ""}},
            {"ec2:DescribeSecurityGroups"},
            ""},
           {"aws_vpc_subnet",
            "ec2:DescribeSubnets.",
            {{"subnet_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"vpc_id", T::kText, ""},
             {"cidr_block", T::kText, ""},
             {"availability_zone", T::kText, ""},
             {"map_public_ip_on_launch", T::kBoolean, "instances get a public IPv4 address"},
             {"default_for_az", T::kBoolean, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"ec2:DescribeSubnets"},
            "subnet_id"}}};
}

}  // namespace bulwark::collect
