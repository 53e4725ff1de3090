#include "scenarios/runner.h"

#include <spdlog/spdlog.h>

#include "scenarios/assertions.h"
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
  return failure == Reason::kInternal ? Outcome::kInfraError : Outcome::kFailed;
}

}  // namespace

boost::asio::awaitable<JourneyResult> JourneyRunner::Run(const Journey& journey,
                                                         const TargetGroup& group,
                                                         const std::string& target_url) {
  JourneyResult result;
  result.journey = journey.name;
  result.target = target_url;
  result.started_at = std::chrono::system_clock::now();
  const Clock::time_point start = Clock::now();
  const Clock::time_point journey_deadline = start + journey.timeout;

  Variables vars = InitialVariables(journey, group, target_url);
  const Template::Lookup lookup = vars.AsLookup();
  result.steps.reserve(journey.steps.size());

  for (const Step& step : journey.steps) {
    const Clock::time_point step_start = Clock::now();
    Clock::time_point deadline = journey_deadline;
    if (step.timeout) deadline = std::min(deadline, step_start + *step.timeout);

    StepResult& sr = result.steps.emplace_back();
    sr.name = step.name;
    ProbeResult response;
    if (step_start >= journey_deadline) {
      response.failure = Reason::kTimeout;
      response.detail = "journey timeout (" + FormatDuration(journey.timeout) +
                        ") spent before this step started";
    } else {
      ProbeRequest request{step, group, target_url, lookup, deadline};
      response = co_await ProberFor(step.action)(env_, request);
    }
    sr.duration = Clock::now() - step_start;
    sr.status = response.status;
    sr.phases = response.phases;
    sr.has_phases = response.has_phases;

    Verdict verdict{response.failure, std::move(response.detail)};
    if (verdict.ok()) {
      LazyJson json(response.body);
      verdict = CheckExpectations(step.expect, response, json);
      if (verdict.ok()) verdict = ApplyExtractions(step.extract, json, vars);
    }
    if (!verdict.ok()) {
      sr.failure = verdict.failure;
      sr.detail = verdict.detail;
      result.outcome = OutcomeFor(verdict.failure);
      result.reason = verdict.failure;
      result.failing_step = step.name;
      result.detail = std::move(verdict.detail);
      break;
    }
  }

  result.duration = Clock::now() - start;
  if (result.outcome == Outcome::kSuccess && journey.degraded_after &&
      result.duration > *journey.degraded_after) {
    result.outcome = Outcome::kDegraded;
    result.reason = Reason::kSlow;
    result.detail =
        "took " +
        FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(result.duration)) +
        ", degraded after " + FormatDuration(*journey.degraded_after);
  }
  if (result.outcome != Outcome::kSuccess) {
    spdlog::info("journey={} target={} outcome={} reason={} step={} detail={}", result.journey,
                 result.target, ToString(result.outcome), ToString(result.reason),
                 result.failing_step, result.detail);
  }
  co_return result;
}

}  // namespace sonde
