#include "checks/iam_functions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <mutex>

#include "iam/account.h"
#include "iam/escalation.h"

namespace bulwark::checks {
namespace {

// What the functions of one connection share, built on first use.
struct IamState {
  sqlite3* db = nullptr;
  std::once_flag account_once, graph_once;
  std::unique_ptr<iam::Account> account;
  std::unique_ptr<iam::EscalationGraph> graph;

  const iam::Account& Account() {
    std::call_once(account_once, [&] {
      account = std::make_unique<iam::Account>(iam::Account::FromDatabase(db));
    });
    return *account;
  }
  const iam::EscalationGraph& Graph() {
    const iam::Account& a = Account();
    std::call_once(graph_once, [&] {
      graph = std::make_unique<iam::EscalationGraph>(iam::EscalationGraph::Build(a));
    });
    return *graph;
  }
  long IndexOf(const std::string& arn) { return Graph().IndexOf(arn); }
};

std::string Text(sqlite3_value* v) {
  const unsigned char* t = sqlite3_value_text(v);
  return t ? reinterpret_cast<const char*>(t) : "";
}

IamState& State(sqlite3_context* ctx) { return *static_cast<IamState*>(sqlite3_user_data(ctx)); }

void PolicyAllows(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto policy = iam::ParsePolicyText(Text(argv[0]), "policy");
  if (!policy.ok()) return sqlite3_result_int(ctx, 0);
  iam::Request r;
  r.principal.kind = iam::RequestPrincipal::Kind::kRoleSession;
  r.principal.account = "000000000000";
  r.principal.arn = "arn:aws:sts::000000000000:assumed-role/holder/session";
  r.principal.role_arn = "arn:aws:iam::000000000000:role/holder";
  r.action = Text(argv[1]);
  r.resource = argc > 2 ? Text(argv[2]) : "*";
  iam::PolicySet ps;
  ps.identity.push_back(&*policy);
  sqlite3_result_int(ctx, iam::Evaluate(r, ps).allowed() ? 1 : 0);
}

void Can(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const iam::Account& a = State(ctx).Account();
  const iam::Principal* p = a.Find(Text(argv[0]));
  if (!p) return sqlite3_result_null(ctx);
  bool ok = a.Decide(*p, Text(argv[1]), argc > 2 ? Text(argv[2]) : "*").allowed();
  sqlite3_result_int(ctx, ok ? 1 : 0);
}

bool Admin(IamState& s, long i, std::string* why) {
  return s.Graph().AdministratorOrSelfGrant(static_cast<size_t>(i), why);
}

void IsAdmin(sqlite3_context* ctx, int, sqlite3_value** argv) {
  IamState& s = State(ctx);
  long i = s.IndexOf(Text(argv[0]));
  if (i < 0) return sqlite3_result_null(ctx);
  std::string why;
  sqlite3_result_int(ctx, Admin(s, i, &why) ? 1 : 0);
}

void AdminReason(sqlite3_context* ctx, int, sqlite3_value** argv) {
  IamState& s = State(ctx);
  long i = s.IndexOf(Text(argv[0]));
  std::string why;
  if (i < 0 || !Admin(s, i, &why)) return sqlite3_result_null(ctx);
  sqlite3_result_text(ctx, why.c_str(), static_cast<int>(why.size()), SQLITE_TRANSIENT);
}

void EscalationPath(sqlite3_context* ctx, int, sqlite3_value** argv) {
  IamState& s = State(ctx);
  long i = s.IndexOf(Text(argv[0]));
  std::string why;
  if (i < 0 || Admin(s, i, &why)) return sqlite3_result_null(ctx);
  const auto& g = s.Graph();
  auto path = g.PathToAdmin(static_cast<size_t>(i));
  if (path.empty()) return sqlite3_result_null(ctx);
  std::vector<std::string> steps;
  for (const auto* e : path) {
    steps.push_back(
        fmt::format("{}: {} [{}]", g.Name(e->to), e->detail, fmt::join(e->permissions, " + ")));
  }
  std::string text = fmt::format("{}", fmt::join(steps, "; "));
  sqlite3_result_text(ctx, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void DeleteState(void* p) { delete static_cast<IamState*>(p); }

}  // namespace

bool RegisterIamFunctions(sqlite3* db, std::string* error) {
  auto* state = new IamState;
  state->db = db;
  // The state lives as long as the connection: SQLite deletes it with the first function
  // (and at once if that registration fails).
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  static const Fn kFunctions[] = {
      {"iam_policy_allows", 2, PolicyAllows},
      {"iam_policy_allows", 3, PolicyAllows},
      {"iam_can", 2, Can},
      {"iam_can", 3, Can},
      {"iam_is_admin", 1, IsAdmin},
      {"iam_admin_reason", 1, AdminReason},
      {"iam_escalation_path", 1, EscalationPath},
  };
  bool first = true;
  for (const auto& f : kFunctions) {
    int rc = sqlite3_create_function_v2(db, f.name, f.args, SQLITE_UTF8, state, f.fn, nullptr,
                                        nullptr, first ? DeleteState : nullptr);
    first = false;
    if (rc != SQLITE_OK) {
      if (error) *error = std::string("cannot register ") + f.name + ": " + sqlite3_errmsg(db);
      return false;
    }
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> IamFunctionReads(const std::string& function) {
  if (function != "iam_can" && function != "iam_is_admin" && function != "iam_admin_reason" &&
      function != "iam_escalation_path") {
    return {};
  }
  // What iam::Account::FromDatabase reads (tests/checks/runner_test.cc holds it to that).
  return {{"aws_iam_policy", "arn"},
          {"aws_iam_policy", "policy"},
          {"aws_iam_group", "name"},
          {"aws_iam_group", "arn"},
          {"aws_iam_group", "attached_policy_arns"},
          {"aws_iam_group", "inline_policies"},
          {"aws_iam_user", "account_id"},
          {"aws_iam_user", "name"},
          {"aws_iam_user", "arn"},
          {"aws_iam_user", "groups"},
          {"aws_iam_user", "attached_policy_arns"},
          {"aws_iam_user", "inline_policies"},
          {"aws_iam_user", "permissions_boundary_arn"},
          {"aws_iam_user", "tags"},
          {"aws_iam_role", "account_id"},
          {"aws_iam_role", "name"},
          {"aws_iam_role", "arn"},
          {"aws_iam_role", "assume_role_policy"},
          {"aws_iam_role", "attached_policy_arns"},
          {"aws_iam_role", "inline_policies"},
          {"aws_iam_role", "permissions_boundary_arn"},
          {"aws_iam_role", "tags"},
          {"aws_s3_bucket", "account_id"},
          {"aws_s3_bucket", "arn"},
          {"aws_s3_bucket", "policy"},
          {"aws_kms_key", "account_id"},
          {"aws_kms_key", "arn"},
          {"aws_kms_key", "policy"},
          {"aws_sns_topic", "account_id"},
          {"aws_sns_topic", "topic_arn"},
          {"aws_sns_topic", "policy"},
          {"aws_sqs_queue", "account_id"},
          {"aws_sqs_queue", "arn"},
          {"aws_sqs_queue", "policy"},
          {"aws_lambda_function", "account_id"},
          {"aws_lambda_function", "arn"},
          {"aws_lambda_function", "policy"},
          {"aws_lambda_function", "role"},
          {"aws_ecr_repository", "account_id"},
          {"aws_ecr_repository", "arn"},
          {"aws_ecr_repository", "policy"},
          {"aws_organizations_organization", "id"}};
}

}  // namespace bulwark::checks
