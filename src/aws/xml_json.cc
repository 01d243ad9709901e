#include "aws/xml_json.h"

#include <cctype>
#include <cstdlib>
#include <map>

#include "util/strings.h"

namespace bulwark::aws {
namespace {

using nlohmann::json;

bool IsListItem(const char* name, const std::set<std::string>* list_members) {
  std::string_view n(name);
  return n == "member" || n == "item" || (list_members && list_members->count(std::string(n)));
}

json TextValue(const char* text) {
  std::string_view t(text);
  if (t == "true") return true;
  if (t == "false") return false;
  return std::string(t);
}

}  // namespace

std::string Ec2CliName(const std::string& xml_name) {
  // The EC2 model's locationName differs from the member name for these.
  static const std::map<std::string, std::string> kRenames = {
      {"securityGroupInfo", "SecurityGroups"},
      {"regionInfo", "Regions"},
      {"groupDescription", "Description"},
      {"groupSet", "Groups"},
      {"groups", "UserIdGroupPairs"},
      {"default", "IsDefault"},
      {"instancesSet", "Instances"},
      {"networkInterfaceSet", "NetworkInterfaces"},
      {"privateIpAddressesSet", "PrivateIpAddresses"},
      {"blockDeviceMapping", "BlockDeviceMappings"},
      {"productCodes", "ProductCodes"},
      {"availabilityZoneInfo", "AvailabilityZones"},
      {"cidrBlockAssociationSet", "CidrBlockAssociationSet"},
      {"ipv6CidrBlockAssociationSet", "Ipv6CidrBlockAssociationSet"},
      {"instanceState", "State"},
      {"dnsName", "PublicDnsName"},
      {"ipAddress", "PublicIpAddress"},
  };
  auto it = kRenames.find(xml_name);
  if (it != kRenames.end()) return it->second;
  std::string name = xml_name;
  if (EndsWith(name, "Set") && name.size() > 3) {
    name.resize(name.size() - 3);
    if (EndsWith(name, "y")) {
      name.back() = 'i';
      name += "es";
    } else if (!EndsWith(name, "s")) {
      name += "s";
    }
  }
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

const std::set<std::string>& XmlListMemberNames(std::string_view service) {
  static const std::map<std::string, std::set<std::string>, std::less<>> kMembers = {
#include "aws/xml_list_members.inc"
  };
  static const std::set<std::string> kNone;
  auto it = kMembers.find(service);
  return it == kMembers.end() ? kNone : it->second;
}

json XmlToJson(const pugi::xml_node& node, XmlDialect dialect,
               const std::set<std::string>* list_members) {
  pugi::xml_node first =
      node.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
  if (!first) {
    std::string_view text = node.child_value();
    if (text.empty()) return nullptr;
    return TextValue(node.child_value());
  }
  // Query-protocol maps: <Name><entry><key>k</key><value>v</value></entry>...</Name>.
  bool all_entries = true;
  for (pugi::xml_node c = first; c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element &&
        (std::string_view(c.name()) != "entry" || !c.child("key") || !c.child("value"))) {
      all_entries = false;
      break;
    }
  }
  if (all_entries) {
    json map = json::object();
    for (pugi::xml_node c = first; c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element)
        map[c.child_value("key")] = XmlToJson(c.child("value"), dialect, list_members);
    }
    return map;
  }
  // A list: every child is a list item, and all carry the same name.
  bool all_items = IsListItem(first.name(), list_members);
  for (pugi::xml_node c = first; c && all_items; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && std::string_view(c.name()) != first.name()) {
      all_items = false;
    }
  }
  if (all_items) {
    json arr = json::array();
    for (pugi::xml_node c = first; c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      json v = XmlToJson(c, dialect, list_members);
      arr.push_back(v.is_null() ? json::object() : std::move(v));
    }
    return arr;
  }
  json obj = json::object();
  for (pugi::xml_node c = first; c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string key = dialect == XmlDialect::kEc2 ? Ec2CliName(c.name()) : c.name();
    json v = XmlToJson(c, dialect, list_members);
    if (obj.contains(key)) {  // a flattened list: repeated elements
      if (!obj[key].is_array()) obj[key] = json::array({obj[key]});
      obj[key].push_back(std::move(v));
    } else {
      obj[key] = std::move(v);
    }
  }
  return obj;
}

Result<json> ParseXmlResponse(const std::string& body, XmlDialect dialect,
                              std::string_view service) {
  const std::set<std::string>* members = &XmlListMemberNames(service);
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) {
    return Status::Parse(std::string("response is not valid XML: ") + parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (dialect == XmlDialect::kEc2) {
    root.remove_child("requestId");
    json out = XmlToJson(root, dialect, members);
    return out.is_null() ? json::object() : out;
  }
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (EndsWith(c.name(), "Result")) {
      json out = XmlToJson(c, dialect, members);
      return out.is_null() ? json::object() : out;
    }
  }
  return json::object();  // e.g. DeleteX calls answer with ResponseMetadata only
}

const json& ArrayOrEmpty(const json& doc, const std::string& key) {
  static const json kEmpty = json::array();
  if (!doc.is_object()) return kEmpty;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return kEmpty;
  return *it;
}

std::string StringOr(const json& doc, const std::string& key, const std::string& fallback) {
  if (!doc.is_object()) return fallback;
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool BoolOr(const json& doc, const std::string& key, bool fallback) {
  if (!doc.is_object()) return fallback;
  auto it = doc.find(key);
  if (it == doc.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) return *it == "true";
  return fallback;
}

long long IntOr(const json& doc, const std::string& key, long long fallback) {
  if (!doc.is_object()) return fallback;
  auto it = doc.find(key);
  if (it == doc.end()) return fallback;
  if (it->is_number()) return it->get<long long>();
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end && *end == '\0') return v;
  }
  return fallback;
}

}  // namespace bulwark::aws
