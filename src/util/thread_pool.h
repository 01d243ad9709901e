// A fixed-size pool of worker threads running queued tasks. Owned by the command that
// runs it (no global pool); Wait() blocks until every queued task has finished.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bulwark {

class ThreadPool {
 public:
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Tasks may themselves Submit() further tasks.
  void Submit(std::function<void()> task);
  // Waits until every task has run; the first exception a task threw (the others are
  // dropped) is thrown here, on the waiting thread, instead of ending the process.
  void Wait();

 private:
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> workers_;
};

// A counting semaphore that limits how many calls run at once (e.g. per AWS service).
class Semaphore {
 public:
  explicit Semaphore(int permits) : permits_(permits) {}
  void Acquire();
  void Release();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int permits_;
};

}  // namespace bulwark
