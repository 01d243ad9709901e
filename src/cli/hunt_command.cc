// `bulwark hunt PATH...`: Sigma rules over CloudTrail logs and VPC flow logs.
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/data_dir.h"
#include "hunt/engine.h"
#include "snapshot/snapshot.h"
#include "util/strings.h"

namespace bulwark::cli {
namespace {

using nlohmann::json;

std::string DefaultRulesDir() {
  return DataDir("BULWARK_RULES_DIR", "rules", BULWARK_DEFAULT_RULES_DIR);
}

std::string IsoTime(int64_t ms) { return ms <= 0 ? "" : snapshot::FormatIso8601(ms / 1000); }

// The alert without its events.
json AlertHead(const hunt::Alert& a) {
  json j = {
      {"rule_id", a.rule->id},      {"title", a.rule->title},       {"level", a.rule->level},
      {"time", IsoTime(a.time_ms)}, {"principal", a.principal},     {"source_ip", a.source_ip},
      {"region", a.region},         {"event_count", a.event_count}, {"file", a.file}};
  if (a.rule->correlation) {
    j["last_time"] = IsoTime(a.last_time_ms);
    j["group"] = a.group;
  }
  if (!a.rule->tags.empty()) j["tags"] = a.rule->tags;
  return j;
}

json AlertJson(const hunt::Alert& a) {
  json j = AlertHead(a);
  json events = json::array();
  for (const auto& e : a.events) {
    json parsed =
        a.events_are_json ? json::parse(e, nullptr, false) : json(json::value_t::discarded);
    events.push_back(parsed.is_discarded() ? json(e) : parsed);
  }
  j["events"] = std::move(events);
  return j;
}

// One JSON line. The events are already compact JSON (CloudTrail records as the parser
// minified them, correlation samples as the engine wrote them): spliced in as they are
// rather than parsed again, which on a busy trail costs more than the hunt itself.
std::string AlertLine(const hunt::Alert& a) {
  std::string line = AlertHead(a).dump();
  line.pop_back();  // the closing brace
  line += R"(,"events":[)";
  for (size_t i = 0; i < a.events.size(); ++i) {
    if (i) line += ',';
    line += a.events_are_json ? a.events[i] : json(a.events[i]).dump();
  }
  line += "]}";
  return line;
}

json SummaryJson(const hunt::ActivitySummary& s) {
  auto entries = [](const std::map<std::string, hunt::ActivitySummary::Entry>& m,
                    const char* other_name) {
    json out = json::array();
    for (const auto& [k, e] : m) {
      out.push_back({{"key", k},
                     {"calls", e.calls},
                     {"errors", e.errors},
                     {"first_seen", IsoTime(e.first_ms)},
                     {"last_seen", IsoTime(e.last_ms)},
                     {"actions", e.actions},
                     {"regions", e.regions},
                     {other_name, e.others}});
    }
    return out;
  };
  return {{"principals", entries(s.principals, "source_ips")},
          {"source_ips", entries(s.source_ips, "principals")}};
}

std::string Top(const std::map<std::string, uint64_t>& m, size_t n) {
  std::vector<std::pair<uint64_t, std::string>> v;
  for (const auto& [k, c] : m) v.emplace_back(c, k);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::string out;
  for (size_t i = 0; i < v.size() && i < n; ++i) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({})", v[i].second.empty() ? "-" : v[i].second, v[i].first);
  }
  if (v.size() > n) out += fmt::format(", +{} more", v.size() - n);
  return out;
}

void WriteSummaryTable(std::ostream& out, const hunt::ActivitySummary& s) {
  auto section = [&](const char* title,
                     const std::map<std::string, hunt::ActivitySummary::Entry>& m,
                     const char* other) {
    out << fmt::format("== {} ({})\n", title, m.size());
    std::vector<std::pair<std::string, const hunt::ActivitySummary::Entry*>> v;
    for (const auto& [k, e] : m) v.emplace_back(k, &e);
    std::sort(v.begin(), v.end(),
              [](const auto& a, const auto& b) { return a.second->calls > b.second->calls; });
    for (const auto& [k, e] : v) {
      out << fmt::format(
          "{}\n  calls {}  errors {}  first {}  last {}\n  regions: {}\n  {}: {}\n  "
          "top actions: {}\n",
          k.empty() ? "-" : k, e->calls, e->errors, IsoTime(e->first_ms), IsoTime(e->last_ms),
          Top(e->regions, 5), other, Top(e->others, 5), Top(e->actions, 8));
    }
  };
  section("Principals", s.principals, "source IPs");
  out << "\n";
  section("Source IPs", s.source_ips, "principals");
}

class HuntCommand : public Command {
 public:
  explicit HuntCommand(CLI::App& app) {
    sub_ = app.add_subcommand("hunt", "Run Sigma rules over CloudTrail logs and VPC flow logs");
    sub_->add_option("paths", paths_,
                     "Files or directories (CloudTrail .json/.json.gz, JSON lines, flow logs); "
                     "- for standard input")
        ->required();
    sub_->add_option("--rules", rules_,
                     "Sigma rule file or directory (repeatable; default: the built-in rules)");
    sub_->add_option("--format,-f", format_, "Output format")
        ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}))
        ->capture_default_str();
    sub_->add_option("--output,-o", output_, "Write alerts to FILE instead of standard output");
    sub_->add_flag("--summary", summary_,
                   "Per principal and per source IP: calls, regions, addresses, errors, first and "
                   "last seen (no rules run)");
    sub_->add_flag("--strict", strict_, "Exit 1 when any input or rule had a problem");
    sub_->add_option("--threads", threads_, "Worker threads (default: every core)");
    sub_->add_option("--max-document-mb", max_document_mb_,
                     "Largest file read whole, and so the largest single JSON document (a "
                     "Records file) read; larger JSON-lines and flow log files are streamed")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    hunt::RuleSet rules;
    if (!summary_) {
      if (rules_.empty()) rules_.push_back(DefaultRulesDir());
      for (const auto& r : rules_) hunt::LoadRules(r, rules);
      hunt::ResolveCorrelations(rules);
      for (const auto& p : rules.problems) {
        std::cerr << fmt::format("bulwark hunt: rule not loaded: {}{}: {}\n", p.file,
                                 p.rule.empty() ? "" : " (" + p.rule + ")", p.reason);
      }
      if (rules.rules.empty()) {
        std::cerr << "bulwark hunt: no rule loaded\n";
        return 1;
      }
    }
    std::vector<hunt::InputProblem> input_problems;
    std::vector<std::string> inputs = hunt::ExpandInputs(paths_, input_problems);
    hunt::HuntOptions options;
    options.threads = threads_;
    options.whole_file_bytes = static_cast<size_t>(max_document_mb_) << 20;
    options.summary = summary_;
    hunt::HuntResult result = hunt::Hunt(rules, inputs, options);
    result.problems.insert(result.problems.begin(), input_problems.begin(), input_problems.end());

    std::ofstream file;
    if (!output_.empty()) {
      file.open(output_);
      if (!file) {
        std::cerr << "bulwark hunt: cannot write " << output_ << "\n";
        return 1;
      }
    }
    std::ostream& out = output_.empty() ? std::cout : file;
    if (summary_) {
      if (format_ == "json" || format_ == "jsonl") {
        out << SummaryJson(result.summary).dump(format_ == "json" ? 2 : -1) << "\n";
      } else {
        WriteSummaryTable(out, result.summary);
      }
    } else {
      WriteAlerts(out, result);
    }
    WriteFooter(result, rules);
    bool problems = !result.problems.empty() || !rules.problems.empty();
    return strict_ && problems ? 1 : 0;
  }

 private:
  void WriteAlerts(std::ostream& out, const hunt::HuntResult& r) {
    if (format_ == "jsonl") {
      for (const auto& a : r.alerts) out << AlertLine(a) << '\n';
    } else if (format_ == "json") {
      json alerts = json::array();
      for (const auto& a : r.alerts) alerts.push_back(AlertJson(a));
      json stats = {{"events", r.stats.events},       {"bytes", r.stats.bytes},
                    {"files", r.stats.files},         {"seconds", r.stats.seconds},
                    {"malformed", r.stats.malformed}, {"alerts", r.alerts.size()}};
      out << json{{"alerts", alerts}, {"stats", stats}}.dump(2) << "\n";
    } else if (format_ == "csv") {
      out << "time,level,rule_id,title,principal,source_ip,region,event_count,group\r\n";
      for (const auto& a : r.alerts) {
        out << CsvField(IsoTime(a.time_ms)) << ',' << a.rule->level << ',' << CsvField(a.rule->id)
            << ',' << CsvField(a.rule->title) << ',' << CsvField(a.principal) << ','
            << CsvField(a.source_ip) << ',' << CsvField(a.region) << ',' << a.event_count << ','
            << CsvField(a.group) << "\r\n";
      }
    } else {
      for (const auto& a : r.alerts) {
        out << fmt::format("{:<20}  {:<8}  {}\n", IsoTime(a.time_ms), a.rule->level, a.rule->title);
        out << fmt::format(
            "    principal {}  source {}  region {}{}\n", a.principal.empty() ? "-" : a.principal,
            a.source_ip.empty() ? "-" : a.source_ip, a.region.empty() ? "-" : a.region,
            a.rule->correlation ? fmt::format("  ({} events until {}; {})", a.event_count,
                                              IsoTime(a.last_time_ms), a.group)
                                : "");
      }
    }
  }

  void WriteFooter(const hunt::HuntResult& r, const hunt::RuleSet& rules) {
    const auto& s = r.stats;
    double mb = s.bytes / 1e6;
    std::cerr << fmt::format(
        "hunt: {} events ({} CloudTrail, {} flow log records) from {} files, {:.1f} MB{} in "
        "{:.2f} s ({:.0f} MB/s); {} rules, {} alerts\n",
        s.events, s.cloudtrail_events, s.flow_records, s.files, mb,
        s.compressed_bytes ? fmt::format(" ({:.1f} MB gzipped)", s.compressed_bytes / 1e6) : "",
        s.seconds, s.seconds > 0 ? mb / s.seconds : 0.0, rules.rules.size(), r.alerts.size());
    std::map<std::string, size_t> by_rule;
    for (const auto& a : r.alerts) by_rule[a.rule->title]++;
    for (const auto& [title, n] : by_rule) std::cerr << fmt::format("  {:>6}  {}\n", n, title);
    if (!r.problems.empty()) {
      std::cerr << fmt::format("hunt: {} warnings ({} malformed records skipped or partly read)\n",
                               r.problems.size(), s.malformed);
      for (size_t i = 0; i < r.problems.size() && i < 5; ++i) {
        const auto& p = r.problems[i];
        std::cerr << fmt::format("  {} at byte {}: {}\n", p.file, p.offset, p.message);
      }
      if (r.problems.size() > 5)
        std::cerr << fmt::format("  ... and {} more\n", r.problems.size() - 5);
    }
  }

  CLI::App* sub_;
  std::vector<std::string> paths_;
  std::vector<std::string> rules_;
  std::string format_ = "table";
  std::string output_;
  bool summary_ = false;
  bool strict_ = false;
  int threads_ = 0;
  int max_document_mb_ = 256;
};

}  // namespace

std::unique_ptr<Command> MakeHuntCommand(CLI::App& app) {
  return std::make_unique<HuntCommand>(app);
}

}  // namespace bulwark::cli
