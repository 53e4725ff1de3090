#include "probes/sleep_probe.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeSleep(ProbeEnv&, const ProbeRequest& request) {
  const SleepStep& spec = std::get<SleepStep>(request.step.action);
  const auto wake = std::chrono::steady_clock::now() + spec.duration;
  const bool cut_short = wake > request.deadline;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_at(cut_short ? request.deadline : wake);
  auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  ProbeResult result;
  if (ec) {
    result.failure = Reason::kInternal;
    result.detail = "sleep interrupted: " + ec.message();
  } else if (cut_short) {
    result.failure = Reason::kTimeout;
    result.detail = "sleep of " + FormatDuration(spec.duration) + " outlasts the step's deadline";
  }
  co_return result;
}

}  // namespace sonde
