#include "config/policy_parser.h"

namespace sonde {
namespace {

constexpr int kMaxAttempts = 100;

std::optional<RetryPolicy::Policy> PolicyNamed(const std::string& name) {
  if (name == "none") return RetryPolicy::Policy::kNone;
  if (name == "fixed") return RetryPolicy::Policy::kFixed;
  if (name == "exponential") return RetryPolicy::Policy::kExponential;
  return std::nullopt;
}

void ParseReasons(TableReader& r, RetryPolicy& retry) {
  const toml::array* on = r.Array("on");
  if (!on) return;
  if (on->empty()) r.Error(Where(*on), "\"on\" must not be empty (omit \"retry\" not to retry)");
  std::vector<Reason> reasons;
  for (size_t i = 0; i < on->size(); ++i) {
    const toml::node& node = *on->get(i);
    const std::string field = "on[" + std::to_string(i + 1) + "]";
    const auto* name = node.as_string();
    if (!name) {
      r.WrongType(node, field, "a string (a failure reason)");
      continue;
    }
    std::optional<Reason> reason = ReasonFromString(name->get());
    if (!reason || *reason == Reason::kNone) {
      r.Error(Where(node), "unknown failure reason \"" + name->get() +
                               "\" (use dns, connect, tls, timeout, http_status, rpc_error, "
                               "assertion, invalid_response, not_confirmed, slow, ...)");
      continue;
    }
    reasons.push_back(*reason);
  }
  if (!reasons.empty()) retry.on = std::move(reasons);
}

}  // namespace

RetryPolicy ParseRetry(ParseContext& ctx, const toml::table& table, const std::string& path) {
  TableReader r(ctx, table, path, path,
                {"policy", "attempts", "delay", "max_delay", "deadline", "on"});
  RetryPolicy retry;
  bool known = false;  // with an unknown policy, don't second-guess the rest
  if (std::optional<std::string> name = r.String("policy", /*required=*/true)) {
    if (auto policy = PolicyNamed(*name)) {
      retry.policy = *policy;
      known = true;
    } else {
      r.Error(Where(*table.get("policy")),
              "unknown retry policy \"" + *name + "\" (use none, fixed or exponential)");
    }
  }
  const bool retries = retry.policy != RetryPolicy::Policy::kNone || !known;
  if (std::optional<int64_t> attempts = r.Integer("attempts", /*required=*/retries)) {
    if (*attempts < 1 || *attempts > kMaxAttempts) {
      r.Error(Where(*table.get("attempts")), "\"attempts\" must be 1.." +
                                                 std::to_string(kMaxAttempts) + ", got " +
                                                 std::to_string(*attempts));
    } else if (known && !retries && *attempts > 1) {
      r.Error(Where(*table.get("attempts")),
              "policy \"none\" makes one attempt; use \"fixed\" or \"exponential\" to retry");
    } else {
      retry.max_attempts = static_cast<int>(*attempts);
    }
  }
  if (std::optional<Duration> delay = r.ReadDuration("delay", /*required=*/retries)) {
    retry.delay = *delay;
  }
  if (std::optional<Duration> max_delay = r.ReadDuration("max_delay")) {
    if (known && retry.policy != RetryPolicy::Policy::kExponential) {
      r.Error(Where(*table.get("max_delay")),
              "\"max_delay\" only applies to policy \"exponential\"");
    } else if (*max_delay < retry.delay) {
      r.Error(Where(*table.get("max_delay")), "\"max_delay\" (" + FormatDuration(*max_delay) +
                                                  ") is shorter than \"delay\" (" +
                                                  FormatDuration(retry.delay) + ")");
    }
    retry.max_delay = *max_delay;
  }
  retry.deadline = r.ReadDuration("deadline");
  ParseReasons(r, retry);
  return retry;
}

Thresholds ParseThresholds(TableReader& r, std::optional<Duration> timeout) {
  Thresholds t;
  t.degraded_after = r.ReadDuration("degraded_after");
  t.fail_after = r.ReadDuration("fail_after");
  auto at = [&](std::string_view key) { return Where(*r.table().get(key)); };
  // A threshold at or past the timeout could never fire; "degraded" past
  // "failed" could never be seen.
  if (timeout && t.degraded_after && *t.degraded_after >= *timeout) {
    r.Error(at("degraded_after"), "\"degraded_after\" (" + FormatDuration(*t.degraded_after) +
                                      ") must be shorter than \"timeout\" (" +
                                      FormatDuration(*timeout) + ")");
  }
  if (timeout && t.fail_after && *t.fail_after >= *timeout) {
    r.Error(at("fail_after"), "\"fail_after\" (" + FormatDuration(*t.fail_after) +
                                  ") must be shorter than \"timeout\" (" +
                                  FormatDuration(*timeout) + ")");
  }
  if (t.degraded_after && t.fail_after && *t.degraded_after >= *t.fail_after) {
    r.Error(at("degraded_after"), "\"degraded_after\" (" + FormatDuration(*t.degraded_after) +
                                      ") must be shorter than \"fail_after\" (" +
                                      FormatDuration(*t.fail_after) + ")");
  }
  return t;
}

}  // namespace sonde
