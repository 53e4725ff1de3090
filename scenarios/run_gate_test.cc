#include "scenarios/run_gate.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <vector>

namespace sonde {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

asio::awaitable<void> Sleep(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(d);
  co_await t.async_wait(asio::use_awaitable);
}

TEST(RunGate, AdmitsUpToCapacityThenFirstComeFirstServed) {
  asio::io_context io;
  RunGate gate(io.get_executor(), 2);
  std::vector<std::string> order;
  auto run = [&](std::string name, std::chrono::milliseconds hold) -> asio::awaitable<void> {
    const bool in = co_await gate.Acquire(Clock::now() + 2s);
    EXPECT_TRUE(in) << name;
    order.push_back(name);
    co_await Sleep(hold);
    gate.Release();
  };
  for (auto [name, hold] : {std::pair{"a", 50ms}, {"b", 100ms}, {"c", 10ms}, {"d", 10ms}}) {
    asio::co_spawn(io, run(name, hold), asio::detached);
  }
  io.run_for(20ms);
  EXPECT_EQ(gate.active(), 2u);
  EXPECT_EQ(gate.waiting(), 2u);
  io.run();
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(gate.active(), 0u);
}

TEST(RunGate, GivesUpAtTheDeadline) {
  asio::io_context io;
  RunGate gate(io.get_executor(), 1);
  bool late = true;
  Clock::duration waited{};
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        EXPECT_TRUE(co_await gate.Acquire(Clock::now() + 1s));
        co_await Sleep(200ms);
        gate.Release();
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto start = Clock::now();
        late = co_await gate.Acquire(start + 50ms);
        waited = Clock::now() - start;
      },
      asio::detached);
  io.run();
  EXPECT_FALSE(late);
  EXPECT_GE(waited, 50ms);
  EXPECT_LT(waited, 200ms);  // not until the holder let go
  EXPECT_EQ(gate.waiting(), 0u);
  EXPECT_EQ(gate.active(), 0u);
}

}  // namespace
}  // namespace sonde
