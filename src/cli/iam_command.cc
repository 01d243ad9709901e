// bulwark iam: policy decisions and the questions asked of them (can, who-can, admins,
// public, escalation) over a snapshot or `aws iam get-account-authorization-details` output.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <deque>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.h"
#include "cli/data_dir.h"
#include "iam/account.h"
#include "iam/actions.h"
#include "iam/escalation.h"
#include "iam/who_can.h"

namespace bulwark::cli {
namespace {

using nlohmann::json;

class IamCommand : public Command {
 public:
  explicit IamCommand(CLI::App& app) {
    sub_ = app.add_subcommand("iam",
                              "IAM reasoning: decisions, who-can, admins, public access, "
                              "privilege escalation");
    sub_->require_subcommand(1);
    sub_->add_option("--from-authz", authz_,
                     "Read `aws iam get-account-authorization-details` JSON instead of a snapshot "
                     "(then leave SNAPSHOT out)");
    sub_->add_option("--format,-f", format_, "Output format")
        ->check(CLI::IsMember({"table", "json", "dot"}))
        ->capture_default_str();
    auto add = [&](const char* name, const char* help, const char* args) {
      CLI::App* s = sub_->add_subcommand(name, help);
      s->fallthrough();  // --from-authz and --format may follow the subcommand too
      s->add_option("args", args_, args)->required();
      return s;
    };
    can_ = add("can", "Would AWS allow PRINCIPAL to do ACTION on RESOURCE?",
               "SNAPSHOT PRINCIPAL ACTION [RESOURCE]");
    can_->add_option("--context", context_,
                     "Condition key for the request, KEY=VALUE (repeatable; repeat a key for a "
                     "multi-valued key)");
    can_->add_option("--session-policy", session_files_,
                     "A session policy (JSON file) passed when the role was assumed (repeatable)");
    can_->add_option("--scp", scp_files_,
                     "Service control policies of one organization level, as a JSON file holding "
                     "a policy or a list of policies (repeat once per level, root first)");
    who_ = add("who-can", "Every principal that can do ACTION on RESOURCE",
               "SNAPSHOT ACTION [RESOURCE]");
    admins_ = add("admins", "Principals that are effectively administrators", "SNAPSHOT");
    public_ =
        add("public", "Resource and trust policies granting access to anyone or other accounts",
            "SNAPSHOT");
    esc_ = add("escalation", "Privilege-escalation paths from non-admins to administrators",
               "SNAPSHOT");
    for (CLI::App* s : {admins_, public_, esc_}) s->get_option("args")->required(false);
    actions_ = add("actions", "Known AWS actions matching a pattern (s3:Get*), with access levels",
                   "PATTERN");
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    // The action catalog serves `can` and `actions` only: the others do not read it.
    std::optional<iam::ActionCatalog> catalog;
    if (can_->parsed() || actions_->parsed()) {
      auto loaded = iam::ActionCatalog::Load(
          DataDir("BULWARK_IAM_ACTIONS", "iam-actions.tsv", BULWARK_DEFAULT_IAM_ACTIONS));
      if (!loaded.ok()) {
        std::cerr << "bulwark iam: " << loaded.status().message() << "\n";
        return 1;
      }
      catalog = std::move(*loaded);
      catalog_ = &*catalog;
    }
    if (actions_->parsed()) return Actions();
    size_t want_min = can_->parsed() ? 2 : who_->parsed() ? 1 : 0;
    size_t want_max = can_->parsed() ? 3 : who_->parsed() ? 2 : 0;
    if (authz_.empty()) {
      if (args_.empty()) return Usage("a SNAPSHOT (or --from-authz FILE) is required");
      snapshot_ = args_.front();
      args_.erase(args_.begin());
    }
    if (args_.size() < want_min || args_.size() > want_max)
      return Usage(fmt::format("expected {} to {} arguments after the snapshot, got {}", want_min,
                               want_max, args_.size()));
    auto account = authz_.empty() ? iam::Account::FromSnapshot(snapshot_)
                                  : iam::Account::FromAuthorizationDetails(authz_);
    if (!account.ok()) {
      std::cerr << "bulwark iam: " << account.status().message() << "\n";
      return 1;
    }
    for (const auto& p : account->problems()) std::cerr << "bulwark iam: warning: " << p << "\n";
    if (can_->parsed()) return Can(*account);
    if (who_->parsed()) return WhoCan(*account);
    if (admins_->parsed()) return Admins(*account);
    if (public_->parsed()) return Public(*account);
    return Escalation(*account);
  }

 private:
  int Usage(const std::string& why) {
    std::cerr << "bulwark iam: error: " << why << " (see 'bulwark iam --help')\n";
    return 2;
  }

  int Can(const iam::Account& account) {
    const iam::Principal* p = account.Find(args_[0]);
    if (!p) {
      std::cerr << "bulwark iam: no user or role '" << args_[0] << "' in "
                << (authz_.empty() ? snapshot_ : authz_)
                << " (give a name, user/NAME, role/NAME or an ARN)\n";
      return 1;
    }
    if (!catalog_->Known(args_[1])) {
      std::cerr << "bulwark iam: warning: " << args_[1]
                << " is not a known action (see 'bulwark iam actions')\n";
    }
    if (args_[1].find_first_of("*?") != std::string::npos) return CanMany(account, *p);
    iam::Request r = account.RequestFor(*p, args_[1], args_.size() > 2 ? args_[2] : "*");
    std::map<std::string, std::vector<std::string>> ctx;
    for (const auto& kv : context_) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) return Usage("--context wants KEY=VALUE, not " + kv);
      ctx[kv.substr(0, eq)].push_back(kv.substr(eq + 1));
    }
    for (auto& [k, v] : ctx) r.context.Set(k, v);  // given keys replace the principal's
    iam::PolicySet ps = account.PoliciesFor(*p, r.action, r.resource);
    std::deque<iam::Policy> extra;  // stable addresses for the policy set
    for (const auto& f : session_files_) {
      if (!LoadPolicies(f, extra, ps.session)) return 1;
    }
    for (const auto& f : scp_files_) {
      ps.scp_levels.emplace_back();
      if (!LoadPolicies(f, extra, ps.scp_levels.back())) return 1;
    }
    iam::Decision d = iam::Evaluate(r, ps);
    if (format_ == "json") {
      json statements = json::array();
      for (const auto& s : d.statements) statements.push_back(s.Describe());
      std::cout << json{{"principal", p->arn},    {"action", r.action},
                        {"resource", r.resource}, {"decision", d.KindName()},
                        {"reason", d.reason},     {"statements", statements},
                        {"warnings", d.warnings}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << d.KindName() << ": " << p->Label() << " " << r.action << " on " << r.resource
                << "\n  " << d.reason << "\n";
      for (const auto& s : d.statements) std::cout << "  - " << s.Describe() << "\n";
      for (const auto& w : d.warnings) std::cout << "  warning: " << w << "\n";
    }
    return 0;
  }

  // A policy file (one document, or a list of them) into `out`; errors name the file.
  static bool LoadPolicies(const std::string& file, std::deque<iam::Policy>& storage,
                           std::vector<const iam::Policy*>& out) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "bulwark iam: cannot open " << file << "\n";
      return false;
    }
    json doc = json::parse(in, nullptr, false);
    if (doc.is_discarded()) {
      std::cerr << "bulwark iam: " << file << ": cannot read it as JSON\n";
      return false;
    }
    std::vector<json> docs =
        doc.is_array() ? std::vector<json>(doc.begin(), doc.end()) : std::vector<json>{doc};
    for (size_t i = 0; i < docs.size(); ++i) {
      auto p = iam::ParsePolicy(docs[i], docs.size() == 1 ? file : fmt::format("{}[{}]", file, i));
      if (!p.ok()) {
        std::cerr << "bulwark iam: " << p.status().message() << "\n";
        return false;
      }
      storage.push_back(std::move(*p));
      out.push_back(&storage.back());
    }
    return true;
  }

  // A wildcard action: every known action it covers, decided one by one and counted by
  // access level.
  int CanMany(const iam::Account& account, const iam::Principal& p) {
    std::string resource = args_.size() > 2 ? args_[2] : "*";
    std::map<std::string, std::pair<size_t, size_t>> levels;  // allowed, of
    json allowed = json::array();
    for (const auto& a : catalog_->Expand(args_[1])) {
      bool ok = account.Decide(p, a.name, resource).allowed();
      auto& [yes, all] = levels[iam::ActionCatalog::LevelName(a.level)];
      ++all;
      if (!ok) continue;
      ++yes;
      allowed.push_back({{"action", a.name}, {"level", iam::ActionCatalog::LevelName(a.level)}});
    }
    if (format_ == "json") {
      std::cout << json{{"principal", p.arn},
                        {"pattern", args_[1]},
                        {"resource", resource},
                        {"allowed", allowed}}
                       .dump(2)
                << "\n";
      return 0;
    }
    std::cout << fmt::format("{} of the actions matching {} on {}:\n", p.Label(), args_[1],
                             resource);
    for (const auto& [level, n] : levels)
      std::cout << fmt::format("  {:<24} {} of {} allowed\n", level, n.first, n.second);
    for (const auto& a : allowed)
      std::cout << fmt::format("  ALLOW {} ({})\n", a["action"].get<std::string>(),
                               a["level"].get<std::string>());
    return 0;
  }

  int Actions() {
    auto list = catalog_->Expand(args_[0]);
    if (format_ == "json") {
      json out = json::array();
      for (const auto& a : list)
        out.push_back({{"action", a.name}, {"level", iam::ActionCatalog::LevelName(a.level)}});
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& a : list)
        std::cout << fmt::format("{:<60} {}\n", a.name, iam::ActionCatalog::LevelName(a.level));
      std::cout << fmt::format("{} action(s) match {} (of {} known)\n", list.size(), args_[0],
                               catalog_->size());
    }
    return list.empty() ? 1 : 0;
  }

  int WhoCan(const iam::Account& account) {
    std::string resource = args_.size() > 1 ? args_[1] : "*";
    iam::WhoCanResult r = iam::WhoCan(account, args_[0], resource);
    if (format_ == "json") {
      json out = json::array();
      for (const auto& e : r.entries)
        out.push_back({{"principal", e.principal}, {"external", e.external}, {"how", e.how}});
      std::cout << json{{"action", args_[0]}, {"resource", resource}, {"principals", out}}.dump(2)
                << "\n";
    } else {
      std::cout << fmt::format("{} principal(s) can {} on {}\n", r.entries.size(), args_[0],
                               resource);
      for (const auto& e : r.entries) {
        std::cout << fmt::format("  {}{}\n      {}\n", e.principal,
                                 e.external ? "  (outside the account)" : "", e.how);
      }
    }
    return 0;
  }

  int Admins(const iam::Account& account) {
    iam::EscalationGraph g = iam::EscalationGraph::Build(account);
    json out = json::array();
    size_t count = 0;
    for (size_t i = 0; i < g.principals().size(); ++i) {
      std::string why;
      if (!g.AdministratorOrSelfGrant(i, &why)) continue;
      ++count;
      if (format_ == "json") {
        out.push_back({{"principal", g.principals()[i]->arn}, {"why", why}});
      } else {
        std::cout << fmt::format("  {:<40} {}\n", g.Name(i), why);
      }
    }
    if (format_ == "json") {
      std::cout << json{{"admins", out}}.dump(2) << "\n";
    } else {
      std::cout << fmt::format("{} administrator(s) among {} principals\n", count,
                               g.principals().size());
    }
    return 0;
  }

  int Public(const iam::Account& account) {
    json out = json::array();
    auto report = [&](const std::string& type, const std::string& arn, const iam::Policy& pol) {
      for (const auto& g : iam::ExternalGrants(pol, account.id(), account.organization_id())) {
        if (format_ == "json") {
          out.push_back({{"type", type},
                         {"resource", arn},
                         {"grantee", g.grantee},
                         {"statement", g.statement},
                         {"actions", g.actions},
                         {"conditions", g.conditions},
                         {"narrowed_by_condition", g.narrowed}});
        } else {
          std::cout << fmt::format(
              "{:<16} {}\n    to {} ({}): {}{}\n", type, arn, g.grantee, g.statement,
              fmt::join(g.actions, ", "),
              g.conditions.empty()
                  ? ""
                  : fmt::format("\n    when {}{}", g.conditions, g.narrowed ? " (narrowed)" : ""));
        }
      }
    };
    for (const auto& r : account.resource_policies()) report(r.type, r.arn, *r.policy);
    for (const auto& p : account.principals()) {
      if (p.trust) report("role trust", p.arn, *p.trust);
    }
    if (format_ == "json") std::cout << json{{"grants", out}}.dump(2) << "\n";
    return 0;
  }

  int Escalation(const iam::Account& account) {
    iam::EscalationGraph g = iam::EscalationGraph::Build(account);
    if (format_ == "dot") {
      std::cout << g.Dot();
      return 0;
    }
    json out = json::array();
    size_t paths = 0;
    for (size_t i = 0; i < g.principals().size(); ++i) {
      if (g.IsAdmin(i)) continue;
      std::vector<const iam::Edge*> path = g.PathToAdmin(i);
      if (path.empty()) continue;
      ++paths;
      if (format_ == "json") {
        json steps = json::array();
        for (const auto* e : path) {
          steps.push_back({{"from", g.Name(e->from)},
                           {"to", g.Name(e->to)},
                           {"method", e->method},
                           {"permissions", e->permissions},
                           {"detail", e->detail}});
        }
        out.push_back({{"principal", g.principals()[i]->arn}, {"steps", steps}});
      } else {
        std::cout << g.Name(i) << "\n";
        for (const auto* e : path) {
          std::string to = e->to != g.admin_node() && g.IsAdmin(e->to) ? g.Name(e->to) + " (admin)"
                                                                       : g.Name(e->to);
          std::cout << fmt::format("  -> {}: {} [{}]\n", to, e->detail,
                                   fmt::join(e->permissions, " + "));
        }
      }
    }
    if (format_ == "json") {
      std::cout << json{{"paths", out}}.dump(2) << "\n";
    } else {
      std::cout << fmt::format("{} principal(s) can escalate to administrator\n", paths);
    }
    return 0;
  }

  CLI::App* sub_;
  CLI::App *can_, *who_, *admins_, *public_, *esc_, *actions_;
  const iam::ActionCatalog* catalog_ = nullptr;
  std::string authz_, snapshot_, format_ = "table";
  std::vector<std::string> args_, context_, session_files_, scp_files_;
};

}  // namespace

std::unique_ptr<Command> MakeIamCommand(CLI::App& app) { return std::make_unique<IamCommand>(app); }

}  // namespace bulwark::cli
