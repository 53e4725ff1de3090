#include "scenarios/run_gate.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sonde {

// A parked coroutine: its timer expires at its deadline, or is cancelled by
// WakeNext once a place has been handed to it (`granted`).
struct RunGate::Waiter {
  explicit Waiter(boost::asio::any_io_executor ex) : timer(ex) {}
  boost::asio::steady_timer timer;
  bool granted = false;
};

RunGate::RunGate(boost::asio::any_io_executor executor, size_t capacity)
    : executor_(std::move(executor)), capacity_(std::max<size_t>(capacity, 1)) {}

RunGate::~RunGate() {
  for (auto& w : waiters_) w->timer.cancel();
}

boost::asio::awaitable<bool> RunGate::Acquire(std::chrono::steady_clock::time_point deadline) {
  if (active_ < capacity_ && waiters_.empty()) {
    ++active_;
    co_return true;
  }
  auto waiter = std::make_shared<Waiter>(executor_);
  waiter->timer.expires_at(deadline);
  waiters_.push_back(waiter);
  co_await waiter->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  if (waiter->granted) co_return true;  // WakeNext counted us in already
  std::erase(waiters_, waiter);
  co_return false;
}

void RunGate::Release() {
  if (active_ > 0) --active_;
  WakeNext();
}

void RunGate::set_capacity(size_t capacity) {
  capacity_ = std::max<size_t>(capacity, 1);
  WakeNext();
}

void RunGate::WakeNext() {
  while (active_ < capacity_ && !waiters_.empty()) {
    std::shared_ptr<Waiter> next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;
    ++active_;
    next->timer.cancel();
  }
}

}  // namespace sonde
