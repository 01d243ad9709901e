// bulwark history and bulwark diff: the scans kept by `scan --history`, and what changed
// between two of them.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "findings/history.h"

namespace bulwark::cli {
namespace {

using nlohmann::json;

json EntryJson(const findings::DiffEntry& e) {
  return {{"check_id", e.check_id},       {"account_id", e.account_id}, {"region", e.region},
          {"resource_id", e.resource_id}, {"severity", e.severity},     {"message", e.message},
          {"first_seen", e.first_seen},   {"status", e.status}};
}

class HistoryCommand : public Command {
 public:
  explicit HistoryCommand(CLI::App& app) {
    sub_ = app.add_subcommand("history", "List the scans kept by scan --history, with counts");
    sub_->add_option("--history", file_, "History file")->capture_default_str();
    sub_->add_option("--format,-f", format_, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
  }
  CLI::App* sub() const override { return sub_; }
  int Run() override {
    auto h = findings::History::Open(file_, false);
    auto scans = h.ok() ? (*h)->Scans() : Result<std::vector<findings::ScanRecord>>(h.status());
    if (!scans.ok()) {
      std::cerr << "bulwark history: " << scans.status().message() << "\n";
      return 1;
    }
    if (format_ == "json") {
      json out = json::array();
      for (const auto& s : *scans) {
        out.push_back({{"id", s.id},
                       {"scanned_at", s.scanned_at},
                       {"account_id", s.account_id},
                       {"snapshot_finished_at", s.snapshot_finished_at},
                       {"total", s.total},
                       {"FAIL", s.fail},
                       {"PASS", s.pass},
                       {"MUTED", s.muted},
                       {"ERROR", s.error},
                       {"MANUAL", s.manual}});
      }
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    std::cout << fmt::format("{:>5}  {:<20}  {:<12}  {:>6} {:>6} {:>6} {:>6} {:>6}\n", "scan",
                             "scanned at", "account", "FAIL", "PASS", "MUTED", "ERROR", "MANUAL");
    for (const auto& s : *scans) {
      std::cout << fmt::format("{:>5}  {:<20}  {:<12}  {:>6} {:>6} {:>6} {:>6} {:>6}\n", s.id,
                               s.scanned_at, s.account_id, s.fail, s.pass, s.muted, s.error,
                               s.manual);
    }
    return 0;
  }

 private:
  CLI::App* sub_;
  std::string file_ = findings::History::DefaultPath();
  std::string format_ = "table";
};

class DiffCommand : public Command {
 public:
  explicit DiffCommand(CLI::App& app) {
    sub_ = app.add_subcommand(
        "diff", "New, resolved and still-open failures between two scans (default: the last two)");
    sub_->add_option("--history", file_, "History file")->capture_default_str();
    sub_->add_option("scans", ids_, "SCAN_A SCAN_B (ids from bulwark history)")->expected(0, 2);
    sub_->add_option("--format,-f", format_, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
  }
  CLI::App* sub() const override { return sub_; }
  int Run() override {
    if (ids_.size() == 1) {
      std::cerr << "bulwark diff: error: give two scan ids, or none for the last two (see "
                   "'bulwark diff --help')\n";
      return 2;
    }
    auto h = findings::History::Open(file_, false);
    auto d = h.ok() ? (*h)->Compare(ids_.empty() ? 0 : ids_[0], ids_.empty() ? 0 : ids_[1])
                    : Result<findings::Diff>(h.status());
    if (!d.ok()) {
      std::cerr << "bulwark diff: " << d.status().message() << "\n";
      return 1;
    }
    if (format_ == "json") {
      auto list = [](const std::vector<findings::DiffEntry>& v) {
        json out = json::array();
        for (const auto& e : v) out.push_back(EntryJson(e));
        return out;
      };
      std::cout << json{{"from", d->from.id},
                        {"to", d->to.id},
                        {"new", list(d->added)},
                        {"resolved", list(d->resolved)},
                        {"still_open", list(d->still_open)}}
                       .dump(2)
                << "\n";
      return 0;
    }
    std::cout << fmt::format("scan {} ({}) -> scan {} ({}): {} new, {} resolved, {} still open\n",
                             d->from.id, d->from.scanned_at, d->to.id, d->to.scanned_at,
                             d->added.size(), d->resolved.size(), d->still_open.size());
    auto section = [](const char* title, const std::vector<findings::DiffEntry>& v) {
      if (v.empty()) return;
      std::cout << "\n" << title << "\n";
      for (const auto& e : v) {
        std::cout << fmt::format("  {:<8} {:<45} {} {} {}  (failing since {}{})\n", e.severity,
                                 e.check_id, e.account_id, e.region, e.resource_id, e.first_seen,
                                 e.status == "MUTED" ? "; muted" : "");
      }
    };
    section("New failures", d->added);
    section("Resolved", d->resolved);
    section("Still open", d->still_open);
    return 0;
  }

 private:
  CLI::App* sub_;
  std::string file_ = findings::History::DefaultPath();
  std::vector<int64_t> ids_;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeHistoryCommand(CLI::App& app) {
  return std::make_unique<HistoryCommand>(app);
}
std::unique_ptr<Command> MakeDiffCommand(CLI::App& app) {
  return std::make_unique<DiffCommand>(app);
}

}  // namespace bulwark::cli
