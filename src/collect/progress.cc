#include "collect/progress.h"

#include <fmt/format.h>

namespace bulwark::collect {

Progress::Progress(std::ostream& out, bool interactive, bool quiet)
    : out_(out),
      interactive_(interactive),
      quiet_(quiet),
      start_(std::chrono::steady_clock::now()) {}

void Progress::AddTasks(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  total_ += n;
}

void Progress::TaskDone(const std::string& label, bool failed) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (failed) ++failed_;
  if (quiet_) return;
  if (interactive_) {
    Redraw(label);
  } else {
    out_ << fmt::format("collect: [{}/{}] {}{}\n", done_, total_, label, failed ? " (error)" : "");
  }
}

void Progress::Message(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (interactive_ && !quiet_) out_ << "\r\033[K";
  out_ << line << "\n";
  if (interactive_ && !quiet_) Redraw("");
}

void Progress::Redraw(const std::string& label) {
  auto now = std::chrono::steady_clock::now();
  if (done_ != total_ && now - last_draw_ < std::chrono::milliseconds(80)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  int filled = total_ ? done_ * kWidth / total_ : 0;
  double secs = std::chrono::duration<double>(now - start_).count();
  out_ << fmt::format("\r\033[K[{}{}] {}/{} tasks  {} errors  {:.1f}s  {}",
                      std::string(filled, '#'), std::string(kWidth - filled, '.'), done_, total_,
                      failed_, secs, label.substr(0, 48))
       << std::flush;
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (interactive_ && !quiet_) out_ << "\n";
}

}  // namespace bulwark::collect
