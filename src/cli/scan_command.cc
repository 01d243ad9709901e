// `bulwark scan --snapshot FILE`: run the posture checks over a snapshot and report.
// `bulwark checks list|show`: what the checks are.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include "checks/check.h"
#include "checks/runner.h"
#include "cli/commands.h"
#include "findings/writers.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::cli {
namespace {

std::string DefaultChecksDir() {
  const char* env = std::getenv("BULWARK_CHECKS_DIR");
  return env && *env ? env : BULWARK_DEFAULT_CHECKS_DIR;
}

// Loads the checks, reporting files that did not load (the others still run).
checks::CheckSet LoadReporting(const std::string& dir) {
  checks::CheckSet set = checks::LoadChecks(dir);
  for (const auto& p : set.problems)
    std::cerr << "bulwark: check not loaded: " << p.message << "\n";
  return set;
}

std::set<std::string> CsvSet(const std::string& text) {
  std::set<std::string> out;
  for (const auto& part : Split(text, ',')) {
    if (!Trim(part).empty()) out.insert(Trim(part));
  }
  return out;
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
    sub_ = app.add_subcommand("scan", "Run the posture checks over a snapshot");
    sub_->add_option("--snapshot,-s", snapshot_, "Snapshot written by 'bulwark collect'")
        ->required()
        ->check(CLI::ExistingFile);
    sub_->add_option("--format,-f", format_, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    sub_->add_option("--output,-o", output_, "Write the report to this file instead of stdout");
    sub_->add_option("--checks", checks_, "Only these check ids (comma-separated)");
    sub_->add_option("--services", services_, "Only checks of these services (iam,s3,...)");
    sub_->add_option("--severity", severity_, "Only checks of these severities")
        ->check(CLI::Validator(SeverityValidator, "SEVERITIES"));
    sub_->add_option("--compliance", compliance_, "Only checks mapped to this framework (cis-3.0)");
    sub_->add_option("--fail-on", fail_on_, "Exit 3 when a FAIL at or above this severity exists")
        ->check(CLI::Validator(SeverityValidator, "SEVERITY"));
    sub_->add_option("--checks-dir", checks_dir_, "Directory of check files")
        ->check(CLI::ExistingDirectory);
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    checks::CheckSet set = LoadReporting(checks_dir_.empty() ? DefaultChecksDir() : checks_dir_);
    std::vector<checks::Check> selected = Select(set.checks);
    if (selected.empty()) {
      std::cerr << "bulwark scan: no check matches the filters\n";
      return 2;
    }
    auto snap = snapshot::Snapshot::Open(snapshot_);
    if (!snap.ok()) {
      std::cerr << "bulwark scan: " << snap.status().message() << "\n";
      return 1;
    }
    checks::ScanResult result = checks::RunChecks((*snap)->db(), selected);
    for (const auto& p : result.problems)
      std::cerr << "bulwark scan: check failed to run: " << p << "\n";

    std::ofstream file;
    if (!output_.empty()) {
      file.open(output_);
      if (!file) {
        std::cerr << fmt::format("bulwark scan: cannot write {}\n", output_);
        return 1;
      }
    }
    std::ostream& out = output_.empty() ? std::cout : file;
    if (format_ == "json") {
      findings::WriteJson(out, result.findings, {{"file", snapshot_}});
    } else if (format_ == "csv") {
      findings::WriteCsv(out, result.findings);
    } else {
      findings::WriteTable(out, result.findings, output_.empty() && isatty(STDOUT_FILENO));
    }
    return ExitCode(result);
  }

 private:
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
  std::string checks_;
  std::string services_;
  std::string severity_;
  std::string compliance_;
  std::string fail_on_;
  std::string checks_dir_;
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
      std::cout << fmt::format(
          "{}\n{}\n\nseverity: {}   service: {}   file: {}\n\nRationale:\n  {}\n\n"
          "Remediation:\n  {}\n{}\nQuery:\n{}\n",
          c.id, c.title, findings::ToString(c.severity), c.service, c.file, Trim(c.rationale),
          Trim(c.remediation), c.remediation_url.empty() ? "" : "  " + c.remediation_url + "\n",
          c.query);
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
};

}  // namespace

std::unique_ptr<Command> MakeScanCommand(CLI::App& app) {
  return std::make_unique<ScanCommand>(app);
}
std::unique_ptr<Command> MakeChecksCommand(CLI::App& app) {
  return std::make_unique<ChecksCommand>(app);
}

}  // namespace bulwark::cli
