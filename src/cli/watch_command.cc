// `bulwark watch`: cycles of collect, scan, record in the history database, work out what
// changed since the previous cycle (new, regressed, resolved failures) and tell the routes
// of the notify file. `watch status` lists the deliveries still owed.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "aws/http.h"
#include "cli/collect_flags.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/scan_report.h"
#include "findings/history.h"
#include "hunt/engine.h"
#include "hunt/sigma.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"
#include "watch/cron.h"
#include "watch/notify.h"
#include "watch/outbox.h"

namespace bulwark::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int) { g_stop = true; }

// "90s", "15m", "1h", "2d" to seconds; 0 when malformed.
long ParseDuration(const std::string& text) {
  if (text.size() < 2) return 0;
  char unit = text.back();
  long scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
  std::string digits = text.substr(0, text.size() - 1);
  if (scale == 0 || digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 6)
    return 0;
  return std::stol(digits) * scale;
}

// The changes between two scans of the history, as events for the routes.
std::vector<watch::ChangeEvent> Changes(const findings::Diff& diff,
                                        const findings::Report& report) {
  std::vector<watch::ChangeEvent> out;
  auto add = [&](const findings::DiffEntry& e, watch::Change c) {
    watch::ChangeEvent ev;
    ev.change = c;
    ev.entry = e;
    auto it = report.checks.find(e.check_id);
    if (it != report.checks.end()) {
      ev.title = it->second.title;
      ev.remediation_url = it->second.remediation_url;
    }
    if (ev.title.empty()) ev.title = e.check_id;
    out.push_back(std::move(ev));
  };
  for (const auto& e : diff.added) {
    // Failing before the previous scan (first seen earlier), not in it: it came back.
    bool again = !e.first_seen.empty() && e.first_seen < diff.to.scanned_at;
    add(e, again ? watch::Change::kRegressed : watch::Change::kNew);
  }
  for (const auto& e : diff.resolved) add(e, watch::Change::kResolved);
  return out;
}

class WatchCommand : public Command {
 public:
  explicit WatchCommand(CLI::App& app) {
    sub_ = app.add_subcommand(
        "watch",
        "Watch an account: cycles of collect, scan and history, with notifications of what "
        "changed");
    sub_->require_subcommand(0, 1);
    auto* once = sub_->add_flag("--once", once_, "Run one cycle and exit (for cron or a timer)");
    auto* every = sub_->add_option("--every", every_, "Run a cycle this often: 90s, 15m, 1h, 1d")
                      ->excludes(once);
    sub_->add_option("--cron", cron_,
                     "Run cycles on this schedule, in UTC: \"*/30 * * * *\" (minute hour "
                     "day-of-month month day-of-week)")
        ->excludes(once)
        ->excludes(every);
    sub_->add_option("--snapshot", snapshot_, "Scan this snapshot each cycle instead of collecting")
        ->check(CLI::ExistingFile);
    AddCollectFlags(sub_, collect_flags_);
    sub_->add_option("--history", history_,
                     "History database (default ~/.local/share/bulwark/history.db)");
    sub_->add_option("--snapshots-dir", snapshots_dir_,
                     "Keep each cycle's snapshot here (cycle-TIME.db), for query, iam and diffs");
    sub_->add_option("--keep", keep_, "With --snapshots-dir: keep the newest N snapshots")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    sub_->add_option("--keep-days", keep_days_,
                     "With --snapshots-dir: also drop snapshots older than N days")
        ->check(CLI::Range(1, 100000));
    sub_->add_option("--notify", notify_, "YAML file of notification routes")
        ->check(CLI::ExistingFile);
    sub_->add_option("--mutelist", mutelist_, "YAML file of mutes and trusted accounts")
        ->check(CLI::ExistingFile);
    sub_->add_option("--checks-dir", checks_dir_, "Directory of check files")
        ->check(CLI::ExistingDirectory);
    sub_->add_option("--logs", logs_,
                     "Each cycle, hunt the CloudTrail and flow log files that arrived here "
                     "since the previous one (repeatable)")
        ->check(CLI::ExistingPath);
    sub_->add_option("--rules", rules_dirs_, "Sigma rules for --logs (default: the built-in)")
        ->check(CLI::ExistingPath);
    status_ = sub_->add_subcommand("status", "Deliveries still owed to the notify routes");
    status_->add_option("--history", history_, "History database");
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    std::string history = history_.empty() ? findings::History::DefaultPath() : history_;
    if (status_->parsed()) return ShowStatus(history);
    if (!once_ && every_.empty() && cron_.empty()) {
      std::cerr << "bulwark watch: say --once, --every DURATION or --cron SCHEDULE\n";
      return 2;
    }
    std::optional<watch::CronSchedule> cron;
    if (!cron_.empty()) {
      auto c = watch::CronSchedule::Parse(cron_);
      if (!c.ok()) {
        std::cerr << "bulwark watch: --cron: " << c.status().message() << "\n";
        return 2;
      }
      cron = *c;
    }
    long every = once_ || cron ? 0 : ParseDuration(every_);
    if (!once_ && !cron && every == 0) {
      std::cerr << fmt::format("bulwark watch: --every {}: expected a number and s, m, h or d\n",
                               every_);
      return 2;
    }
    // Every input is checked before the first cycle.
    if (!notify_.empty()) {
      auto n = watch::NotifyConfig::Load(notify_);
      if (!n.ok()) {
        std::cerr << "bulwark watch: " << n.status().message() << "\n";
        return 2;
      }
      notify_config_ = std::move(*n);
    }
    if (!mutelist_.empty()) {
      auto m = findings::Mutelist::Load(mutelist_);
      if (!m.ok()) {
        std::cerr << "bulwark watch: " << m.status().message() << "\n";
        return 2;
      }
      mutes_ = std::move(*m);
    }
    checks_ = LoadReporting(checks_dir_.empty() ? DefaultChecksDir() : checks_dir_).checks;
    if (!logs_.empty()) {
      if (rules_dirs_.empty())
        rules_dirs_.push_back(DataDir("BULWARK_RULES_DIR", "rules", BULWARK_DEFAULT_RULES_DIR));
      for (const auto& r : rules_dirs_) hunt::LoadRules(r, rules_);
      hunt::ResolveCorrelations(rules_);
      for (const auto& p : rules_.problems)
        std::cerr << fmt::format("bulwark watch: rule not loaded: {}: {}\n", p.file, p.reason);
      if (rules_.rules.empty()) {
        std::cerr << "bulwark watch: no rule loaded for --logs\n";
        return 2;
      }
    }
    std::signal(SIGTERM, OnStopSignal);
    std::signal(SIGINT, OnStopSignal);
    int rc = 0;
    // Sleeps until `until` (wall clock), waking for a stop signal.
    auto sleep_until = [](std::time_t until) {
      while (!g_stop && std::time(nullptr) < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    };
    if (cron) {
      std::time_t first = cron->Next(std::time(nullptr));
      if (first == 0) {
        std::cerr << "bulwark watch: --cron '" << cron_ << "' never runs\n";
        return 2;
      }
      std::cerr << "bulwark watch: first cycle at " << snapshot::FormatIso8601(first) << "\n";
      sleep_until(first);
    }
    while (!g_stop) {
      rc = Cycle(history);
      if (once_) break;
      sleep_until(cron ? cron->Next(std::time(nullptr)) : std::time(nullptr) + every);
    }
    if (g_stop) std::cerr << "bulwark watch: stopped\n";
    return rc;
  }

 private:
  int Cycle(const std::string& history_path) {
    const std::time_t now = std::time(nullptr);
    const std::string now_text = snapshot::FormatIso8601(now);
    std::string path = snapshot_;
    bool temporary = false;
    if (path.empty()) {
      if (snapshots_dir_.empty()) {
        path = (std::filesystem::temp_directory_path() /
                fmt::format("bulwark-watch-{}.db", ::getpid()))
                   .string();
        temporary = true;
      } else {
        std::error_code ec;
        std::filesystem::create_directories(snapshots_dir_, ec);
        path =
            (std::filesystem::path(snapshots_dir_) / ("cycle-" + Stamp(now_text) + ".db")).string();
      }
      int rc = CollectToFile(collect_flags_, path, "watch");
      if (rc != 0) return rc;
      if (!snapshots_dir_.empty()) PruneSnapshots(now);
    }
    checks::ScanResult result;
    Result<findings::Report> report =
        BuildReport(checks_, path, mutes_ ? &*mutes_ : nullptr, mutelist_, "watch", &result);
    if (temporary) std::filesystem::remove(path);
    if (!report.ok()) {
      std::cerr << "bulwark watch: " << report.status().message() << "\n";
      return 1;
    }
    auto h = findings::History::Open(history_path, true);
    if (!h.ok()) {
      std::cerr << "bulwark watch: " << h.status().message() << "\n";
      return 1;
    }
    // One transaction per cycle: the scan and the messages it owes are kept together or not
    // at all, so a cycle killed halfway is as if it had not run.
    sqlite3* db = (*h)->db();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    struct Rollback {
      sqlite3* db;
      bool committed = false;
      ~Rollback() {
        if (!committed) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      }
    } rollback{db};
    auto scans = (*h)->Scans();
    // The previous scan of the same account (the history may hold other accounts' scans).
    std::optional<int64_t> previous;
    const std::string account = report->snapshot.value("account_id", std::string());
    if (scans.ok()) {
      for (const auto& sc : *scans)
        if (sc.account_id == account) previous = sc.id;
    }
    auto id = (*h)->Record(*report, now_text);
    if (!id.ok()) {
      std::cerr << "bulwark watch: " << id.status().message() << "\n";
      return 1;
    }
    std::vector<watch::ChangeEvent> events;
    int still_open = 0;
    if (previous) {
      auto diff = (*h)->Compare(*previous, *id);
      if (!diff.ok()) {
        std::cerr << "bulwark watch: " << diff.status().message() << "\n";
        return 1;
      }
      events = Changes(*diff, *report);
      still_open = static_cast<int>(diff->still_open.size());
    }
    size_t log_files = 0;
    uint64_t log_bytes = 0;
    if (!logs_.empty()) {
      auto alerts = HuntNewLogs(db, &log_files, &log_bytes);
      if (!alerts.ok()) {
        std::cerr << "bulwark watch: " << alerts.status().message() << "\n";
        return 1;
      }
      events.insert(events.end(), alerts->begin(), alerts->end());
    }
    int counts[4] = {0, 0, 0, 0};
    for (const auto& e : events) counts[static_cast<int>(e.change)]++;
    if (!previous) {
      int failing = 0;
      for (const auto& f : report->findings)
        failing += f.status == findings::FindingStatus::kFail ? 1 : 0;
      std::cerr << fmt::format(
          "bulwark watch: first cycle (scan {}): {} failures kept as the starting point; "
          "changes are notified from the next cycle\n",
          *id, failing);
    } else {
      std::cerr << fmt::format(
          "bulwark watch: scan {}: {} new, {} regressed, {} resolved, {} still open\n", *id,
          counts[0], counts[1], counts[2], still_open);
    }
    if (!logs_.empty())
      std::cerr << fmt::format(
          "bulwark watch: {} new log file(s) hunted ({:.1f} MB): {} alert(s)\n", log_files,
          log_bytes / 1e6, counts[3]);
    auto commit = [&] {
      rollback.committed = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
      if (!rollback.committed)
        std::cerr << "bulwark watch: history database: " << sqlite3_errmsg(db) << "\n";
      return rollback.committed;
    };
    if (!notify_config_) return commit() ? 0 : 1;
    auto outbox = watch::Outbox::Open(db);
    if (!outbox.ok()) {
      std::cerr << "bulwark watch: " << outbox.status().message() << "\n";
      return 1;
    }
    int queued = 0;
    for (const auto& route : notify_config_->routes) {
      std::vector<watch::ChangeEvent> wanted;
      for (const auto& e : events)
        if (route.Wants(e)) wanted.push_back(e);
      for (const auto& body : watch::Messages(route, wanted, now_text)) {
        Status s = outbox->Enqueue(route.name, body, now);
        if (!s.ok()) {
          std::cerr << "bulwark watch: " << s.message() << "\n";
          return 1;
        }
        ++queued;
      }
    }
    if (!commit()) return 1;
    aws::CurlHttpClient http;
    // SNS routes publish with bulwark's own client, the collect flags' credentials and
    // endpoint; the session is made once, on first use.
    watch::SnsPublisher sns = [this](const std::string& arn, const std::string& message) {
      if (!session_) session_ = MakeSession(collect_flags_, "watch");
      if (!session_) return std::string("bad AWS_ENDPOINT_URL");
      std::string region = Split(arn, ':')[3];
      auto r = session_->client.Query("sns", region, "Publish",
                                      {{"TopicArn", arn}, {"Message", message}});
      return r.ok() ? std::string() : r.status().ToString();
    };
    watch::DeliveryStats d = watch::DeliverDue(*outbox, *notify_config_, http, sns, now);
    for (const auto& w : d.warnings) std::cerr << "bulwark watch: warning: " << w << "\n";
    std::cerr << fmt::format("bulwark watch: {} message(s) queued, {} sent, {} failed\n", queued,
                             d.sent, d.failed);
    return 0;
  }

  // 2026-12-02T01:00:00Z as 2026-12-02T010000Z, for a file name.
  static std::string Stamp(std::string time) {
    time.erase(std::remove(time.begin(), time.end(), ':'), time.end());
    return time;
  }

  // Keeps the newest --keep snapshots of the directory (and, with --keep-days, only those
  // younger than that); only files this command names (cycle-*.db) are touched.
  void PruneSnapshots(std::time_t now) {
    std::vector<std::filesystem::path> cycles;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(snapshots_dir_, ec)) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && StartsWith(name, "cycle-") && EndsWith(name, ".db"))
        cycles.push_back(e.path());
    }
    std::sort(cycles.begin(), cycles.end());  // cycle-<UTC time>: oldest first
    std::string oldest_kept;
    if (keep_days_ > 0)
      oldest_kept =
          "cycle-" + Stamp(snapshot::FormatIso8601(now - std::time_t{keep_days_} * 86400));
    for (size_t i = 0; i < cycles.size(); ++i) {
      bool beyond_count = cycles.size() - i > static_cast<size_t>(keep_);
      bool too_old = !oldest_kept.empty() && cycles[i].filename().string() < oldest_kept;
      if (beyond_count || too_old) std::filesystem::remove(cycles[i], ec);
    }
  }

  // Hunts the files under --logs that no earlier cycle read (or that changed since, by size
  // or time), and records them as read in the cycle's transaction.
  Result<std::vector<watch::ChangeEvent>> HuntNewLogs(sqlite3* db, size_t* files_read,
                                                      uint64_t* bytes_read) {
    if (sqlite3_exec(db,
                     "CREATE TABLE IF NOT EXISTS hunt_cursor (path TEXT PRIMARY KEY, size "
                     "INTEGER, mtime INTEGER, read_at TEXT)",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
      return Status::Io(std::string("history database: ") + sqlite3_errmsg(db));
    std::vector<hunt::InputProblem> problems;
    std::vector<std::string> inputs = hunt::ExpandInputs(logs_, problems);
    struct Seen {
      std::string path;
      int64_t size, mtime;
    };
    std::vector<Seen> fresh;
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT size, mtime FROM hunt_cursor WHERE path = ?1", -1, &q, nullptr);
    for (const auto& path : inputs) {
      std::error_code ec;
      auto size = static_cast<int64_t>(std::filesystem::file_size(path, ec));
      auto mtime =
          static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::filesystem::last_write_time(path, ec).time_since_epoch())
                                   .count());
      sqlite3_reset(q);
      sqlite3_bind_text(q, 1, path.c_str(), -1, SQLITE_TRANSIENT);
      bool known = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) == size &&
                   sqlite3_column_int64(q, 1) == mtime;
      if (!known) fresh.push_back({path, size, mtime});
    }
    sqlite3_finalize(q);
    *files_read = fresh.size();
    std::vector<watch::ChangeEvent> out;
    if (fresh.empty()) return out;
    std::vector<std::string> paths;
    for (const auto& f : fresh) paths.push_back(f.path);
    hunt::HuntResult r = hunt::Hunt(rules_, paths, hunt::HuntOptions{});
    *bytes_read = r.stats.bytes;
    problems.insert(problems.end(), r.problems.begin(), r.problems.end());
    for (const auto& p : problems)
      std::cerr << fmt::format("bulwark watch: warning: {} at byte {}: {}\n", p.file, p.offset,
                               p.message);
    for (const auto& a : r.alerts) {
      watch::ChangeEvent e;
      e.change = watch::Change::kAlert;
      e.title = a.rule->title;
      e.entry.check_id = a.rule->id;
      e.entry.severity = a.rule->level;
      e.entry.region = a.region;
      e.entry.resource_id = !a.principal.empty() ? a.principal : a.source_ip;
      // The principal's account, from its ARN (arn:aws:iam::ACCOUNT:user/...).
      if (StartsWith(a.principal, "arn:")) {
        std::vector<std::string> arn = Split(a.principal, ':');
        if (arn.size() > 4) e.entry.account_id = arn[4];
      }
      e.entry.status = "ALERT";
      e.entry.first_seen = snapshot::FormatIso8601(a.time_ms / 1000);
      e.entry.message =
          fmt::format("{}: {} event(s) from {} at {} (in {})", a.rule->title, a.event_count,
                      a.source_ip.empty() ? "-" : a.source_ip, e.entry.first_seen, a.file);
      out.push_back(std::move(e));
    }
    sqlite3_stmt* w = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT OR REPLACE INTO hunt_cursor (path, size, mtime, read_at) VALUES "
                       "(?1, ?2, ?3, ?4)",
                       -1, &w, nullptr);
    const std::string now = snapshot::NowIso8601();
    for (const auto& f : fresh) {
      sqlite3_reset(w);
      sqlite3_bind_text(w, 1, f.path.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(w, 2, f.size);
      sqlite3_bind_int64(w, 3, f.mtime);
      sqlite3_bind_text(w, 4, now.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(w) != SQLITE_DONE) {
        sqlite3_finalize(w);
        return Status::Io(std::string("history database: ") + sqlite3_errmsg(db));
      }
    }
    sqlite3_finalize(w);
    return out;
  }

  int ShowStatus(const std::string& history_path) {
    auto h = findings::History::Open(history_path, false);
    if (!h.ok()) {
      std::cerr << "bulwark watch status: " << h.status().message() << "\n";
      return 1;
    }
    auto outbox = watch::Outbox::Open((*h)->db());
    auto pending =
        outbox.ok() ? outbox->Pending(0) : Result<std::vector<watch::Delivery>>(outbox.status());
    if (!pending.ok()) {
      std::cerr << "bulwark watch status: " << pending.status().message() << "\n";
      return 1;
    }
    std::cout << fmt::format("{} deliveries pending\n", pending->size());
    for (const auto& p : *pending) {
      std::cout << fmt::format(
          "  #{} route {} queued {}, {} attempt(s){}, next {}\n", p.id, p.route, p.created_at,
          p.attempts, p.last_error.empty() ? "" : ", last: " + p.last_error, p.next_attempt_at);
    }
    return 0;
  }

  CLI::App* sub_;
  CLI::App* status_;
  bool once_ = false;
  std::string every_;
  std::string cron_;
  std::string snapshot_;
  CollectFlags collect_flags_;
  std::string history_;
  std::string notify_;
  std::string mutelist_;
  std::string checks_dir_;
  std::optional<watch::NotifyConfig> notify_config_;
  std::optional<findings::Mutelist> mutes_;
  std::vector<checks::Check> checks_;
  std::unique_ptr<AwsSession> session_;
  std::vector<std::string> logs_;
  std::vector<std::string> rules_dirs_;
  std::string snapshots_dir_;
  int keep_ = 30;
  int keep_days_ = 0;
  hunt::RuleSet rules_;
};

}  // namespace

std::unique_ptr<Command> MakeWatchCommand(CLI::App& app) {
  return std::make_unique<WatchCommand>(app);
}

}  // namespace bulwark::cli
