// One direction of a proxied connection: bytes read from `from` go through
// the toxics on this direction's stream and are written to `to`.
//
// With no toxic that applies, the pipe is a plain copy loop: one reused
// buffer, a read then a write, nothing allocated per chunk. (splice(2)
// through a kernel pipe was tried and measured slower on loopback.) When a
// toxic applies,
// reading and writing part: the reader queues copies of what it reads, and a
// writer coroutine takes each chunk through the chain (toxic_step.h) and
// writes it. The queue is capped at kMaxQueuedBytes; when
// it is full the reader stops reading, so TCP pushes back on the sender.
// When the last toxic goes and the queue has drained, the pipe falls back to
// the copy loop.
//
// End of stream: the source's EOF is passed on as a FIN (shutdown of our
// send side) once everything queued is written, after any slow_close delay.
// A read or write error, or a toxic that closes or resets, ends the whole
// link (link.h).
//
// Thread-safety: a member of its Link; everything on the io_context's one
// thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "chaos/proxy/toxic_step.h"

namespace sonde::fault_proxy {

class Link;

// A connected stream socket of any family (TCP, unix).
using StreamSocket = boost::asio::generic::stream_protocol::socket;

class Pipe {
 public:
  static constexpr size_t kBufferSize = 64 * 1024;
  // Per direction, so a connection holds at most twice this (plus buffers).
  static constexpr size_t kMaxQueuedBytes = 2 * 1024 * 1024;

  Pipe(Link& link, StreamSocket& from, StreamSocket& to,
       Stream stream);
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  Stream stream() const { return stream_; }

  // The chain, as the proxy's toxics change. Attach and Update draw the
  // toxicity for this connection; Update keeps limit_data's count.
  void Attach(std::shared_ptr<const ToxicEntry> entry);
  void Update(std::shared_ptr<const ToxicEntry> entry);
  void Detach(uint64_t id);

  // Copies until EOF has been passed on or the link closes. `self` keeps the
  // link (and so this pipe) alive meanwhile.
  boost::asio::awaitable<void> Run(std::shared_ptr<Link> self);

  // The link is closing: wakes every wait so the coroutines see it and end.
  void Wake();

  size_t queued_bytes() const { return queued_bytes_; }

 private:
  boost::asio::awaitable<void> WriteLoop(std::shared_ptr<Link> self);
  boost::asio::awaitable<void> WaitWriter(Clock::time_point until);
  void EnterToxicMode(const std::shared_ptr<Link>& self);
  void Push(size_t n);
  ToxicSlot* NextSlot(uint64_t from_id);
  Clock::duration SlowClose() const;
  void ChainChanged();
  void ArmTimeout();
  void PassEof();

  Link& link_;
  StreamSocket& from_;
  StreamSocket& to_;
  const Stream stream_;
  std::unique_ptr<char[]> buffer_;

  std::vector<ToxicSlot> slots_;  // ordered by entry->id
  size_t applicable_ = 0;         // slots whose toxicity draw came up

  std::deque<Chunk> queue_;
  size_t queued_bytes_ = 0;
  bool toxic_mode_ = false;  // the reader queues and a writer runs
  bool eof_ = false;         // the reader saw EOF (toxic mode only)
  Clock::time_point eof_time_;

  boost::asio::steady_timer writer_wake_;  // the writer's waits; cancel() wakes it
  boost::asio::steady_timer reader_wake_;  // the reader's wait while the queue is full
  boost::asio::steady_timer timeout_;      // timeout toxics with timeout > 0
};

}  // namespace sonde::fault_proxy
