// Progress display for collection: a redrawn status line on a terminal, plain log lines
// otherwise (CI, pipes). Thread-safe; writes to the stream it is given (stderr).
#pragma once

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>

namespace bulwark::collect {

class Progress {
 public:
  Progress(std::ostream& out, bool interactive, bool quiet = false);
  void AddTasks(int n);
  void TaskDone(const std::string& label, bool failed);
  void Message(const std::string& line);  // a line that must be seen (e.g. an error)
  void Finish();

 private:
  void Redraw(const std::string& label);

  std::ostream& out_;
  bool interactive_;
  bool quiet_;
  std::mutex mu_;
  int total_ = 0;
  int done_ = 0;
  int failed_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace bulwark::collect
