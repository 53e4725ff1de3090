#include "reporter/run_record.h"

#include <boost/json.hpp>

#include "core/unix_time.h"
#include "reporter/run_evidence.h"

namespace sonde {
namespace {

boost::json::object StepJson(const StepResult& s) {
  boost::json::object o;
  o["name"] = s.name;
  o["us"] = ToMicros(s.duration);
  o["failure"] = s.failure == Reason::kNone ? boost::json::value() : boost::json::value(ToString(s.failure));
  if (!s.detail.empty()) o["detail"] = s.detail;
  if (s.status != 0) o["status"] = s.status;
  if (s.has_phases) {
    o["phases_us"] = {{"resolve", s.phases.resolve.count()},
                      {"connect", s.phases.connect.count()},
                      {"tls", s.phases.tls.count()},
                      {"processing", s.phases.processing.count()},
                      {"transfer", s.phases.transfer.count()}};
  }
  if (s.retries > 0) o["retries"] = s.retries;
  if (s.polls > 0) o["polls"] = s.polls;
  if (s.blocks) o["blocks"] = *s.blocks;
  if (s.rpc_error_code) o["rpc_error_code"] = *s.rpc_error_code;
  if (!s.participants.empty()) {
    boost::json::array participants;
    for (const ProbeResult::Participant& p : s.participants) {
      participants.push_back({{"id", p.id},
                              {"url", p.url},
                              {"us", ToMicros(p.elapsed)},
                              {"failure", p.failure}});
    }
    o["participants"] = std::move(participants);
  }
  if (s.wallet_balance) o["wallet_balance"] = *s.wallet_balance;
  if (!s.tls_version.empty()) o["tls_version"] = s.tls_version;
  if (s.cert_not_after) o["cert_not_after_us"] = UnixMicros(*s.cert_not_after);
  return o;
}

}  // namespace

RunRecord ToRunRecord(const JourneyResult& r, const std::string& location) {
  RunRecord out;
  out.journey = r.journey;
  out.target = r.target;
  out.location = location;
  out.started_us = UnixMicros(r.started_at);
  out.duration_us = ToMicros(r.duration);
  out.finished_us = out.started_us + out.duration_us;
  out.outcome = r.outcome;
  out.reason = r.reason;
  out.failing_step = r.failing_step;
  out.detail = r.detail;
  out.maintenance = r.maintenance;
  boost::json::array steps;
  for (const StepResult& s : r.steps) {
    steps.push_back(StepJson(s));
    // The confirmation wait of a polling step: the journey's blocks-to-confirm.
    if (s.blocks && !out.blocks) out.blocks = *s.blocks;
  }
  out.steps_json = boost::json::serialize(steps);
  // The runner bounds it too; the store does not take its word for it.
  out.evidence = BoundEvidence(r.evidence);
  return out;
}

}  // namespace sonde
