// The pool: a task that throws does not end the process; Wait() hands the exception to the
// thread that waits, after every other task has run.
#include "util/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <stdexcept>

namespace bulwark {
namespace {

TEST(ThreadPool, ATaskThatThrowsReachesWaitAfterTheOthersRan) {
  ThreadPool pool(2);
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) {
    pool.Submit([&ran, i] {
      if (i == 7) throw std::bad_alloc();
      if (i == 8) throw std::runtime_error("second");
      ++ran;
    });
  }
  EXPECT_ANY_THROW(pool.Wait());
  EXPECT_EQ(ran.load(), 98);
  // Reported once: the pool is usable again.
  pool.Submit([&ran] { ++ran; });
  EXPECT_NO_THROW(pool.Wait());
  EXPECT_EQ(ran.load(), 99);
}

}  // namespace
}  // namespace bulwark
