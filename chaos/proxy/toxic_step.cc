#include "chaos/proxy/toxic_step.h"

#include <algorithm>
#include <type_traits>

namespace sonde::fault_proxy {

namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

bool Staged(const ToxicSlot& slot, const Chunk& c) {
  return c.staged_id == slot.entry->id && c.staged_version == slot.version;
}

void Stage(const ToxicSlot& slot, Chunk& c, Clock::time_point release) {
  c.staged_id = slot.entry->id;
  c.staged_version = slot.version;
  c.release = release;
}

Step Pass(const ToxicSlot& slot, Chunk& c) {
  c.next_id = slot.entry->id + 1;
  return {Step::kPass, {}};
}

// Cuts `c` after `head` bytes; the tail stays in front of `slot`.
void Split(const ToxicSlot& slot, Chunk& c, size_t head, std::optional<Chunk>* rest) {
  Chunk tail = c;
  tail.offset += head;
  tail.size -= head;
  tail.next_id = slot.entry->id;
  tail.staged_id = 0;
  tail.close_after = false;
  c.size = head;
  *rest = std::move(tail);
}

Step Latency(const LatencyToxic& t, ToxicSlot& slot, Chunk& c, Clock::time_point now,
             std::mt19937_64& rng) {
  if (!Staged(slot, c)) {
    int64_t delay_ms = t.latency_ms;
    if (t.jitter_ms > 0) {
      delay_ms += std::uniform_int_distribution<int64_t>(-t.jitter_ms, t.jitter_ms)(rng);
    }
    // Relative to when the chunk was read, so back-to-back chunks are not
    // delayed by each other's waits (Toxiproxy does the same).
    Stage(slot, c, c.time + milliseconds(std::max<int64_t>(delay_ms, 0)));
  }
  if (now < c.release) return {Step::kWait, c.release};
  c.time = c.release;
  return Pass(slot, c);
}

Step Bandwidth(const BandwidthToxic& t, ToxicSlot& slot, Chunk& c, Clock::time_point now,
               std::optional<Chunk>* rest) {
  if (t.rate_kb_per_s <= 0) return Pass(slot, c);
  if (!Staged(slot, c)) {
    // At most 100 ms worth of bytes at a time, as Toxiproxy, so a slow rate
    // trickles instead of stalling then bursting. rate KB/s = rate bytes/ms.
    const size_t max_piece = static_cast<size_t>(t.rate_kb_per_s) * 100;
    c.piece = std::min(c.size, max_piece);
    const auto cost = nanoseconds(static_cast<int64_t>(c.piece) * 1'000'000 / t.rate_kb_per_s);
    const auto start = std::max(now, slot.bandwidth_free);
    slot.bandwidth_free = start + cost;
    Stage(slot, c, slot.bandwidth_free);
  }
  if (now < c.release) return {Step::kWait, c.release};
  if (c.piece < c.size) Split(slot, c, c.piece, rest);
  return Pass(slot, c);
}

Step ResetPeer(const ResetPeerToxic& t, ToxicSlot& slot, Chunk& c, Clock::time_point now) {
  if (!Staged(slot, c)) Stage(slot, c, now + milliseconds(t.timeout_ms));
  if (now < c.release) return {Step::kWait, c.release};
  return {Step::kReset, {}};
}

Step Slicer(const SlicerToxic& t, ToxicSlot& slot, Chunk& c, Clock::time_point now,
            std::mt19937_64& rng, std::optional<Chunk>* rest) {
  if (Staged(slot, c) && now < c.release) return {Step::kWait, c.release};
  int64_t size = t.average_size;
  if (t.size_variation > 0) {
    size += std::uniform_int_distribution<int64_t>(-t.size_variation, t.size_variation)(rng);
  }
  const size_t head = static_cast<size_t>(std::max<int64_t>(size, 1));
  if (head >= c.size) return Pass(slot, c);
  Split(slot, c, head, rest);
  Stage(slot, **rest, now + microseconds(t.delay_us));
  return Pass(slot, c);
}

Step LimitData(const LimitDataToxic& t, ToxicSlot& slot, Chunk& c) {
  const int64_t left = t.bytes - slot.limit_sent;
  if (left <= 0) return {Step::kClose, {}};
  if (static_cast<int64_t>(c.size) > left) c.size = static_cast<size_t>(left);
  slot.limit_sent += static_cast<int64_t>(c.size);
  if (slot.limit_sent >= t.bytes) c.close_after = true;
  return Pass(slot, c);
}

}  // namespace

Step Advance(ToxicSlot& slot, Chunk& c, Clock::time_point now, std::mt19937_64& rng,
             std::optional<Chunk>* rest) {
  return std::visit(
      [&](const auto& t) -> Step {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, LatencyToxic>) {
          return Latency(t, slot, c, now, rng);
        } else if constexpr (std::is_same_v<T, BandwidthToxic>) {
          return Bandwidth(t, slot, c, now, rest);
        } else if constexpr (std::is_same_v<T, SlowCloseToxic>) {
          return Pass(slot, c);  // acts on the close only: see SlowCloseDelay
        } else if constexpr (std::is_same_v<T, TimeoutToxic>) {
          // Held, not dropped: when the toxic goes the data carries on. The
          // close after `timeout` is the pipe's timer (TimeoutDeadline).
          return {Step::kHold, {}};
        } else if constexpr (std::is_same_v<T, ResetPeerToxic>) {
          return ResetPeer(t, slot, c, now);
        } else if constexpr (std::is_same_v<T, SlicerToxic>) {
          return Slicer(t, slot, c, now, rng, rest);
        } else {
          static_assert(std::is_same_v<T, LimitDataToxic>);
          return LimitData(t, slot, c);
        }
      },
      slot.entry->toxic.kind);
}

Clock::duration SlowCloseDelay(const ToxicSlot& slot) {
  if (const auto* t = std::get_if<SlowCloseToxic>(&slot.entry->toxic.kind)) {
    return milliseconds(t->delay_ms);
  }
  return Clock::duration::zero();
}

std::optional<Clock::time_point> TimeoutDeadline(const ToxicSlot& slot) {
  if (const auto* t = std::get_if<TimeoutToxic>(&slot.entry->toxic.kind); t && t->timeout_ms > 0) {
    return slot.attached + milliseconds(t->timeout_ms);
  }
  return std::nullopt;
}

bool Draw(double toxicity, std::mt19937_64& rng) {
  if (toxicity >= 1.0) return true;
  if (toxicity <= 0.0) return false;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < toxicity;
}

}  // namespace sonde::fault_proxy
