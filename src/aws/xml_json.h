// Converts AWS XML responses (query and ec2 protocols) to JSON close to the shape the AWS
// CLI prints with --output json (member/item lists become arrays, EC2 names PascalCase),
// so the snapshot stores one JSON dialect for every protocol.
#pragma once

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>

#include "util/status.h"

namespace bulwark::aws {

enum class XmlDialect {
  kQuery,  // IAM, STS, RDS, ...: lists are <Name><member>..</member></Name>
  kEc2,    // lists are <nameSet><item>..</item></nameSet>; names get the CLI's PascalCase
};

// Rules: an element whose children are all <member> or <item> becomes an array; one whose
// children are all <entry><key/><value/></entry> becomes an object (a map); an element
// with only text becomes a string ("true"/"false" become booleans); an empty element
// becomes null; anything else an object.
// list_members: the service's other list-item element names (XmlListMemberNames).
nlohmann::json XmlToJson(const pugi::xml_node& node, XmlDialect dialect,
                         const std::set<std::string>* list_members = nullptr);

// Element names that wrap list items in a service's responses besides <member>/<item>
// (RDS: DBInstance, ...), from the service models; empty for an unknown service.
const std::set<std::string>& XmlListMemberNames(std::string_view service);

// The CLI name of an EC2 XML element: ipPermissions -> IpPermissions, tagSet -> Tags,
// securityGroupInfo -> SecurityGroups.
std::string Ec2CliName(const std::string& xml_name);

// Parses a query-protocol response body and returns the content of its <XResult> element
// (or, for EC2, the response root without requestId).
Result<nlohmann::json> ParseXmlResponse(const std::string& body, XmlDialect dialect,
                                        std::string_view service = "");

// Helpers that tolerate the null an empty XML list becomes.
const nlohmann::json& ArrayOrEmpty(const nlohmann::json& doc, const std::string& key);
std::string StringOr(const nlohmann::json& doc, const std::string& key,
                     const std::string& fallback = "");
bool BoolOr(const nlohmann::json& doc, const std::string& key, bool fallback = false);
// Integer from a JSON number or numeric string; fallback when absent or not numeric.
long long IntOr(const nlohmann::json& doc, const std::string& key, long long fallback = 0);

}  // namespace bulwark::aws
