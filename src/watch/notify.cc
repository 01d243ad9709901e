#include "watch/notify.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "findings/finding.h"
#include "util/strings.h"

namespace bulwark::watch {
namespace {

using nlohmann::json;

std::string At(const std::string& file, const YAML::Node& n) {
  return fmt::format("{}:{}", file, n.Mark().line + 1);
}

bool Glob(const std::vector<std::string>& patterns, const std::string& value) {
  if (patterns.empty()) return true;
  for (const auto& p : patterns) {
    if (fnmatch(p.c_str(), value.c_str(), 0) == 0) return true;
  }
  return false;
}

// A value given as env:VAR or as file:PATH (the file's first line); nullopt when `spec` is
// neither, i.e. the value is written inline.
Result<std::optional<std::string>> Indirect(const std::string& spec, const std::string& where) {
  if (StartsWith(spec, "env:")) {
    const char* v = std::getenv(spec.substr(4).c_str());
    if (!v || !*v) return Status::InvalidArgument(fmt::format("{}: {} is not set", where, spec));
    return std::optional<std::string>(v);
  }
  if (StartsWith(spec, "file:")) {
    std::string value;
    std::ifstream in(spec.substr(5));
    if (!in || !std::getline(in, value))
      return Status::InvalidArgument(fmt::format("{}: cannot read {}", where, spec.substr(5)));
    return std::optional<std::string>(Trim(value));
  }
  return std::optional<std::string>();
}

// A URL as written, or from env:VAR or file:PATH.
Result<std::string> ResolveUrl(const std::string& spec, const std::string& where) {
  auto given = Indirect(spec, where);
  if (!given.ok()) return given.status();
  std::string url = given->value_or(spec);
  // The URL itself is never quoted back: it may be the secret.
  if (!StartsWith(url, "http://") && !StartsWith(url, "https://"))
    return Status::InvalidArgument(
        fmt::format("{}: the webhook is not an http:// or https:// URL", where));
  return url;
}

std::vector<std::string> Strings(const YAML::Node& n, const std::string& where) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
  } else if (n.IsSequence()) {
    for (const auto& v : n) out.push_back(v.as<std::string>());
  } else {
    throw std::invalid_argument(where + ": expected a value or a list");
  }
  return out;
}

json ChangeJson(const ChangeEvent& e) {
  const auto& d = e.entry;
  return {{"change", ToString(e.change)},
          {"check_id", d.check_id},
          {"title", e.title},
          {"severity", d.severity},
          {"account_id", d.account_id},
          {"region", d.region},
          {"resource_id", d.resource_id},
          {"status", d.status},
          {"message", d.message},
          {"first_seen", d.first_seen},
          {"remediation_url", e.remediation_url}};
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Slack's mrkdwn treats <, > and & as markup.
std::string Mrkdwn(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Headline(const ChangeEvent& e) {
  return fmt::format("{} {}: {}", Upper(ToString(e.change)), e.entry.severity, e.title);
}

json SlackBlocks(const ChangeEvent& e) {
  const auto& d = e.entry;
  json blocks = json::array();
  blocks.push_back({{"type", "header"},
                    {"text", {{"type", "plain_text"}, {"text", Headline(e).substr(0, 150)}}}});
  blocks.push_back({{"type", "section"},
                    {"fields",
                     {{{"type", "mrkdwn"}, {"text", "*Severity*\n" + d.severity}},
                      {{"type", "mrkdwn"},
                       {"text", "*Account / region*\n" + Mrkdwn(d.account_id + " / " + d.region)}},
                      {{"type", "mrkdwn"}, {"text", "*Resource*\n" + Mrkdwn(d.resource_id)}},
                      {{"type", "mrkdwn"}, {"text", "*Check*\n`" + d.check_id + "`"}}}}});
  blocks.push_back(
      {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", Mrkdwn(d.message)}}}});
  if (!e.remediation_url.empty()) {
    blocks.push_back(
        {{"type", "context"},
         {"elements",
          {{{"type", "mrkdwn"}, {"text", "<" + e.remediation_url + "|Remediation>"}}}}});
  }
  return blocks;
}

// A secret from env:VAR or file:PATH; never written inline.
Result<std::string> ResolveSecret(const std::string& spec, const std::string& where) {
  auto given = Indirect(spec, where);
  if (!given.ok()) return given.status();
  if (!*given)
    return Status::InvalidArgument(
        fmt::format("{}: a password is given as env:VARIABLE or file:PATH, not inline", where));
  return **given;
}

Result<SmtpSettings> ParseSmtp(const YAML::Node& n, const std::string& file,
                               const std::string& where) {
  if (!n.IsMap()) return Status::Parse(where + ": smtp is a map (host, port, from, to, ...)");
  SmtpSettings s;
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    const std::string at = At(file, kv.first);
    if (key == "host") {
      s.host = kv.second.as<std::string>();
    } else if (key == "port") {
      s.port = kv.second.as<int>();
      if (s.port < 1 || s.port > 65535) return Status::Parse(at + ": port out of range");
    } else if (key == "starttls") {
      s.starttls = kv.second.as<bool>();
    } else if (key == "tls") {
      s.tls = kv.second.as<bool>();
    } else if (key == "from") {
      s.from = kv.second.as<std::string>();
    } else if (key == "to") {
      s.to = Strings(kv.second, at);
    } else if (key == "username") {
      s.username = kv.second.as<std::string>();
    } else if (key == "password") {
      auto p = ResolveSecret(kv.second.as<std::string>(), at);
      if (!p.ok()) return p.status();
      s.password = *p;
    } else {
      return Status::Parse(fmt::format(
          "{}: unknown smtp key '{}' (known: host, port, starttls, tls, from, to, username, "
          "password)",
          at, key));
    }
  }
  if (s.host.empty() || s.from.empty() || s.to.empty())
    return Status::Parse(where + ": smtp needs host, from and to");
  for (const auto& a : s.to) {
    if (a.find('@') == std::string::npos)
      return Status::Parse(fmt::format("{}: '{}' is not a mail address", where, a));
  }
  return s;
}

// The mail about `group`: subject, plain text and HTML.
std::string MailFor(const Route& route, const std::vector<const ChangeEvent*>& group,
                    const std::string& cycle_time) {
  std::string subject =
      group.size() == 1
          ? fmt::format("[bulwark] {} ({})", Headline(*group[0]), group[0]->entry.resource_id)
          : fmt::format("[bulwark] {} changes at {}", group.size(), cycle_time);
  std::string text, html = "<html><body>";
  for (const auto* e : group) {
    const auto& d = e->entry;
    text += fmt::format("{}\n  account {} region {}\n  resource {}\n  check {}\n  {}\n{}\n",
                        Headline(*e), d.account_id, d.region, d.resource_id, d.check_id, d.message,
                        e->remediation_url.empty() ? "" : "  remediation: " + e->remediation_url);
    html += fmt::format(
        "<h3>{}</h3><table><tr><td>Account / region</td><td>{} / {}</td></tr>"
        "<tr><td>Resource</td><td>{}</td></tr><tr><td>Check</td><td><code>{}</code></td></tr>"
        "</table><p>{}</p>{}",
        EscapeMarkup(Headline(*e)), EscapeMarkup(d.account_id), EscapeMarkup(d.region),
        EscapeMarkup(d.resource_id), EscapeMarkup(d.check_id), EscapeMarkup(d.message),
        e->remediation_url.empty()
            ? ""
            : "<p><a href=\"" + EscapeMarkup(e->remediation_url) + "\">Remediation</a></p>");
  }
  html += "</body></html>";
  return MailMessage(route.smtp, subject, text, html);
}

}  // namespace

const char* ToString(Change c) {
  switch (c) {
    case Change::kNew:
      return "new";
    case Change::kRegressed:
      return "regressed";
    case Change::kResolved:
      return "resolved";
    case Change::kAlert:
      return "alert";
  }
  return "new";
}

bool Route::Wants(const ChangeEvent& e) const {
  if (!severities.empty() && !severities.count(e.entry.severity)) return false;
  if (!changes.empty() && !changes.count(ToString(e.change))) return false;
  return Glob(checks, e.entry.check_id) && Glob(accounts, e.entry.account_id) &&
         Glob(regions, e.entry.region);
}

Result<NotifyConfig> NotifyConfig::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read notify file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<NotifyConfig> NotifyConfig::Parse(const std::string& yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::Parse(fmt::format("{}:{}: not valid YAML: {}", file, e.mark.line + 1, e.msg));
  }
  NotifyConfig config;
  config.file = file;
  try {
    if (!root.IsMap() || !root["routes"] || !root["routes"].IsSequence())
      return Status::Parse(file + ": expected 'routes:', a list of routes");
    for (const auto& kv : root) {
      if (kv.first.as<std::string>() != "routes")
        return Status::Parse(fmt::format("{}: unknown key '{}' (known: routes)", At(file, kv.first),
                                         kv.first.as<std::string>()));
    }
    for (const auto& r : root["routes"]) {
      const std::string where = At(file, r);
      if (!r.IsMap()) return Status::Parse(where + ": a route is a map");
      Route route;
      route.line = r.Mark().line + 1;
      int targets = 0;
      for (const auto& kv : r) {
        const std::string key = kv.first.as<std::string>();
        const std::string at = At(file, kv.first);
        if (key == "name") {
          route.name = kv.second.as<std::string>();
        } else if (key == "webhook" || key == "json_webhook") {
          route.kind = key == "webhook" ? Route::Kind::kSlack : Route::Kind::kJson;
          auto url = ResolveUrl(kv.second.as<std::string>(), at);
          if (!url.ok()) return url.status();
          route.url = *url;
          ++targets;
        } else if (key == "smtp") {
          route.kind = Route::Kind::kSmtp;
          auto smtp = ParseSmtp(kv.second, file, at);
          if (!smtp.ok()) return smtp.status();
          route.smtp = std::move(*smtp);
          ++targets;
        } else if (key == "sns") {
          route.kind = Route::Kind::kSns;
          route.topic_arn = kv.second.as<std::string>();
          std::vector<std::string> parts = Split(route.topic_arn, ':');
          if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sns" || parts[3].empty() ||
              parts[5].empty())
            return Status::Parse(
                fmt::format("{}: '{}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
                            at, route.topic_arn));
          ++targets;
        } else if (key == "severity") {
          for (const auto& s : Strings(kv.second, at)) {
            findings::Severity sev;
            if (!findings::ParseSeverity(s, &sev))
              return Status::Parse(fmt::format(
                  "{}: unknown severity '{}' (critical, high, medium, low, informational)", at, s));
            route.severities.insert(findings::ToString(sev));
          }
        } else if (key == "changes") {
          for (const auto& c : Strings(kv.second, at)) {
            if (c != "new" && c != "regressed" && c != "resolved" && c != "alert")
              return Status::Parse(
                  fmt::format("{}: unknown change '{}' (new, regressed, resolved, alert)", at, c));
            route.changes.insert(c);
          }
        } else if (key == "checks") {
          route.checks = Strings(kv.second, at);
        } else if (key == "accounts") {
          route.accounts = Strings(kv.second, at);
        } else if (key == "regions") {
          route.regions = Strings(kv.second, at);
        } else if (key == "digest") {
          route.digest = kv.second.as<bool>();
        } else {
          return Status::Parse(
              fmt::format("{}: unknown key '{}' (known: name, webhook, json_webhook, smtp, sns, "
                          "severity, changes, checks, accounts, regions, digest)",
                          at, key));
        }
      }
      if (route.name.empty()) return Status::Parse(where + ": a route needs a name");
      if (targets != 1)
        return Status::Parse(fmt::format(
            "{}: route '{}' needs one of webhook, json_webhook, smtp or sns", where, route.name));
      if (config.Find(route.name))
        return Status::Parse(fmt::format("{}: a second route named '{}'", where, route.name));
      config.routes.push_back(std::move(route));
    }
  } catch (const YAML::Exception& e) {
    return Status::Parse(fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg));
  } catch (const std::invalid_argument& e) {
    return Status::Parse(e.what());
  }
  return config;
}

const Route* NotifyConfig::Find(const std::string& name) const {
  for (const auto& r : routes) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::vector<std::string> Messages(const Route& route, const std::vector<ChangeEvent>& events,
                                  const std::string& cycle_time) {
  std::vector<std::string> out;
  if (events.empty()) return out;
  auto json_body = [&](const std::vector<const ChangeEvent*>& group) {
    json changes = json::array();
    for (const auto* e : group) changes.push_back(ChangeJson(*e));
    return json{{"source", "bulwark"}, {"cycle_time", cycle_time}, {"changes", changes}}.dump();
  };
  auto slack_body = [&](const std::vector<const ChangeEvent*>& group) {
    if (group.size() == 1) {
      return json{{"text", Headline(*group[0])}, {"blocks", SlackBlocks(*group[0])}}.dump();
    }
    // Slack takes at most 50 blocks: the first changes in full, then a count.
    json blocks = json::array();
    std::string text = fmt::format("bulwark: {} changes at {}", group.size(), cycle_time);
    blocks.push_back({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", text}}}});
    size_t shown = 0;
    for (const auto* e : group) {
      json b = SlackBlocks(*e);
      if (blocks.size() + b.size() + 2 > 50) break;
      for (auto& x : b) blocks.push_back(std::move(x));
      blocks.push_back({{"type", "divider"}});
      ++shown;
    }
    if (shown < group.size()) {
      blocks.push_back(
          {{"type", "section"},
           {"text",
            {{"type", "mrkdwn"}, {"text", fmt::format("… and {} more", group.size() - shown)}}}});
    }
    return json{{"text", text}, {"blocks", blocks}}.dump();
  };
  auto body = [&](const std::vector<const ChangeEvent*>& group) {
    switch (route.kind) {
      case Route::Kind::kSlack:
        return slack_body(group);
      case Route::Kind::kJson:
      case Route::Kind::kSns:
        return json_body(group);
      case Route::Kind::kSmtp:
        break;
    }
    return MailFor(route, group, cycle_time);
  };
  std::vector<const ChangeEvent*> all;
  for (const auto& e : events) all.push_back(&e);
  if (route.digest) {
    out.push_back(body(all));
  } else {
    for (const auto* e : all) out.push_back(body({e}));
  }
  return out;
}

}  // namespace bulwark::watch
