// Toxics: the faults a fault proxy applies to the bytes of its connections,
// with the types, attributes and defaults of Toxiproxy 2.x, and their JSON
// form on the control API.
//
// A toxic acts on one stream of every connection: `upstream` (client to
// server) or `downstream` (server to client, the default). `toxicity` is the
// probability that the toxic applies to a given connection; it is drawn once
// per connection and toxic, when the toxic meets the connection (the
// connection opens, or the toxic is added or updated while it is open).
//
//   type        attributes (integers, all default 0)
//   latency     latency, jitter          ms; each chunk waits latency ± jitter
//   bandwidth   rate                     KB/s (1 KB = 1000 bytes); 0 = no limit
//   slow_close  delay                    ms between the source's FIN and ours
//   timeout     timeout                  ms, then the connection closes; data
//                                        is held meanwhile. 0 = hold until the
//                                        toxic goes (sonde's "blackhole")
//   reset_peer  timeout                  ms after the first chunk, reset (RST)
//   slicer      average_size, size_variation (bytes), delay (µs between slices)
//   limit_data  bytes                    close once this many bytes passed
//
// A Toxic is a value: parsed and validated once, then shared read-only by the
// connections it applies to. Parsing rejects unknown attributes and values of
// the wrong type or range, with a message naming the field.
//
// Thread-safety: values; no shared state.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "chaos/proxy/api_error.h"

namespace sonde::fault_proxy {

enum class Stream { kUpstream, kDownstream };
std::string_view ToString(Stream stream);

struct LatencyToxic {
  int64_t latency_ms = 0;
  int64_t jitter_ms = 0;
};
struct BandwidthToxic {
  int64_t rate_kb_per_s = 0;
};
struct SlowCloseToxic {
  int64_t delay_ms = 0;
};
struct TimeoutToxic {
  int64_t timeout_ms = 0;
};
struct ResetPeerToxic {
  int64_t timeout_ms = 0;
};
struct SlicerToxic {
  int64_t average_size = 0;
  int64_t size_variation = 0;
  int64_t delay_us = 0;
};
struct LimitDataToxic {
  int64_t bytes = 0;
};

using ToxicKind = std::variant<LatencyToxic, BandwidthToxic, SlowCloseToxic, TimeoutToxic,
                               ResetPeerToxic, SlicerToxic, LimitDataToxic>;

// "latency", "bandwidth", ...: the `type` field.
std::string_view TypeName(const ToxicKind& kind);

struct Toxic {
  std::string name;  // unique within its proxy; defaults to "<type>_<stream>"
  Stream stream = Stream::kDownstream;
  double toxicity = 1.0;  // 0..1
  ToxicKind kind;
};

// The body of POST /proxies/{proxy}/toxics: {"name", "type", "stream",
// "toxicity", "attributes"}. Missing fields take Toxiproxy's defaults. Other
// top-level fields are ignored, as Toxiproxy does; unknown attributes are not.
ApiError ParseNewToxic(const boost::json::value& body, Toxic* out);

// The body of POST/PATCH /proxies/{proxy}/toxics/{toxic}: attributes given
// replace those of `toxic`, the rest stay; so does toxicity when absent. On
// error `toxic` is left as it was.
ApiError ApplyToxicUpdate(const boost::json::value& body, Toxic* toxic);

// {"attributes": {...}, "name", "type", "stream", "toxicity"}.
boost::json::value ToJson(const Toxic& toxic);

}  // namespace sonde::fault_proxy
