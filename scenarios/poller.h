// Polling: repeat a step's request every `poll.every` until all of its
// `until` checks hold, within `poll.within` and/or `poll.within_blocks`
// (read through `poll.height`), and always within `deadline`.
//
// While polling, an answer that fails `expect` or `until` means "not yet".
// Running out of time or blocks is not_confirmed — unless no poll got an
// answer at all, in which case the transport failure (connect, timeout...)
// is the honest reason.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>

#include "config/model.h"
#include "probes/probe.h"
#include "scenarios/assertions.h"

namespace sonde {

struct PollResult {
  ProbeResult response;  // the last poll's
  Verdict verdict;       // ok when `until` held
  int polls = 0;
  std::optional<int64_t> blocks;  // heights advanced between start and success
};

boost::asio::awaitable<PollResult> PollUntil(ProbeEnv& env, const Step& step,
                                             const TargetGroup& group,
                                             const std::string& target_url,
                                             const Template::Lookup& vars,
                                             std::chrono::steady_clock::time_point deadline);

}  // namespace sonde
