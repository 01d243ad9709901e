// Notifications of what changed between two watch cycles: the routes of a notify file
// (where each message goes, which changes it wants) and the messages themselves.
//
//   routes:
//     - name: secops-chat
//       webhook: env:SECOPS_HOOK         # Slack-compatible incoming webhook (Block Kit)
//       severity: [critical, high]       # optional filters; default: everything
//       changes: [new, regressed, resolved]
//       checks: ["s3_*"]                 # globs of check ids
//       accounts: ["123456789012"]
//       regions: ["us-east-1"]
//       digest: true                     # one message per cycle instead of one per change
//     - name: siem
//       json_webhook: file:/run/secrets/siem-url   # the documented JSON payload
//     - name: mail
//       smtp: {host: smtp.example.com, port: 587, starttls: true, from: bulwark@example.com,
//              to: [secops@example.com], username: bulwark, password: env:SMTP_PASSWORD}
//     - name: topic
//       sns: arn:aws:sns:us-east-1:123456789012:security-alerts  # Publish, the JSON payload
//
// A URL is given as is, as env:VAR or as file:PATH; since a webhook URL is its own secret,
// it is never printed or stored: messages and the outbox name the route. An SMTP password
// is only ever env:VAR or file:PATH.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "findings/history.h"
#include "util/status.h"
#include "watch/smtp.h"

namespace bulwark::watch {

// new: failing now, never failing before in the history; regressed: failing again after
// having been resolved; resolved: failing before, not now; alert: a hunt rule matched in
// the logs that arrived since the previous cycle (check_id is the rule id, severity its
// level, resource_id the principal or source address).
enum class Change { kNew, kRegressed, kResolved, kAlert };
const char* ToString(Change c);

struct ChangeEvent {
  Change change = Change::kNew;
  findings::DiffEntry entry;
  std::string title;            // the check's title
  std::string remediation_url;  // may be empty
};

struct Route {
  std::string name;
  int line = 0;  // where the route starts in the notify file
  enum class Kind { kSlack, kJson, kSmtp, kSns } kind = Kind::kSlack;
  std::string url;  // resolved; never printed
  SmtpSettings smtp;
  std::string topic_arn;  // kSns
  std::set<std::string> severities, changes;
  std::vector<std::string> checks, accounts, regions;  // globs; empty: every value
  bool digest = false;

  bool Wants(const ChangeEvent& e) const;
};

struct NotifyConfig {
  std::string file;
  std::vector<Route> routes;

  // Errors name the file and line: an unknown key, a missing or bad URL, an unknown
  // severity or change, two routes of one name.
  static Result<NotifyConfig> Load(const std::string& path);
  static Result<NotifyConfig> Parse(const std::string& yaml, const std::string& file);
  const Route* Find(const std::string& name) const;
};

// The message bodies for one route and the changes it wants (see Route::Wants): one per
// change, or one for them all with `digest`. `cycle_time` is when the cycle ran.
std::vector<std::string> Messages(const Route& route, const std::vector<ChangeEvent>& events,
                                  const std::string& cycle_time);

}  // namespace bulwark::watch
