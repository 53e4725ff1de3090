#include "chaos/proxy/pipe.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "chaos/proxy/link.h"

namespace sonde::fault_proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNever = Clock::time_point::max();

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

}  // namespace

Pipe::Pipe(Link& link, StreamSocket& from, StreamSocket& to, Stream stream)
    : link_(link),
      from_(from),
      to_(to),
      stream_(stream),
      buffer_(new char[kBufferSize]),
      writer_wake_(from.get_executor()),
      reader_wake_(from.get_executor()),
      timeout_(from.get_executor()) {}

// --- the chain ---------------------------------------------------------------

void Pipe::Attach(std::shared_ptr<const ToxicEntry> entry) {
  ToxicSlot slot;
  slot.applies = Draw(entry->toxic.toxicity, Rng());
  slot.attached = Clock::now();
  slot.entry = std::move(entry);
  auto at = std::upper_bound(slots_.begin(), slots_.end(), slot.entry->id,
                             [](uint64_t id, const ToxicSlot& s) { return id < s.entry->id; });
  slots_.insert(at, std::move(slot));
  ChainChanged();
}

void Pipe::Update(std::shared_ptr<const ToxicEntry> entry) {
  for (auto& slot : slots_) {
    if (slot.entry->id != entry->id) continue;
    slot.entry = std::move(entry);
    ++slot.version;  // chunks waiting in it recompute their release
    slot.applies = Draw(slot.entry->toxic.toxicity, Rng());
    slot.attached = Clock::now();
    slot.bandwidth_free = {};
    break;
  }
  ChainChanged();
}

void Pipe::Detach(uint64_t id) {
  std::erase_if(slots_, [id](const ToxicSlot& s) { return s.entry->id == id; });
  ChainChanged();
}

void Pipe::ChainChanged() {
  applicable_ = static_cast<size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const ToxicSlot& s) { return s.applies; }));
  writer_wake_.cancel();  // whatever the writer waits for may have changed
  ArmTimeout();
}

ToxicSlot* Pipe::NextSlot(uint64_t from_id) {
  for (auto& slot : slots_) {
    if (slot.entry->id >= from_id && slot.applies) return &slot;
  }
  return nullptr;
}

Clock::duration Pipe::SlowClose() const {
  Clock::duration total{0};  // chained slow_close toxics add up, as in Toxiproxy
  for (const auto& slot : slots_) {
    if (slot.applies) total += SlowCloseDelay(slot);
  }
  return total;
}

// The earliest close a timeout toxic asks for. The handler re-checks the
// deadline: a wait that completed just before a re-arm still runs.
void Pipe::ArmTimeout() {
  std::optional<Clock::time_point> due;
  for (const auto& slot : slots_) {
    if (!slot.applies) continue;
    if (auto d = TimeoutDeadline(slot); d && (!due || *d < *due)) due = d;
  }
  if (!due || link_.closed()) {
    timeout_.cancel();
    return;
  }
  timeout_.expires_at(*due);
  timeout_.async_wait([weak = link_.weak_from_this(), this](boost::system::error_code ec) {
    if (ec) return;
    auto link = weak.lock();
    if (!link || link->closed()) return;
    for (const auto& slot : slots_) {
      if (auto d = TimeoutDeadline(slot); slot.applies && d && *d <= Clock::now()) {
        link->Close();
        return;
      }
    }
  });
}

void Pipe::Wake() {
  writer_wake_.cancel();
  reader_wake_.cancel();
  timeout_.cancel();
}

// --- reading -----------------------------------------------------------------

asio::awaitable<void> Pipe::Run(std::shared_ptr<Link> self) {
  for (;;) {
    if (link_.closed()) co_return;
    if (toxic_mode_ && queued_bytes_ >= kMaxQueuedBytes) {
      // Backpressure: stop reading until the writer has made room.
      reader_wake_.expires_at(kNever);
      co_await reader_wake_.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto [ec, n] = co_await from_.async_read_some(asio::buffer(buffer_.get(), kBufferSize),
                                                  asio::as_tuple(asio::use_awaitable));
    if (link_.closed()) co_return;
    if (!toxic_mode_ && applicable_ > 0) EnterToxicMode(self);
    if (ec) {
      if (ec != asio::error::eof) {
        link_.Close();
      } else if (toxic_mode_) {
        eof_ = true;
        eof_time_ = Clock::now();
        writer_wake_.cancel();
      } else {
        PassEof();
      }
      co_return;
    }
    if (toxic_mode_) {
      Push(n);
      writer_wake_.cancel();
      continue;
    }
    // The fast path: straight out of the one buffer.
    auto [wec, written] = co_await asio::async_write(to_, asio::buffer(buffer_.get(), n),
                                                     asio::as_tuple(asio::use_awaitable));
    if (wec) {
      link_.Close();
      co_return;
    }
  }
}

void Pipe::Push(size_t n) {
  Chunk chunk;
#if defined(__cpp_lib_smart_ptr_for_overwrite)
  chunk.data = std::make_shared_for_overwrite<char[]>(n);
#else
  chunk.data = std::shared_ptr<char[]>(new char[n]);
#endif
  std::memcpy(chunk.data.get(), buffer_.get(), n);
  chunk.size = n;
  chunk.time = Clock::now();
  queued_bytes_ += n;
  queue_.push_back(std::move(chunk));
}

void Pipe::EnterToxicMode(const std::shared_ptr<Link>& self) {
  toxic_mode_ = true;
  asio::co_spawn(to_.get_executor(), WriteLoop(self), asio::detached);
}

void Pipe::PassEof() {
  boost::system::error_code ignored;
  to_.shutdown(asio::socket_base::shutdown_send, ignored);
  link_.DirectionDone();
}

// --- writing through the chain -------------------------------------------------

asio::awaitable<void> Pipe::WaitWriter(Clock::time_point until) {
  writer_wake_.expires_at(until);
  co_await writer_wake_.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> Pipe::WriteLoop([[maybe_unused]] std::shared_ptr<Link> self) {
  for (;;) {
    if (link_.closed()) co_return;
    if (queue_.empty()) {
      if (eof_) {
        const auto until = eof_time_ + SlowClose();
        if (Clock::now() < until) {
          co_await WaitWriter(until);
          continue;  // the chain may have changed meanwhile
        }
        PassEof();
        co_return;
      }
      if (applicable_ == 0) {
        toxic_mode_ = false;  // back to the fast path
        co_return;
      }
      co_await WaitWriter(kNever);
      continue;
    }

    ToxicSlot* slot = NextSlot(queue_.front().next_id);
    if (!slot) {
      const Chunk& chunk = queue_.front();
      const auto data = chunk.data;  // the reader may push while we write
      const size_t size = chunk.size;
      const bool close_after = chunk.close_after;
      auto [ec, n] = co_await asio::async_write(to_, asio::buffer(data.get() + chunk.offset, size),
                                                asio::as_tuple(asio::use_awaitable));
      if (link_.closed()) co_return;
      if (ec) {
        link_.Close();
        co_return;
      }
      queue_.pop_front();
      queued_bytes_ -= size;
      reader_wake_.cancel();
      if (close_after) {
        link_.Close();
        co_return;
      }
      continue;
    }

    std::optional<Chunk> rest;
    const size_t before = queue_.front().size;
    const Step step = Advance(*slot, queue_.front(), Clock::now(), Rng(), &rest);
    if (rest) {
      queue_.insert(queue_.begin() + 1, std::move(*rest));
    } else if (queue_.front().size < before) {
      queued_bytes_ -= before - queue_.front().size;  // limit_data cut the chunk
      reader_wake_.cancel();
    }
    switch (step.kind) {
      case Step::kPass:
        break;
      case Step::kWait:
        co_await WaitWriter(step.until);
        break;
      case Step::kHold:
        co_await WaitWriter(kNever);
        break;
      case Step::kClose:
        link_.Close();
        co_return;
      case Step::kReset:
        link_.Reset();
        co_return;
    }
  }
}

}  // namespace sonde::fault_proxy
