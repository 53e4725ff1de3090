// What each toxic does to a chunk of a stream: pure functions of the chunk,
// the toxic's per-connection state and the time. The sockets, queues and
// timers that carry them out live in pipe.cc.
//
// A stream's toxics form a chain ordered by ToxicEntry::id (a toxic added
// later sits further down, as in Toxiproxy). A chunk remembers how far it
// got (Chunk::next_id), so toxics can come and go while it waits: when the
// toxic that holds it goes, it carries on with the next one, and nothing in
// flight is dropped.
//
// Thread-safety: values and pure functions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>

#include "chaos/proxy/toxic.h"

namespace sonde::fault_proxy {

using Clock = std::chrono::steady_clock;

// A toxic as a proxy holds it: immutable and shared by the proxy and every
// connection. An update makes a new entry with the same id.
struct ToxicEntry {
  uint64_t id = 0;  // from 1, increasing in the order toxics are added
  Toxic toxic;
};

// Bytes read from one side on their way to the other.
struct Chunk {
  std::shared_ptr<char[]> data;  // shared by the pieces a chunk is split into
  size_t offset = 0;
  size_t size = 0;
  Clock::time_point time;  // when read; a latency toxic moves it forward
  uint64_t next_id = 0;    // the chunk has passed every toxic with a smaller id
  // The toxic the chunk waits in (id and version), and until when.
  uint64_t staged_id = 0;
  uint64_t staged_version = 0;
  Clock::time_point release;
  size_t piece = 0;          // bandwidth: how many bytes go at `release`
  bool close_after = false;  // limit_data: close the connection once written
};

// One toxic on one stream of one connection, with its per-connection state.
struct ToxicSlot {
  std::shared_ptr<const ToxicEntry> entry;
  uint64_t version = 1;              // bumped by each update
  bool applies = true;               // the toxicity draw for this connection
  Clock::time_point attached;        // when the toxic met the connection or was last updated
  int64_t limit_sent = 0;            // limit_data: bytes let through so far
  Clock::time_point bandwidth_free;  // bandwidth: when the stream may send again
};

struct Step {
  enum Kind {
    kPass,   // the chunk passed this toxic (perhaps cut, or split: see Advance)
    kWait,   // try again at `until`, or sooner if the chain changes
    kHold,   // try again when the chain changes
    kClose,  // close the connection; the chunk is dropped
    kReset,  // reset the connection (RST); the chunk is dropped
  };
  Kind kind = kPass;
  Clock::time_point until{};
};

// Runs `chunk` through `slot`'s toxic at `now`. When the toxic splits the
// chunk (bandwidth, slicer), `chunk` keeps the head, which passes, and
// `*rest` gets the tail, which goes right behind it and still has this
// toxic ahead of it. Calling again after a wait is safe: a chunk's release
// time is computed once per toxic version.
Step Advance(ToxicSlot& slot, Chunk& chunk, Clock::time_point now, std::mt19937_64& rng,
             std::optional<Chunk>* rest);

// slow_close: how long this toxic holds back the FIN after the source's EOF.
Clock::duration SlowCloseDelay(const ToxicSlot& slot);

// timeout with timeout > 0: when this toxic closes the connection.
std::optional<Clock::time_point> TimeoutDeadline(const ToxicSlot& slot);

// The toxicity draw: true with probability `toxicity` (never for 0).
bool Draw(double toxicity, std::mt19937_64& rng);

}  // namespace sonde::fault_proxy
