// XML to CLI-shaped JSON: lists, EC2 naming, booleans, empty elements.
#include "aws/xml_json.h"

#include <gtest/gtest.h>

namespace bulwark::aws {
namespace {

using nlohmann::json;

TEST(XmlToJson, QueryMemberListsBecomeArrays) {
  Result<json> doc = ParseXmlResponse(
      "<ListUsersResponse><ListUsersResult><Users><member><UserName>a</UserName></member>"
      "<member><UserName>b</UserName></member></Users><IsTruncated>true</IsTruncated>"
      "<Marker>m1</Marker></ListUsersResult></ListUsersResponse>",
      XmlDialect::kQuery);
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE((*doc)["Users"].is_array());
  EXPECT_EQ((*doc)["Users"][1]["UserName"], "b");
  EXPECT_EQ((*doc)["IsTruncated"], true);
  EXPECT_EQ((*doc)["Marker"], "m1");
}

TEST(XmlToJson, SingleMemberIsStillAList) {
  Result<json> doc = ParseXmlResponse(
      "<R><RResult><GroupList><member>analysts</member></GroupList><Empty/></RResult></R>",
      XmlDialect::kQuery);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["GroupList"], json::array({"analysts"}));
  EXPECT_TRUE((*doc)["Empty"].is_null());
  EXPECT_TRUE(ArrayOrEmpty(*doc, "Empty").empty());
}

TEST(XmlToJson, ServiceSpecificListItemNamesFromTheModels) {
  // RDS wraps list items in named elements; one item must still be a list.
  Result<json> doc = ParseXmlResponse(
      "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>"
      "<DBInstanceIdentifier>db</DBInstanceIdentifier><Endpoint><Address>db.example</Address>"
      "</Endpoint><VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-1"
      "</VpcSecurityGroupId></VpcSecurityGroupMembership></VpcSecurityGroups></DBInstance>"
      "</DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>",
      XmlDialect::kQuery, "rds");
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE((*doc)["DBInstances"].is_array());
  const json& db = (*doc)["DBInstances"][0];
  EXPECT_EQ(db["DBInstanceIdentifier"], "db");
  EXPECT_TRUE(db["Endpoint"].is_object());  // a one-field structure stays a structure
  EXPECT_EQ(db["VpcSecurityGroups"][0]["VpcSecurityGroupId"], "sg-1");
  EXPECT_TRUE(XmlListMemberNames("rds").count("DBInstance"));
  EXPECT_TRUE(XmlListMemberNames("nosuchservice").empty());
}

TEST(XmlToJson, EntryMapsBecomeObjects) {
  Result<json> doc = ParseXmlResponse(
      "<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>Users</key>"
      "<value>4</value></entry><entry><key>AccountMFAEnabled</key><value>0</value></entry>"
      "</SummaryMap></GetAccountSummaryResult></GetAccountSummaryResponse>",
      XmlDialect::kQuery);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["SummaryMap"], (json{{"Users", "4"}, {"AccountMFAEnabled", "0"}}));
}

TEST(XmlToJson, Ec2NamesFollowTheCli) {
  EXPECT_EQ(Ec2CliName("ipPermissions"), "IpPermissions");
  EXPECT_EQ(Ec2CliName("tagSet"), "Tags");
  EXPECT_EQ(Ec2CliName("reservationSet"), "Reservations");
  EXPECT_EQ(Ec2CliName("entrySet"), "Entries");
  EXPECT_EQ(Ec2CliName("instancesSet"), "Instances");
  EXPECT_EQ(Ec2CliName("securityGroupInfo"), "SecurityGroups");
  EXPECT_EQ(Ec2CliName("groupDescription"), "Description");
  EXPECT_EQ(Ec2CliName("default"), "IsDefault");
  Result<json> doc = ParseXmlResponse(
      "<DescribeVpcsResponse><requestId>r</requestId><vpcSet><item><vpcId>vpc-1</vpcId>"
      "<isDefault>true</isDefault><tagSet><item><key>Name</key><value>main</value></item>"
      "</tagSet></item></vpcSet><nextToken>t2</nextToken></DescribeVpcsResponse>",
      XmlDialect::kEc2);
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->contains("RequestId"));
  EXPECT_EQ((*doc)["Vpcs"][0]["VpcId"], "vpc-1");
  EXPECT_EQ((*doc)["Vpcs"][0]["IsDefault"], true);
  EXPECT_EQ((*doc)["Vpcs"][0]["Tags"][0]["Value"], "main");
  EXPECT_EQ((*doc)["NextToken"], "t2");
}

TEST(XmlToJson, Accessors) {
  json doc = {{"n", "42"}, {"m", 7}, {"b", "true"}, {"s", "x"}, {"bad", "4x"}};
  EXPECT_EQ(IntOr(doc, "n"), 42);
  EXPECT_EQ(IntOr(doc, "m"), 7);
  EXPECT_EQ(IntOr(doc, "bad", -1), -1);
  EXPECT_EQ(IntOr(doc, "missing", -2), -2);
  EXPECT_TRUE(BoolOr(doc, "b"));
  EXPECT_EQ(StringOr(doc, "s"), "x");
  EXPECT_EQ(StringOr(doc, "missing", "d"), "d");
  EXPECT_EQ(StringOr(json("scalar"), "k", "f"), "f");
}

}  // namespace
}  // namespace bulwark::aws
