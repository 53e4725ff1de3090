// OffLoop: runs a blocking function on a worker pool and resumes the calling
// coroutine on its own executor with the result, so the event loop goes on
// while the function blocks (a heal's reverts, reading a config and keys).
// `f` is moved to the worker; what it references must outlive the call.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace sonde {

template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> OffLoop(boost::asio::thread_pool& workers, F f) {
  using Result = std::invoke_result_t<F&>;
  // co_spawn keeps the function object alive in the spawned coroutine; the
  // completion (use_awaitable) resumes the caller on the caller's executor.
  // Everything is named before the co_await: GCC 12 destroys a temporary
  // of a co_await expression twice (a double free, seen here).
  auto task = [f = std::move(f)]() mutable -> boost::asio::awaitable<Result> { co_return f(); };
  auto spawned = boost::asio::co_spawn(workers, std::move(task), boost::asio::use_awaitable);
  Result result = co_await std::move(spawned);
  co_return result;
}

}  // namespace sonde
