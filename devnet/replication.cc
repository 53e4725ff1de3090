#include "devnet/replication.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

namespace sonde::devnet {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {
constexpr size_t kMaxBlocksPerAppend = 100;
constexpr size_t kMaxBytesPerAppend = 4 * 1024 * 1024;  // under the server's body limit

uint64_t ReadU64(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() > 0) return static_cast<uint64_t>(v->get_int64());
  return 0;
}
}  // namespace

Replicator::Replicator(asio::any_io_executor executor, Chain& chain, const NodeConfig& config,
                       std::function<asio::awaitable<void>()> on_commit)
    : executor_(executor),
      chain_(chain),
      // Fast enough that commits follow blocks closely, and at least 20 ms so
      // an idle cluster does not spin.
      tick_(std::clamp<std::chrono::milliseconds>(std::chrono::milliseconds(config.block_ms / 2),
                                                  std::chrono::milliseconds(20),
                                                  std::chrono::milliseconds(100))),
      call_timeout_(std::max<std::chrono::milliseconds>(
          std::chrono::milliseconds(1000), std::chrono::milliseconds(2 * config.block_ms))),
      on_commit_(std::move(on_commit)),
      leader_match_(chain.head()) {
  for (const PeerConfig& p : config.peers) {
    auto f = std::make_unique<Follower>();
    f->id = p.id;
    f->url_text = p.url;
    f->url = ParsePeerUrl(p.url).value();  // validated when the config was loaded
    f->next = chain.head() + 1;
    f->timer = std::make_unique<asio::steady_timer>(executor);
    followers_.push_back(std::move(f));
  }
}

void Replicator::Start() {
  for (auto& f : followers_) asio::co_spawn(executor_, Run(*f), asio::detached);
  MaybeCommit();  // a single-node cluster commits on its own
}

void Replicator::Stop() {
  stopped_ = true;
  for (auto& f : followers_) f->timer->cancel();
}

void Replicator::Wake() {
  for (auto& f : followers_) {
    f->woken = true;
    f->timer->cancel();
  }
}

void Replicator::LeaderPersisted(uint64_t height) {
  leader_match_ = std::max(leader_match_, height);
  MaybeCommit();
}

std::vector<Replicator::FollowerView> Replicator::Followers() const {
  std::vector<FollowerView> out;
  for (const auto& f : followers_) {
    out.push_back(FollowerView{f->id, f->url_text, f->match, f->reachable, f->last_error});
  }
  return out;
}

asio::awaitable<void> Replicator::Run(Follower& f) {
  while (!stopped_) {
    const bool more = co_await SendOnce(f);
    if (stopped_) break;
    if (more || std::exchange(f.woken, false)) continue;
    f.timer->expires_after(tick_);
    co_await f.timer->async_wait(asio::as_tuple(asio::use_awaitable));
    f.woken = false;
  }
}

asio::awaitable<bool> Replicator::SendOnce(Follower& f) {
  // The follower may have lost blocks (a wiped data dir): never send past
  // what the leader holds, nor from before height 1.
  f.next = std::clamp<uint64_t>(f.next, 1, chain_.head() + 1);
  const uint64_t prev = f.next - 1;
  json::array blocks;
  size_t bytes = 0;
  for (uint64_t h = f.next; h <= chain_.head() && blocks.size() < kMaxBlocksPerAppend; ++h) {
    json::value b = BlockToJson(*chain_.At(h));
    bytes += json::serialize(b).size();
    if (!blocks.empty() && bytes > kMaxBytesPerAppend) break;
    blocks.push_back(std::move(b));
  }
  const uint64_t sent = blocks.size();
  json::object body{{"prev_height", prev},
                    {"prev_hash", HashHex(chain_.HashAt(prev))},
                    {"blocks", std::move(blocks)},
                    {"commit", chain_.committed()}};
  auto r = co_await HttpCall(f.url, http::verb::post, "/v1/peer/append", json::serialize(body),
                             call_timeout_);
  if (stopped_) co_return false;
  auto unreachable = [&](std::string why) {
    if (f.reachable || f.last_error != why) {
      spdlog::info("replication: node {} unreachable: {}", f.id, why);
    }
    f.reachable = false;
    f.last_error = std::move(why);
  };
  if (!r.ok()) {
    unreachable(r.error());
    co_return false;
  }
  boost::system::error_code ec;
  json::value reply = json::parse(r->body, ec);
  if (ec || !reply.is_object() || r->status != 200) {
    unreachable("append answered " + std::to_string(r->status) + ": " + r->body.substr(0, 200));
    co_return false;
  }
  if (!f.reachable) spdlog::info("replication: node {} reachable", f.id);
  f.reachable = true;
  f.last_error.clear();
  const json::object& o = reply.get_object();
  const bool ok = o.contains("ok") && o.at("ok").is_bool() && o.at("ok").get_bool();
  const uint64_t follower_head = ReadU64(o, "head");
  const uint64_t follower_committed = ReadU64(o, "committed");
  if (ok) {
    f.match = std::max(f.match, prev + sent);
    f.next = prev + sent + 1;
    MaybeCommit();
    co_return f.next <= chain_.head();
  }
  // Mismatch at `prev`: step back. Committed blocks always agree, so never
  // go below the follower's committed height.
  f.match = std::min(f.match, prev > 0 ? prev - 1 : 0);
  f.next = std::max(follower_committed + 1, std::min(prev, follower_head + 1));
  // Each retry starts lower, so this ends; if it cannot go lower, wait.
  co_return f.next - 1 < prev;
}

void Replicator::MaybeCommit() {
  std::vector<uint64_t> matches{leader_match_};
  for (const auto& f : followers_) matches.push_back(f->match);
  std::sort(matches.begin(), matches.end(), std::greater<>());
  const size_t majority = matches.size() / 2 + 1;
  // Never above what the leader itself has written: a leader killed and
  // restarted must still hold every block it declared committed, or it
  // would propose a different block at a committed height.
  const uint64_t height = std::min({matches[majority - 1], leader_match_, chain_.head()});
  if (height <= chain_.committed()) return;
  chain_.Commit(height);
  asio::co_spawn(executor_, on_commit_(), asio::detached);
}

}  // namespace sonde::devnet
