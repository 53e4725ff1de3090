#include "scenarios/runner.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "core/integer.h"
#include "core/text.h"
#include "probes/wallets.h"
#include "scenarios/assertions.h"
#include "scenarios/poller.h"
#include "scenarios/variables.h"

namespace sonde {
namespace {

using Clock = std::chrono::steady_clock;

Variables InitialVariables(const Journey& journey, const TargetGroup& group,
                           const std::string& target_url) {
  Variables vars;
  vars.Set("target.url", target_url);
  vars.Set("target.group", group.name);
  vars.Set("journey.name", journey.name);
  for (const auto& [name, value] : journey.vars) vars.Set("vars." + name, value);
  return vars;
}

Outcome OutcomeFor(Reason failure) {
  return failure == Reason::kInternal || failure == Reason::kWallet ? Outcome::kInfraError
                                                                    : Outcome::kFailed;
}

std::string Took(Duration took, std::string_view threshold, Duration limit) {
  return "took " + FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(took)) +
         ", " + std::string(threshold) + " " + FormatDuration(limit);
}

// A variable's value as a number for divergence: any integer spelling
// ("0x1a" from eth_blockNumber) or a decimal fraction.
std::optional<double> DivergenceValue(const std::string& text) {
  if (std::optional<Int256> i = ParseInteger(text)) return i->convert_to<double>();
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Adds (name, value) to the run's evidence within its bounds: a value too
// long is cut (and says so), entries past the limit are dropped.
void AddEvidence(JourneyResult& result, std::string name, std::string value) {
  if (result.evidence.size() >= kMaxEvidence) return;
  if (value.size() > kMaxEvidenceValue) {
    value.resize(kMaxEvidenceValue - 3);
    value += "...";
  }
  result.evidence.emplace_back(std::move(name), std::move(value));
}

// What one attempt of a step produced, judged.
struct Attempt {
  ProbeResult response;
  Verdict verdict;
  Duration duration{};
};

}  // namespace

// One step with its retry policy. Only the last attempt's result is kept;
// the earlier ones are counted in `retries`. Variables are extracted only
// from an attempt that passed.
boost::asio::awaitable<void> JourneyRunner::RunStep(const Step& step, const TargetGroup& group,
                                                    const std::string& target_url,
                                                    Clock::time_point journey_deadline,
                                                    Variables& vars, const KeyLookup& keys,
                                                    StepResult& out) {
  const Template::Lookup lookup = vars.AsLookup();
  const Clock::time_point first_start = Clock::now();
  Clock::time_point retry_deadline = journey_deadline;
  if (step.retry.deadline)
    retry_deadline = std::min(retry_deadline, first_start + *step.retry.deadline);

  Attempt last;
  for (int attempt = 1;; ++attempt) {
    const Clock::time_point start = Clock::now();
    Clock::time_point deadline = journey_deadline;
    if (step.timeout) deadline = std::min(deadline, start + *step.timeout);
    if (start >= journey_deadline) {
      last.response = ProbeResult{};
      last.response.failure = Reason::kTimeout;
      last.response.detail = "the journey's timeout was spent before this step started";
      last.verdict = {last.response.failure, last.response.detail};
    } else if (step.poll) {
      PollResult polled = co_await PollUntil(env_, step, group, target_url, lookup, deadline);
      last.response = std::move(polled.response);
      last.verdict = std::move(polled.verdict);
      out.polls = polled.polls;
      out.blocks = polled.blocks;
    } else {
      ProbeRequest request{step, group, target_url, lookup, deadline, &keys};
      last.response = co_await ProberFor(step.action)(env_, request);
      last.verdict = {last.response.failure, last.response.detail};
    }
    last.duration = Clock::now() - start;
    LazyJson json(last.response.body);
    // A poll already judged its answers (expect and until).
    if (last.verdict.ok() && !step.poll) {
      last.verdict = CheckExpectations(step.expect, last.response, json, &lookup);
    }
    if (last.verdict.ok() && step.fail_after && last.duration > *step.fail_after) {
      last.verdict = {Reason::kSlow, Took(last.duration, "fail_after", *step.fail_after)};
    }
    if (last.verdict.ok()) last.verdict = ApplyExtractions(step.extract, json, vars);

    if (last.verdict.ok() || attempt >= step.retry.max_attempts ||
        !step.retry.RetriesOn(last.verdict.failure)) {
      break;
    }
    // Wait, unless the wait would leave no room for another attempt.
    const Duration wait = step.retry.DelayBefore(attempt + 1);
    if (Clock::now() + wait >= retry_deadline) break;
    ++out.retries;
    spdlog::debug("step={} target={} attempt {} failed ({}: {}); retrying in {}", step.name,
                  target_url, attempt, ToString(last.verdict.failure), last.verdict.detail,
                  FormatDuration(wait));
    if (wait.count() > 0) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
      timer.expires_after(wait);
      co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
  }

  out.duration = last.duration;
  out.status = last.response.status;
  out.phases = last.response.phases;
  out.has_phases = last.response.has_phases;
  out.rpc_error_code = last.response.rpc_error_code;
  out.participants = std::move(last.response.participants);
  out.wallet_balance = last.response.wallet_balance;
  out.evidence = std::move(last.response.evidence);
  if (const auto* w = std::get_if<WalletStep>(&step.action)) out.wallet_name = w->wallet;
  out.tls_version = std::move(last.response.tls_version);
  out.cert_not_after = last.response.cert_not_after;
  out.failure = last.verdict.failure;
  // A target chooses what this text says and how long it is: bounded here,
  // before the log, the store, the ring of recent runs and the API copy it.
  out.detail = Bounded(std::move(last.verdict.detail));
}

boost::asio::awaitable<JourneyResult> JourneyRunner::Run(const Journey& journey,
                                                         const TargetGroup& group,
                                                         const std::string& target_url) {
  JourneyResult result;
  result.journey = journey.name;
  result.target = target_url;
  result.started_at = std::chrono::system_clock::now();
  const Clock::time_point start = Clock::now();
  const Clock::time_point journey_deadline = start + journey.timeout;

  // Hold the ring this run started with, whatever a reload does meanwhile.
  const std::shared_ptr<const KeyRing> ring = keys_;
  const RunKeys run_keys(ring.get(), journey.ephemeral_keys);
  const KeyLookup keys{
      [&run_keys](std::string_view name) { return run_keys.Find(name); },
      [&run_keys](std::string_view name) { return run_keys.FindSecp256k1(name); }};
  Variables vars = InitialVariables(journey, group, target_url);
  for (auto& [name, value] : run_keys.PublicKeyVariables()) vars.Set(name, std::move(value));
  result.steps.reserve(journey.steps.size());
  std::string slow_step;  // the first step past its degraded_after

  for (const Step& step : journey.steps) {
    StepResult& sr = result.steps.emplace_back();
    sr.name = step.name;
    co_await RunStep(step, group, target_url, journey_deadline, vars, keys, sr);
    for (auto& [name, value] : sr.evidence) AddEvidence(result, name, value);
    if (sr.failure != Reason::kNone) {
      result.outcome = OutcomeFor(sr.failure);
      result.reason = sr.failure;
      result.failing_step = step.name;
      result.detail = sr.detail;
      break;
    }
    if (slow_step.empty() && step.degraded_after && sr.duration > *step.degraded_after) {
      slow_step = step.name;
      result.detail =
          "step " + step.name + " " + Took(sr.duration, "degraded after", *step.degraded_after);
    }
  }

  result.duration = Clock::now() - start;
  // The declared evidence first, in declared order, then what steps kept.
  std::vector<std::pair<std::string, std::string>> kept = std::move(result.evidence);
  result.evidence.clear();
  for (const std::string& name : journey.evidence) {
    if (const std::string* value = vars.Find(name)) AddEvidence(result, name, *value);
  }
  for (auto& [name, value] : kept) AddEvidence(result, std::move(name), std::move(value));
  if (result.outcome == Outcome::kSuccess && journey.divergence) {
    const std::string* text = vars.Find(journey.divergence->variable);
    std::optional<double> parsed = text ? DivergenceValue(*text) : std::nullopt;
    if (parsed) {
      const double value = *parsed;
      // Values older than two intervals belong to targets that stopped
      // answering; they are not a reference any more.
      if (auto why =
              divergence_.RecordAndCompare(journey.name, target_url, value,
                                           journey.divergence->tolerance, 2 * journey.interval)) {
        result.outcome = Outcome::kFailed;
        result.reason = Reason::kDivergence;
        result.detail = *why;
      }
    }
  }
  if (result.outcome == Outcome::kFailed && env_.wallets) {
    // Whether the network used the reserved nonce is unknown: ask it again.
    for (const Step& step : journey.steps) {
      if (const auto* w = std::get_if<WalletStep>(&step.action))
        env_.wallets->Invalidate(w->wallet);
    }
  }
  if (result.outcome == Outcome::kSuccess) {
    if (journey.fail_after && result.duration > *journey.fail_after) {
      result.outcome = Outcome::kFailed;
      result.reason = Reason::kSlow;
      result.detail = Took(result.duration, "fail_after", *journey.fail_after);
    } else if (!slow_step.empty()) {
      result.outcome = Outcome::kDegraded;
      result.reason = Reason::kSlow;
      result.failing_step = slow_step;
    } else if (journey.degraded_after && result.duration > *journey.degraded_after) {
      result.outcome = Outcome::kDegraded;
      result.reason = Reason::kSlow;
      result.detail = Took(result.duration, "degraded after", *journey.degraded_after);
    }
  }
  if (result.outcome != Outcome::kSuccess) {
    spdlog::info("journey={} target={} outcome={} reason={} step={} detail={}", result.journey,
                 result.target, ToString(result.outcome), ToString(result.reason),
                 result.failing_step, result.detail);
  }
  co_return result;
}

}  // namespace sonde
