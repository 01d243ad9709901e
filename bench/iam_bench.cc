// IAM benchmark: a synthetic account of 5,000 roles, 200 users, 2,000 managed policies and
// 20,000 statements (wildcards, NotAction, conditions, denies, resource patterns; trust
// policies for services, the account, single principals and partners), then:
// the time to load it, who-can for a few questions, the full escalation analysis, and
// decisions per second.
//
//   iam_bench [--roles 5000] [--users 200] [--policies 2000] [--statements 20000]
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <map>
#include <random>

#include "iam/escalation.h"
#include "iam/who_can.h"

namespace {

using nlohmann::json;
using namespace bulwark::iam;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

const char* kServices[] = {"s3",
                           "ec2",
                           "dynamodb",
                           "sqs",
                           "sns",
                           "lambda",
                           "kms",
                           "logs",
                           "cloudwatch",
                           "ssm",
                           "secretsmanager",
                           "ecr",
                           "rds",
                           "elasticloadbalancing"};
const char* kVerbs[] = {"Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag"};
const char* kNouns[] = {"Object", "Bucket",   "Item",     "Table",     "Queue",
                        "Topic",  "Function", "Key",      "LogEvents", "Parameter",
                        "Secret", "Image",    "Instance", "Alarm"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}
  int Uniform(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

  std::string Action() {
    int kind = Uniform(20);
    std::string svc = kServices[Uniform(std::size(kServices))];
    if (kind == 0) return svc + ":*";
    if (kind < 5) return svc + ":" + kVerbs[Uniform(3)] + "*";
    return svc + ":" + kVerbs[Uniform(std::size(kVerbs))] + kNouns[Uniform(std::size(kNouns))];
  }
  std::string Resource(const std::string& account) {
    switch (Uniform(6)) {
      case 0:
        return "*";
      case 1:
        return fmt::format("arn:aws:s3:::bucket-{}/*", Uniform(300));
      case 2:
        return fmt::format("arn:aws:dynamodb:*:{}:table/t-{}", account, Uniform(300));
      case 3:
        return fmt::format("arn:aws:sqs:us-east-1:{}:queue-{}*", account, Uniform(100));
      case 4:
        return fmt::format("arn:aws:lambda:*:{}:function:fn-{}", account, Uniform(500));
      default:
        return fmt::format("arn:aws:kms:*:{}:key/*", account);
    }
  }
  json Statement(const std::string& account) {
    json s;
    bool deny = Uniform(12) == 0;
    s["Effect"] = deny ? "Deny" : "Allow";
    int n = 1 + Uniform(4);
    json actions = json::array();
    for (int i = 0; i < n; ++i) actions.push_back(Action());
    // NotAction as accounts use it: in denies (everything but a few actions without MFA).
    s[deny && Uniform(3) == 0 ? "NotAction" : "Action"] = actions;
    s["Resource"] = Resource(account);
    switch (Uniform(8)) {
      case 0:
        s["Condition"] = {{"StringEquals", {{"aws:RequestedRegion", {"us-east-1", "eu-west-1"}}}}};
        break;
      case 1:
        s["Condition"] = {{"IpAddress", {{"aws:SourceIp", "10.0.0.0/8"}}}};
        break;
      case 2:
        s["Condition"] = {{"Bool", {{"aws:SecureTransport", "true"}}}};
        break;
      default:
        break;
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

Account Synthetic(int roles, int users, int policies, int statements) {
  const std::string acct = "111122223333";
  Generator g(42);
  Account a;
  a.set_id(acct);
  std::vector<const Policy*> managed;
  int per = std::max(1, statements / policies);
  for (int i = 0; i < policies; ++i) {
    json doc = {{"Version", "2012-10-17"}, {"Statement", json::array()}};
    for (int k = 0; k < per; ++k) doc["Statement"].push_back(g.Statement(acct));
    // A few policies carry the actions escalation looks for.
    if (i % 97 == 0)
      doc["Statement"].push_back(
          {{"Effect", "Allow"},
           {"Action", {"iam:PassRole", "ec2:RunInstances"}},
           {"Resource", fmt::format("arn:aws:iam::{}:role/app-{}*", acct, g.Uniform(50))}});
    if (i % 89 == 0)
      doc["Statement"].push_back({{"Effect", "Allow"},
                                  {"Action", "sts:AssumeRole"},
                                  {"Resource", fmt::format("arn:aws:iam::{}:role/*", acct)}});
    if (i % 211 == 0)
      doc["Statement"].push_back({{"Effect", "Allow"},
                                  {"Action", {"iam:CreateAccessKey", "iam:UpdateLoginProfile"}},
                                  {"Resource", fmt::format("arn:aws:iam::{}:user/*", acct)}});
    managed.push_back(
        a.AddPolicy(ParsePolicy(doc, fmt::format("arn:aws:iam::{}:policy/p-{}", acct, i))));
  }
  const Policy* admin = a.AddPolicy(
      ParsePolicy(json{{"Version", "2012-10-17"},
                       {"Statement", {{{"Effect", "Allow"}, {"Action", "*"}, {"Resource", "*"}}}}},
                  "arn:aws:iam::aws:policy/AdministratorAccess"));
  for (int i = 0; i < roles; ++i) {
    Principal p;
    p.type = Principal::Type::kRole;
    p.name = fmt::format("app-{}", i);
    p.arn = fmt::format("arn:aws:iam::{}:role/{}", acct, p.name);
    p.account = acct;
    int n = 2 + g.Uniform(4);
    for (int k = 0; k < n; ++k) p.policies.push_back(managed[g.Uniform(policies)]);
    if (i % 500 == 7) p.policies.push_back(admin);
    json trust;
    int kind = g.Uniform(10);
    if (kind < 6) {
      const char* svc[] = {"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"};
      trust = {{"Effect", "Allow"},
               {"Principal", {{"Service", svc[g.Uniform(3)]}}},
               {"Action", "sts:AssumeRole"}};
    } else if (kind < 9) {
      trust = {{"Effect", "Allow"},
               {"Principal", {{"AWS", fmt::format("arn:aws:iam::{}:root", acct)}}},
               {"Action", "sts:AssumeRole"}};
    } else {
      trust = {{"Effect", "Allow"},
               {"Principal", {{"AWS", "arn:aws:iam::444455556666:root"}}},
               {"Action", "sts:AssumeRole"},
               {"Condition", {{"StringEquals", {{"sts:ExternalId", "x"}}}}}};
    }
    p.trust = a.AddPolicy(ParsePolicy(json{{"Version", "2012-10-17"}, {"Statement", {trust}}},
                                      "role/" + p.name + " (trust policy)"));
    a.AddPrincipal(std::move(p));
  }
  for (int i = 0; i < users; ++i) {
    Principal p;
    p.type = Principal::Type::kUser;
    p.name = fmt::format("user-{}", i);
    p.arn = fmt::format("arn:aws:iam::{}:user/{}", acct, p.name);
    p.account = acct;
    int n = 1 + g.Uniform(3);
    for (int k = 0; k < n; ++k) p.policies.push_back(managed[g.Uniform(policies)]);
    if (i % 50 == 0) p.policies.push_back(admin);
    a.AddPrincipal(std::move(p));
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"IAM benchmark"};
  int roles = 5000, users = 200, policies = 2000, statements = 20000;
  app.add_option("--roles", roles)->capture_default_str();
  app.add_option("--users", users)->capture_default_str();
  app.add_option("--policies", policies)->capture_default_str();
  app.add_option("--statements", statements)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  auto start = std::chrono::steady_clock::now();
  Account a = Synthetic(roles, users, policies, statements);
  std::printf(
      "account: %d roles, %d users, %zu policies (%d managed with %d statements), "
      "built in %.2f s\n",
      roles, users, a.policy_count(), policies, statements, Seconds(start));

  struct Question {
    const char* action;
    const char* resource;
  };
  const Question questions[] = {
      {"s3:GetObject", "arn:aws:s3:::bucket-17/reports/q4.csv"},
      {"dynamodb:DeleteItem", "arn:aws:dynamodb:us-east-1:111122223333:table/t-3"},
      {"iam:PassRole", "arn:aws:iam::111122223333:role/app-12"},
      {"kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k"}};
  double worst = 0;
  size_t decisions = 0;
  double spent = 0;
  for (const auto& q : questions) {
    auto t = std::chrono::steady_clock::now();
    WhoCanResult r = WhoCan(a, q.action, q.resource);
    double s = Seconds(t);
    worst = std::max(worst, s);
    decisions += r.decisions;
    spent += s;
    std::printf("who-can %s on %s: %zu principals, %zu decisions, %.1f ms\n", q.action, q.resource,
                r.entries.size(), r.decisions, s * 1e3);
  }
  std::printf("who-can: slowest %.1f ms (goal: under 100 ms)\n", worst * 1e3);

  for (int threads : {1, 2}) {
    auto t = std::chrono::steady_clock::now();
    EscalationGraph g = EscalationGraph::Build(a, threads);
    double s = Seconds(t);
    size_t paths = 0;
    auto tp = std::chrono::steady_clock::now();
    for (size_t i = 0; i < g.principals().size(); ++i) paths += !g.PathToAdmin(i).empty();
    double ps = Seconds(tp);
    std::printf(
        "escalation (%d thread%s): %zu edges, %zu principals with a path, graph %.2f s + paths "
        "%.2f s = %.2f s (goal: under 1 s), %zu decisions\n",
        threads, threads == 1 ? "" : "s", g.edges().size(), paths, s, ps, s + ps, g.decisions());
    if (threads == 1) {
      std::map<std::string, size_t> by_method;
      for (const auto& e : g.edges()) by_method[e.method]++;
      std::string methods;
      for (const auto& [m, c] : by_method) methods += fmt::format(" {} {},", m, c);
      std::printf("  edges by method:%s\n", methods.c_str());
      decisions += g.decisions();
      spent += s;
    }
  }
  std::printf("decisions: %.2f M per second (who-can and one-thread escalation)\n",
              decisions / spent / 1e6);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("peak memory (RSS) %.0f MiB\n", u.ru_maxrss / 1024.0);
  return 0;
}
