// `bulwark scan`: collect (as `bulwark collect`) or open a saved snapshot, run the posture
// checks over it and report.
// `bulwark checks list|show`: what the checks are.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <tuple>

#include "bulwark/version.h"
#include "checks/check.h"
#include "checks/runner.h"
#include "cli/collect_flags.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/scan_report.h"
#include "findings/history.h"
#include "findings/html.h"
#include "findings/interchange.h"
#include "findings/mutelist.h"
#include "findings/writers.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::cli {
namespace {

std::set<std::string> CsvSet(const std::string& text) {
  std::set<std::string> out;
  for (const auto& part : Split(text, ',')) {
    if (!Trim(part).empty()) out.insert(Trim(part));
  }
  return out;
}

// The snapshot block of a JSON report: where it is and what snapshot_info says.
nlohmann::json SnapshotJson(sqlite3* db, const std::string& path) {
  nlohmann::json info = {{"file", path}};
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT account_id, partition, regions, started_at, finished_at, "
                         "tool_version, errors FROM snapshot_info LIMIT 1",
                         -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    auto text = [&](int i) { return snapshot::ColumnText(stmt, i); };
    info["account_id"] = text(0);
    info["partition"] = text(1);
    info["regions"] = nlohmann::json::parse(text(2), nullptr, false);
    info["started_at"] = text(3);
    info["finished_at"] = text(4);
    info["tool_version"] = text(5);
    info["collection_errors"] = sqlite3_column_int(stmt, 6);
  }
  sqlite3_finalize(stmt);
  return info;
}

const char* const kFormats[] = {"table", "json", "csv", "html", "sarif", "junit", "asff", "ocsf"};

std::string FormatValidator(const std::string& value) {
  for (const auto& f : Split(value, ',')) {
    if (std::find(std::begin(kFormats), std::end(kFormats), Trim(f)) == std::end(kFormats))
      return fmt::format("'{}' is not one of table, json, csv, html, sarif, junit, asff, ocsf", f);
  }
  return "";
}

// The file a format is written to under --output-dir.
std::string ReportFile(const std::string& format) {
  if (format == "table") return "report.txt";
  if (format == "junit") return "report.junit.xml";
  if (format == "asff") return "report.asff.json";
  if (format == "ocsf") return "report.ocsf.jsonl";
  return "report." + format;
}

std::string SeverityValidator(const std::string& value) {
  for (const auto& s : Split(value, ',')) {
    findings::Severity sev;
    if (!findings::ParseSeverity(Trim(s), &sev)) {
      return fmt::format("'{}' is not critical, high, medium, low or informational", s);
    }
  }
  return "";
}

class ScanCommand : public Command {
 public:
  explicit ScanCommand(CLI::App& app) {
    sub_ = app.add_subcommand(
        "scan", "Collect (or open a saved snapshot) and run the posture checks over it");
    sub_->add_option("--snapshot,-s", snapshot_,
                     "Scan this saved snapshot offline instead of collecting")
        ->check(CLI::ExistingFile);
    sub_->add_option("--save-snapshot", save_snapshot_,
                     "When collecting, keep the snapshot in this file")
        ->excludes("--snapshot");
    AddCollectFlags(sub_, collect_flags_);
    sub_->add_option("--format,-f", format_,
                     "Output format: table, json, csv, html, sarif, junit, asff, ocsf; several "
                     "comma-separated with --output-dir")
        ->check(CLI::Validator(FormatValidator, "FORMATS"))
        ->capture_default_str();
    sub_->add_option("--output,-o", output_, "Write the report to this file instead of stdout");
    sub_->add_option("--output-dir", output_dir_,
                     "Write one report per format into this directory (report.json, "
                     "report.sarif, report.junit.xml, ...)")
        ->excludes("--output");
    sub_->add_option("--checks", checks_, "Only these check ids (comma-separated)");
    sub_->add_option("--services", services_, "Only checks of these services (iam,s3,...)");
    sub_->add_option("--severity", severity_, "Only checks of these severities")
        ->check(CLI::Validator(SeverityValidator, "SEVERITIES"));
    sub_->add_option("--compliance", compliance_, "Only checks mapped to this framework (cis-3.0)");
    sub_->add_option("--fail-on", fail_on_, "Exit 3 when a FAIL at or above this severity exists")
        ->check(CLI::Validator(SeverityValidator, "SEVERITY"));
    history_opt_ = sub_->add_option("--history", history_,
                                    "Keep this scan's findings in a history file (default "
                                    "~/.local/share/bulwark/history.db) for bulwark diff")
                       ->expected(0, 1);
    sub_->add_option("--mutelist", mutelist_,
                     "YAML file of mutes (reason, owner, optional expiry) and trusted accounts")
        ->check(CLI::ExistingFile);
    sub_->add_option("--checks-dir", checks_dir_, "Directory of check files")
        ->check(CLI::ExistingDirectory);
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    // Usage and input problems first, before a collection that may take minutes.
    if (format_.find(',') != std::string::npos && output_dir_.empty()) {
      std::cerr << "bulwark scan: several formats need --output-dir DIR\n";
      return 2;
    }
    if (!mutelist_.empty()) {
      auto m = findings::Mutelist::Load(mutelist_);
      if (!m.ok()) {
        std::cerr << "bulwark scan: " << m.status().message() << "\n";
        return 2;
      }
      mutes_ = std::move(*m);
    }
    checks::CheckSet set = LoadReporting(checks_dir_.empty() ? DefaultChecksDir() : checks_dir_);
    std::vector<checks::Check> selected = Select(set.checks);
    if (selected.empty()) {
      std::cerr << "bulwark scan: no check matches the filters\n";
      return 2;
    }
    std::string path = snapshot_;
    if (path.empty()) {
      path = save_snapshot_.empty() ? (std::filesystem::temp_directory_path() /
                                       fmt::format("bulwark-scan-{}.db", ::getpid()))
                                          .string()
                                    : save_snapshot_;
      int rc = CollectToFile(collect_flags_, path, "scan");
      if (rc != 0) return rc;
    }
    int rc = Scan(selected, path);
    if (snapshot_.empty() && save_snapshot_.empty()) std::filesystem::remove(path);
    return rc;
  }

 private:
  int Scan(const std::vector<checks::Check>& selected, const std::string& path) {
    checks::ScanResult result;
    Result<findings::Report> built =
        BuildReport(selected, path, mutes_ ? &*mutes_ : nullptr, mutelist_, "scan", &result);
    if (!built.ok()) {
      std::cerr << "bulwark scan: " << built.status().message() << "\n";
      return 1;
    }
    findings::Report& report = *built;
    std::vector<std::string> formats;
    for (const auto& f : Split(format_, ',')) formats.push_back(Trim(f));
    if (!output_dir_.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(output_dir_, ec);
      for (const auto& f : formats) {
        std::string file = (std::filesystem::path(output_dir_) / ReportFile(f)).string();
        std::ofstream out(file);
        if (!out) {
          std::cerr << fmt::format("bulwark scan: cannot write {}\n", file);
          return 1;
        }
        Write(out, f, report, false);
        std::cerr << fmt::format("bulwark scan: wrote {}\n", file);
      }
    } else {
      std::ofstream file;
      if (!output_.empty()) {
        file.open(output_);
        if (!file) {
          std::cerr << fmt::format("bulwark scan: cannot write {}\n", output_);
          return 1;
        }
      }
      std::ostream& out = output_.empty() ? std::cout : file;
      Write(out, formats[0], report, output_.empty() && isatty(STDOUT_FILENO));
    }
    if (history_opt_->count() > 0) {
      std::string file = history_.empty() ? findings::History::DefaultPath() : history_;
      auto h = findings::History::Open(file, true);
      auto id = h.ok() ? (*h)->Record(report, snapshot::NowIso8601()) : Result<int64_t>(h.status());
      if (!id.ok()) {
        std::cerr << "bulwark scan: " << id.status().message() << "\n";
        return 1;
      }
      std::cerr << fmt::format("bulwark scan: recorded as scan {} in {}\n", *id, file);
    }
    result.findings = std::move(report.findings);
    return ExitCode(result);
  }

  static void Write(std::ostream& out, const std::string& format, const findings::Report& r,
                    bool color) {
    if (format == "json") {
      findings::WriteJson(out, r.findings, r.snapshot);
    } else if (format == "csv") {
      findings::WriteCsv(out, r.findings);
    } else if (format == "html") {
      findings::WriteHtml(out, r);
    } else if (format == "sarif") {
      findings::WriteSarif(out, r);
    } else if (format == "junit") {
      findings::WriteJunit(out, r);
    } else if (format == "asff") {
      findings::WriteAsff(out, r);
    } else if (format == "ocsf") {
      findings::WriteOcsf(out, r);
    } else {
      findings::WriteTable(out, r.findings, color);
    }
  }

  std::vector<checks::Check> Select(const std::vector<checks::Check>& all) const {
    std::set<std::string> ids = CsvSet(checks_);
    std::set<std::string> services = CsvSet(services_);
    std::set<std::string> severities;
    for (const auto& s : CsvSet(severity_)) severities.insert(ToLower(s));
    std::vector<checks::Check> out;
    for (const auto& c : all) {
      if (!ids.empty() && !ids.count(c.id)) continue;
      if (!services.empty() && !services.count(c.service)) continue;
      if (!severities.empty() && !severities.count(findings::ToString(c.severity))) continue;
      if (!compliance_.empty() && !c.compliance.count(compliance_)) continue;
      out.push_back(c);
    }
    return out;
  }

  int ExitCode(const checks::ScanResult& result) const {
    if (fail_on_.empty()) return 0;
    findings::Severity threshold;
    findings::ParseSeverity(fail_on_, &threshold);
    for (const auto& f : result.findings) {
      // Severity enum runs from critical (0) down to informational.
      if (f.status == findings::FindingStatus::kFail && f.severity <= threshold) return 3;
    }
    return 0;
  }

  CLI::App* sub_;
  std::string snapshot_;
  std::string format_ = "table";
  std::string output_;
  std::string output_dir_;
  std::string checks_;
  std::string services_;
  std::string severity_;
  std::string compliance_;
  std::string fail_on_;
  std::string checks_dir_;
  std::string mutelist_;
  std::optional<findings::Mutelist> mutes_;
  std::string history_;
  CLI::Option* history_opt_ = nullptr;
  std::string save_snapshot_;
  CollectFlags collect_flags_;
};

class ChecksCommand : public Command {
 public:
  explicit ChecksCommand(CLI::App& app) {
    sub_ = app.add_subcommand("checks", "List the posture checks or show one");
    sub_->require_subcommand(1);
    list_ = sub_->add_subcommand("list",
                                 "One line per check: id, severity, service, title, compliance");
    show_ = sub_->add_subcommand("show", "A check's rationale, remediation and query");
    show_->add_option("id", id_, "Check id")->required();
    for (CLI::App* s : {list_, show_}) {
      s->add_option("--checks-dir", checks_dir_, "Directory of check files")
          ->check(CLI::ExistingDirectory);
    }
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    checks::CheckSet set = LoadReporting(checks_dir_.empty() ? DefaultChecksDir() : checks_dir_);
    if (list_->parsed()) {
      for (const auto& c : set.checks) {
        std::string comp;
        for (const auto& [fw, ids] : c.compliance)
          comp += (comp.empty() ? "" : " ") + fw + ":" + Join(ids, ",");
        std::cout << fmt::format("{:<45} {:<13} {:<12} {}  [{}]\n", c.id,
                                 findings::ToString(c.severity), c.service, c.title, comp);
      }
      std::cout << fmt::format("({} checks)\n", set.checks.size());
      return 0;
    }
    for (const auto& c : set.checks) {
      if (c.id != id_) continue;
      // The calls whose failure makes this check's findings ERROR, derived from its SQL.
      std::vector<std::string> calls = checks::DeclaredDependsOn(c);
      std::cout << fmt::format(
          "{}\n{}\n\nseverity: {}   service: {}   file: {}\n\nRationale:\n  {}\n\n"
          "Remediation:\n  {}\n{}\nRests on (an API call that fails makes the findings that "
          "read it ERROR):\n  {}\n\nQuery:\n{}\n",
          c.id, c.title, findings::ToString(c.severity), c.service, c.file, Trim(c.rationale),
          Trim(c.remediation), c.remediation_url.empty() ? "" : "  " + c.remediation_url + "\n",
          calls.empty() ? "(no API call)" : Join(calls, "\n  "), c.query);
      return 0;
    }
    std::cerr << fmt::format("bulwark checks show: no check '{}' (see 'bulwark checks list')\n",
                             id_);
    return 2;
  }

 private:
  CLI::App* sub_;
  CLI::App* list_;
  CLI::App* show_;
  std::string id_;
  std::string checks_dir_;
  std::string mutelist_;
  std::optional<findings::Mutelist> mutes_;
  std::string history_;
  CLI::Option* history_opt_ = nullptr;
};

}  // namespace

std::string DefaultChecksDir() {
  return DataDir("BULWARK_CHECKS_DIR", "checks", BULWARK_DEFAULT_CHECKS_DIR);
}

checks::CheckSet LoadReporting(const std::string& dir) {
  checks::CheckSet set = checks::LoadChecks(dir);
  for (const auto& p : set.problems)
    std::cerr << "bulwark: check not loaded: " << p.message << "\n";
  return set;
}

Result<findings::Report> BuildReport(const std::vector<checks::Check>& selected,
                                     const std::string& path, const findings::Mutelist* mutes,
                                     const std::string& mutelist_file, const std::string& command,
                                     checks::ScanResult* result) {
  auto snap = snapshot::Snapshot::Open(path);
  if (!snap.ok()) return snap.status();
  *result = checks::RunChecks((*snap)->db(), selected,
                              mutes ? mutes->trusted_accounts() : std::vector<std::string>{});
  if (mutes) {
    auto outcome = mutes->Apply(result->findings, snapshot::NowIso8601().substr(0, 10));
    for (const auto& e : outcome.expired)
      std::cerr << "bulwark " << command << ": warning: " << e << "\n";
    for (const auto& u : outcome.unmatched)
      std::cerr << "bulwark " << command << ": warning: " << u << "\n";
    std::cerr << fmt::format("bulwark {}: {} finding(s) muted by {}\n", command, outcome.muted,
                             mutelist_file);
  }
  for (const auto& w : result->warnings)
    std::cerr << "bulwark " << command << ": warning: " << w << "\n";
  for (const auto& p : result->problems)
    std::cerr << "bulwark " << command << ": check failed to run: " << p << "\n";

  findings::Report report;
  report.findings = std::move(result->findings);
  // One order whatever order collection wrote rows in: reports diff cleanly.
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const findings::Finding& a, const findings::Finding& b) {
                     return std::tie(a.check_id, a.account_id, a.region, a.resource_id) <
                            std::tie(b.check_id, b.account_id, b.region, b.resource_id);
                   });
  report.snapshot = SnapshotJson((*snap)->db(), path);
  report.tool_version = kVersion;
  for (const auto& c : selected) {
    report.checks[c.id] = {c.id,        c.title,       c.severity,        c.service,
                           c.rationale, c.remediation, c.remediation_url, c.compliance};
  }
  return report;
}

std::unique_ptr<Command> MakeScanCommand(CLI::App& app) {
  return std::make_unique<ScanCommand>(app);
}
std::unique_ptr<Command> MakeChecksCommand(CLI::App& app) {
  return std::make_unique<ChecksCommand>(app);
}

}  // namespace bulwark::cli
