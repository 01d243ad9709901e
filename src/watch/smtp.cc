#include "watch/smtp.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <ctime>
#include <random>

#include "aws/crypto.h"

namespace bulwark::watch {
namespace {

struct Reader {
  const std::string* data;
  size_t at = 0;
};

size_t ReadBody(char* out, size_t size, size_t n, void* arg) {
  auto* r = static_cast<Reader*>(arg);
  size_t len = std::min(size * n, r->data->size() - r->at);
  std::memcpy(out, r->data->data() + r->at, len);
  r->at += len;
  return len;
}

// Lines of a mail body end in CRLF, and a line of one "." would end the message early.
std::string CrLf(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (c == '\n') {
      out += "\r\n";
      line_start = true;
      continue;
    }
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = false;
  }
  return out;
}

// A header value kept on one line (no header injection from a finding's text).
std::string OneLine(std::string s) {
  for (auto& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

}  // namespace

std::string MailMessage(const SmtpSettings& s, const std::string& subject, const std::string& text,
                        const std::string& html) {
  std::random_device rd;
  std::string boundary = fmt::format("bulwark-{:08x}{:08x}", rd(), rd());
  char date[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string to;
  for (const auto& r : s.to) to += (to.empty() ? "" : ", ") + r;
  bool ascii = true;
  for (unsigned char c : subject) ascii = ascii && c < 0x80;
  std::string m = fmt::format(
      "Date: {}\nFrom: {}\nTo: {}\nSubject: {}\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"{}\"\n\n"
      "--{}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{}\n"
      "--{}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{}\n"
      "--{}--\n",
      date, OneLine(s.from), OneLine(to),
      ascii ? OneLine(subject) : "=?utf-8?B?" + aws::Base64Encode(OneLine(subject)) + "?=",
      boundary, boundary, text, boundary, html, boundary);
  return CrLf(m);
}

std::string SendMail(const SmtpSettings& s, const std::string& message) {
  CURL* curl = curl_easy_init();
  if (!curl) return "cannot start libcurl";
  std::string url = fmt::format("{}://{}:{}", s.tls ? "smtps" : "smtp", s.host, s.port);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, s.from.c_str());
  curl_slist* rcpt = nullptr;
  for (const auto& r : s.to) rcpt = curl_slist_append(rcpt, r.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  if (s.starttls && !s.tls)
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!s.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, s.password.c_str());
  }
  Reader reader{&message};
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return "";
  // libcurl's messages name the host and the SMTP reply, never the password.
  return fmt::format("SMTP to {}:{}: {}{}", s.host, s.port, curl_easy_strerror(rc),
                     code ? fmt::format(" (reply {})", code) : "");
}

}  // namespace bulwark::watch
