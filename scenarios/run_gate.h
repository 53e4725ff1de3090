// A limit on runs in flight at once, for coroutines on one executor. A run
// that finds the gate full waits in line (first come, first served) until a
// place frees up or its deadline passes.
//
// Thread-safety: use from the executor's thread only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>

namespace sonde {

class RunGate {
 public:
  RunGate(boost::asio::any_io_executor executor, size_t capacity);
  ~RunGate();

  // True once a place is held (give it back with Release); false if the
  // deadline passed first.
  boost::asio::awaitable<bool> Acquire(std::chrono::steady_clock::time_point deadline);
  void Release();

  size_t active() const { return active_; }
  size_t waiting() const { return waiters_.size(); }
  void set_capacity(size_t capacity);  // takes effect as places free up

 private:
  struct Waiter;
  void WakeNext();

  boost::asio::any_io_executor executor_;
  size_t capacity_;
  size_t active_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace sonde
