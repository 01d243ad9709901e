// Mail over SMTP with libcurl: plain, STARTTLS (required) or implicit TLS (smtps), with AUTH
// when a username is given. The message is a complete RFC 5322 message (see MailMessage).
#pragma once

#include <string>
#include <vector>

namespace bulwark::watch {

struct SmtpSettings {
  std::string host;
  int port = 25;
  bool starttls = true;  // STARTTLS required before anything is sent
  bool tls = false;      // implicit TLS (smtps://, usually port 465)
  std::string from;
  std::vector<std::string> to;
  std::string username;  // empty: no AUTH
  std::string password;  // resolved from env:/file:, never printed
};

// A multipart/alternative message with a plain-text and an HTML part.
std::string MailMessage(const SmtpSettings& s, const std::string& subject, const std::string& text,
                        const std::string& html);

// Sends `message`; returns "" when the server accepted it, else what went wrong (never a
// password).
std::string SendMail(const SmtpSettings& s, const std::string& message);

}  // namespace bulwark::watch
