// The evaluator against tables of cases (tests/iam/cases/*.yaml). Each file holds groups;
// a group cites the AWS documentation its cases follow, names policy documents, and lists
// cases: a request (principal, action, resource, context), which named policies play which
// role (identity, boundary, session, scp levels, resource), and the decision expected.
//
// Principals are written "user/NAME", "role/NAME/SESSION", "root", "federated/NAME",
// "service:HOST", "provider:ARN" (web identity or SAML), "anonymous", optionally prefixed by an
// account ("444455556666:user/x"); the default account is 111122223333.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "iam/evaluator.h"
#include "support/yaml_to_json.h"

namespace bulwark::iam {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Case {
  std::string file, group, doc, name;
  YAML::Node policies, node;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file << ": " << c.name; }

std::vector<Case> LoadCases() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(BULWARK_SOURCE_DIR) / "tests/iam/cases")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> out;
  for (const auto& f : files) {
    YAML::Node root = YAML::LoadFile(f.string());
    for (const auto& g : root) {
      for (const auto& c : g["cases"]) {
        out.push_back({f.filename().string(), g["group"].as<std::string>(),
                       g["doc"].as<std::string>(""), c["name"].as<std::string>(), g["policies"],
                       c});
      }
    }
  }
  return out;
}

RequestPrincipal ParsePrincipal(std::string s) {
  RequestPrincipal p;
  p.account = "111122223333";
  if (s.size() > 13 && s[12] == ':' && std::all_of(s.begin(), s.begin() + 12, ::isdigit)) {
    p.account = s.substr(0, 12);
    s = s.substr(13);
  }
  using Kind = RequestPrincipal::Kind;
  if (s == "root") {
    p.kind = Kind::kRoot;
    p.arn = "arn:aws:iam::" + p.account + ":root";
  } else if (s == "anonymous") {
    p.kind = Kind::kAnonymous;
    p.account.clear();
  } else if (s.rfind("service:", 0) == 0) {
    p.kind = Kind::kService;
    p.arn = s.substr(8);
    p.account.clear();
  } else if (s.rfind("user/", 0) == 0) {
    p.kind = Kind::kUser;
    p.arn = "arn:aws:iam::" + p.account + ":" + s;
  } else if (s.rfind("provider:", 0) == 0) {
    p.kind = Kind::kFederatedUser;  // a web identity or SAML caller, named by its provider
    p.arn = s.substr(9);
  } else if (s.rfind("federated/", 0) == 0) {
    p.kind = Kind::kFederatedUser;
    p.arn = "arn:aws:sts::" + p.account + ":federated-user/" + s.substr(10);
  } else if (s.rfind("role/", 0) == 0) {
    size_t slash = s.rfind('/');
    p.kind = Kind::kRoleSession;
    p.role_arn = "arn:aws:iam::" + p.account + ":" + s.substr(0, slash);
    std::string role_name = s.substr(5, slash - 5);
    role_name = role_name.substr(role_name.rfind('/') + 1);  // the path is not in the session
    p.arn = "arn:aws:sts::" + p.account + ":assumed-role/" + role_name + s.substr(slash);
  } else {
    ADD_FAILURE() << "unknown principal shorthand " << s;
  }
  return p;
}

std::string Scalar(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

class EvaluatorCase : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluatorCase, Decides) {
  const Case& c = GetParam();
  SCOPED_TRACE(c.file + ": " + c.group + ": " + c.name + (c.doc.empty() ? "" : " [" + c.doc + "]"));
  std::map<std::string, Policy> policies;
  for (const auto& kv : c.policies) {
    std::string name = kv.first.as<std::string>();
    auto p = ParsePolicy(bulwark::testing::YamlToJson(kv.second), name);
    ASSERT_TRUE(p.ok()) << p.status().message();
    policies.emplace(name, std::move(*p));
  }
  auto named = [&](const YAML::Node& list) {
    std::vector<const Policy*> out;
    if (!list) return out;
    for (const auto& n : list) {
      auto it = policies.find(n.as<std::string>());
      EXPECT_NE(it, policies.end()) << "no policy named " << n.as<std::string>();
      if (it != policies.end()) out.push_back(&it->second);
    }
    return out;
  };
  const YAML::Node& n = c.node;
  Request r;
  r.principal = ParsePrincipal(n["principal"].as<std::string>("user/alice"));
  r.action = n["action"].as<std::string>();
  r.resource = n["resource"].as<std::string>("*");
  r.resource_account = n["resource_account"].as<std::string>("");
  if (n["context"]) {
    const json context = bulwark::testing::YamlToJson(n["context"]);
    for (const auto& [k, v] : context.items()) {
      std::vector<std::string> values;
      if (v.is_array()) {
        for (const auto& e : v) values.push_back(Scalar(e));
      } else {
        values.push_back(Scalar(v));
      }
      r.context.Set(k, values);
    }
  }
  if (!n["no_principal_keys"].as<bool>(false)) AddPrincipalKeys(r);
  PolicySet ps;
  ps.identity = named(n["identity"]);
  ps.boundaries = named(n["boundary"]);
  ps.session = named(n["session"]);
  ps.resource = named(n["resource_policy"]);
  ps.resource_policy_required = n["resource_required"].as<bool>(false);
  if (n["scp"]) {
    for (const auto& level : n["scp"]) ps.scp_levels.push_back(named(level));
  }
  Decision d = Evaluate(r, ps);
  std::string expect = n["expect"].as<std::string>();
  std::string got = d.kind == Decision::Kind::kAllow          ? "allow"
                    : d.kind == Decision::Kind::kExplicitDeny ? "explicit_deny"
                                                              : "implicit_deny";
  std::string why = d.reason;
  for (const auto& s : d.statements) why += "; " + s.Describe();
  EXPECT_EQ(got, expect) << why;
  if (n["statement"]) {
    // The deciding statement (by Sid or "statement N") must be among those named.
    std::string want = n["statement"].as<std::string>();
    bool found = std::any_of(d.statements.begin(), d.statements.end(),
                             [&](const StatementRef& s) { return s.statement->Label() == want; });
    EXPECT_TRUE(found) << "deciding statements: " << why;
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string s = info.param.file.substr(0, info.param.file.find('.')) + "_" +
                  std::to_string(info.index) + "_" + info.param.name;
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Cases, EvaluatorCase, ::testing::ValuesIn(LoadCases()), CaseName);

}  // namespace
}  // namespace bulwark::iam
