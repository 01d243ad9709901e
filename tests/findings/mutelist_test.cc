// Mutelist parsing (errors name the line) and application (globs, regular expressions,
// accounts, regions, expiry, entries that match nothing).
#include "findings/mutelist.h"

#include <gtest/gtest.h>

namespace bulwark::findings {
namespace {

std::string ErrorOf(const std::string& yaml) {
  auto m = Mutelist::Parse(yaml, "mutes.yaml");
  EXPECT_FALSE(m.ok()) << yaml;
  return m.ok() ? "" : m.status().message();
}

TEST(Mutelist, BadInputNamesTheLine) {
  EXPECT_EQ(ErrorOf("mutes:\n  - checks: [a]\n    owner: me\n"),
            "mutes.yaml:2: a mute entry needs a reason");
  EXPECT_EQ(ErrorOf("mutes:\n  - checks: [a]\n    reason: r\n"),
            "mutes.yaml:2: a mute entry needs an owner");
  EXPECT_EQ(ErrorOf("mutes:\n  - reason: r\n    owner: o\n"),
            "mutes.yaml:2: a mute entry needs checks");
  EXPECT_EQ(
      ErrorOf("mutes:\n  - checks: [a]\n    reason: r\n    owner: o\n    expires: 2027-13-01\n"),
      "mutes.yaml:5: expires '2027-13-01' is not a date (YYYY-MM-DD)");
  EXPECT_NE(ErrorOf("mutes:\n  - checks: [a]\n    resources: ['re:(unclosed']\n    reason: r\n"
                    "    owner: o\n")
                .find("mutes.yaml:3: bad regular expression '(unclosed'"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("mutes:\n  - checks: [a]\n    reasn: r\n").find("mutes.yaml:3: unknown key 'reasn'"),
      std::string::npos);
  EXPECT_NE(ErrorOf("trusted_accounts: [12345]\n").find("mutes.yaml:1: '12345' is not a 12-digit"),
            std::string::npos);
  EXPECT_NE(ErrorOf("mutes: [\n").find("mutes.yaml:"), std::string::npos);
  EXPECT_NE(ErrorOf("mute:\n  - {}\n").find("unknown key 'mute'"), std::string::npos);
  EXPECT_NE(
      ErrorOf("mutes:\n  - checks: [a]\n    reason: {x: 1}\n    owner: o\n").find("mutes.yaml:3:"),
      std::string::npos);  // a map where text belongs
  EXPECT_TRUE(Mutelist::Parse("", "empty.yaml").ok());
  auto missing = Mutelist::Load("/nonexistent/mutes.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/mutes.yaml"), std::string::npos);
}

Finding Fail(std::string check, std::string account, std::string region, std::string id,
             std::string arn = "") {
  Finding f;
  f.check_id = std::move(check);
  f.account_id = std::move(account);
  f.region = std::move(region);
  f.resource_id = std::move(id);
  f.resource_arn = std::move(arn);
  f.status = FindingStatus::kFail;
  return f;
}

TEST(Mutelist, MutesWhatMatchesAndReportsTheRest) {
  auto m = Mutelist::Parse(R"(trusted_accounts: ["444455556666"]
mutes:
  - checks: ["s3_*"]
    resources: [acme-logs, "re:^acme-tmp-[0-9]+$", "arn:aws:s3:::acme-arch*"]
    reason: replicated elsewhere
    owner: platform
    expires: 2999-01-01
  - checks: [ec2_instance_imdsv2]
    accounts: ["111122223333"]
    regions: [eu-west-1]
    reason: legacy fleet
    owner: ops
  - checks: [kms_key_rotation]
    reason: old
    owner: sec
    expires: 2001-01-01
  - checks: [nothing_like_this]
    reason: stale
    owner: sec
)",
                           "m.yaml");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->trusted_accounts(), std::vector<std::string>{"444455556666"});
  std::vector<Finding> f = {
      Fail("s3_bucket_versioning_enabled", "111122223333", "us-east-1", "acme-logs"),
      Fail("s3_bucket_tls_only", "111122223333", "us-east-1", "acme-tmp-42"),
      Fail("s3_bucket_tls_only", "111122223333", "us-east-1", "acme-tmp-x"),
      Fail("s3_bucket_tls_only", "111122223333", "us-east-1", "x", "arn:aws:s3:::acme-archive"),
      Fail("ec2_instance_imdsv2", "111122223333", "eu-west-1", "i-1"),
      Fail("ec2_instance_imdsv2", "111122223333", "us-east-1", "i-2"),
      Fail("ec2_instance_imdsv2", "999999999999", "eu-west-1", "i-3"),
      Fail("kms_key_rotation", "111122223333", "us-east-1", "k"),
  };
  f.push_back(f[0]);
  f.back().status = FindingStatus::kPass;  // only failures are muted
  auto o = m->Apply(f, "2026-11-23");
  std::vector<FindingStatus> want = {
      FindingStatus::kMuted, FindingStatus::kMuted, FindingStatus::kFail,
      FindingStatus::kMuted, FindingStatus::kMuted, FindingStatus::kFail,
      FindingStatus::kFail,  FindingStatus::kFail,  FindingStatus::kPass};
  for (size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f[i].status, want[i]) << i;
  EXPECT_EQ(o.muted, 4u);
  EXPECT_EQ(f[0].mute_reason, "replicated elsewhere");
  EXPECT_EQ(f[0].mute_owner, "platform");
  EXPECT_EQ(f[0].mute_expires, "2999-01-01");
  ASSERT_EQ(o.expired.size(), 1u);
  EXPECT_NE(o.expired[0].find(
                "m.yaml:13: the mute of kms_key_rotation (owner sec) expired on 2001-01-01"),
            std::string::npos)
      << o.expired[0];
  ASSERT_EQ(o.unmatched.size(), 1u);
  EXPECT_NE(
      o.unmatched[0].find("m.yaml:17: the mute of nothing_like_this matched no failing finding"),
      std::string::npos)
      << o.unmatched[0];
}

}  // namespace
}  // namespace bulwark::findings
