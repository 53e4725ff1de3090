#include "devnet/node.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>

#include "net/json_response.h"
#include "devnet/json_fields.h"
#include "signer/key_file.h"

namespace sonde::devnet {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

net::ServerOptions ServerOptions() {
  net::ServerOptions o;
  o.name = "sonde-devnet";
  o.max_body_bytes = 8 * 1024 * 1024;  // a peer append carries up to 100 blocks
  o.max_connections = 512;
  o.error_response = net::ErrorResponse;
  return o;
}

constexpr size_t kMaxTxsPerBlock = 1000;
constexpr size_t kMaxMempool = 20000;
constexpr size_t kMaxRemembered = 10000;
constexpr std::chrono::seconds kChallengeTtl{60};
constexpr size_t kMaxChallenges = 4096;
constexpr std::chrono::milliseconds kForwardTimeout{3000};

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// "/v1/tx/abc" with prefix "/v1/tx/" -> "abc"; nullopt if it does not match
// or the rest is empty or has another '/'.
std::optional<std::string_view> Param(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return std::nullopt;
  std::string_view rest = path.substr(prefix.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return rest;
}

net::Response MethodNotAllowed(std::string_view allowed) {
  net::Response r = net::ErrorResponse(http::status::method_not_allowed, "method_not_allowed",
                             "this path takes " + std::string(allowed));
  r.set(http::field::allow, allowed);
  return r;
}

}  // namespace

Result<std::unique_ptr<Node>> Node::Create(asio::any_io_executor executor, NodeConfig config) {
  auto key = signer::LoadKeyFile(config.node_key);
  if (!key.ok()) return Fail(key.error().message);
  std::unique_ptr<FrostParticipant> frost;
  if (!config.frost_share.empty()) {
    auto loaded = FrostParticipant::Load(config.frost_share);
    if (!loaded.ok()) return Fail(loaded.error());
    frost = std::move(loaded.value());
  }
  auto chain = Chain::Open(config);
  if (!chain.ok()) return Fail(chain.error());
  return std::unique_ptr<Node>(new Node(executor, std::move(config), std::move(key.value()),
                                        std::move(chain.value()), std::move(frost)));
}

Node::Node(asio::any_io_executor executor, NodeConfig config, signer::KeyPair key,
           std::unique_ptr<Chain> chain, std::unique_ptr<FrostParticipant> frost)
    : executor_(executor),
      config_(std::move(config)),
      key_(std::move(key)),
      chain_(std::move(chain)),
      frost_(std::move(frost)) {
  server_ = std::make_unique<net::HttpServer>(
      executor_, [this](const net::Request& req) { return Route(req); },
      ServerOptions());
  if (config_.is_leader()) {
    pool_ = std::make_unique<TxPool>(*chain_, kMaxMempool, kMaxRemembered);
    challenges_ = std::make_unique<Challenges>(kChallengeTtl, kMaxChallenges);
    replicator_ =
        std::make_unique<Replicator>(executor_, *chain_, config_, [this] { return OnCommit(); });
    propose_timer_ = std::make_unique<asio::steady_timer>(executor_);
  } else {
    leader_url_ = ParsePeerUrl(config_.FindPeer(config_.leader)->url).value();
  }
}

Node::~Node() { Stop(); }

Status Node::Start() {
  if (auto error = server_->Listen(config_.listen_host, config_.listen_port)) {
    return Fail("node " + std::to_string(config_.id) + ": " + *error);
  }
  spdlog::info("node {} ({}) listening on {}:{}; head {}, committed {}", config_.id, role(),
               config_.listen_host, server_->port(), chain_->head(), chain_->committed());
  if (config_.is_leader()) {
    replicator_->Start();
    asio::co_spawn(executor_, ProposeLoop(), asio::detached);
  }
  return Status::Ok();
}

void Node::Stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->Stop();
  if (replicator_) replicator_->Stop();
  if (propose_timer_) propose_timer_->cancel();
}

asio::awaitable<net::Response> Node::Route(const net::Request& req) {
  // No co_await inside a conditional expression: GCC 12 miscompiles the
  // temporaries there, so every branch is a plain statement.
  std::string_view path(req.target().data(), req.target().size());
  path = path.substr(0, path.find('?'));
  const http::verb m = req.method();
  const bool get = m == http::verb::get || m == http::verb::head;
  const bool post = m == http::verb::post;
  const char* allowed = nullptr;  // set when the path exists but not for this method

  if (path == "/v1/health") {
    if (get) co_return GetHealth();
    allowed = "GET";
  } else if (path == "/v1/status") {
    if (get) co_return GetStatus();
    allowed = "GET";
  } else if (path == "/v1/head") {
    if (get) co_return GetHead();
    allowed = "GET";
  } else if (auto height = Param(path, "/v1/blocks/")) {
    if (get) co_return GetBlock(*height);
    allowed = "GET";
  } else if (path == "/v1/peer/append") {
    if (post) co_return co_await PostPeerAppend(req);
    allowed = "POST";
  } else if (path == "/v1/tx") {
    if (post) co_return co_await PostTx(req);
    allowed = "POST";
  } else if (auto hash = Param(path, "/v1/tx/")) {
    if (get) co_return co_await GetTx(req, *hash);
    allowed = "GET";
  } else if (auto address = Param(path, "/v1/accounts/")) {
    if (get) co_return co_await GetAccount(req, *address);
    allowed = "GET";
  } else if (path == "/v1/activation/challenge") {
    if (get) co_return co_await GetChallenge(req);
    allowed = "GET";
  } else if (path == "/v1/activation") {
    if (post) co_return co_await PostActivation(req);
    allowed = "POST";
  } else if (auto key = Param(path, "/v1/nodes/")) {
    if (get) co_return GetNodeRecord(*key);
    allowed = "GET";
  } else if (path == "/v1/rewards/claim") {
    if (post) co_return co_await PostClaim(req);
    allowed = "POST";
  } else if (auto node = Param(path, "/v1/rewards/")) {
    if (get) co_return GetRewards(*node);
    allowed = "GET";
  } else if (path == "/v1/mpc/group") {
    if (get) co_return GetGroup();
    allowed = "GET";
  } else if (path == "/v1/mpc/round1") {
    if (post) co_return PostRound1(req);
    allowed = "POST";
  } else if (path == "/v1/mpc/round2") {
    if (post) co_return PostRound2(req);
    allowed = "POST";
  } else if (path == "/v1/admin/faults") {
    if (get) co_return GetFaults();
    if (post) co_return PostFaults(req);
    allowed = "GET, POST";
  }
  if (allowed != nullptr) co_return MethodNotAllowed(allowed);
  co_return net::ErrorResponse(http::status::not_found, "not_found",
                          "no such endpoint: " + std::string(path) + " (see devnet/API.md)");
}

asio::awaitable<Result<PeerResponse>> Node::CallLeader(const net::Request& req) {
  co_return co_await HttpCall(*leader_url_, req.method(), std::string(req.target()), req.body(),
                              kForwardTimeout);
}

asio::awaitable<net::Response> Node::ForwardToLeader(const net::Request& req) {
  auto r = co_await CallLeader(req);
  if (!r.ok()) {
    co_return net::ErrorResponse(http::status::service_unavailable, "leader_unreachable",
                            "node " + std::to_string(config_.id) +
                                " cannot reach the leader (node " + std::to_string(config_.leader) +
                                "): " + r.error());
  }
  net::Response res;
  res.result(static_cast<unsigned>(r->status));
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(r->body);
  co_return res;
}

asio::awaitable<void> Node::ProposeLoop() {
  const auto interval = std::chrono::milliseconds(config_.block_ms);
  auto next = std::chrono::steady_clock::now() + interval;
  while (!stopped_) {
    propose_timer_->expires_at(next);
    co_await propose_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopped_) break;
    const auto now = std::chrono::steady_clock::now();
    next += interval;
    if (next < now) next = now + interval;  // fell behind: do not burst
    // Pipeline depth 1: with no majority, nothing new is proposed, and
    // submitted transactions stay pending.
    if (faults_.stop_proposing || chain_->head() > chain_->committed()) continue;
    ProposeBlock();
  }
}

void Node::ProposeBlock() {
  const uint64_t height = chain_->head() + 1;
  std::vector<Tx> txs = pool_->TakeForBlock(kMaxTxsPerBlock);
  chain_->AppendOwn(MakeBlock(height, chain_->HashAt(height - 1),
                              std::max(chain_->last_time_ms(), NowMs()), std::move(txs)));
  pool_->Rebase();
  replicator_->Wake();
  asio::co_spawn(executor_, PersistOwnBlock(height), asio::detached);
}

asio::awaitable<void> Node::PersistOwnBlock(uint64_t height) {
  Status s = co_await chain_->Persist();
  if (!s.ok()) {
    // Not counted towards a majority; the next commit retries the write path.
    spdlog::error("node {}: block {}: {}", config_.id, height, s.error());
    co_return;
  }
  if (!stopped_) replicator_->LeaderPersisted(height);
}

asio::awaitable<void> Node::OnCommit() {
  Status s = co_await chain_->Persist();
  if (!s.ok()) spdlog::error("node {}: commit: {}", config_.id, s.error());
  if (stopped_) co_return;
  pool_->Rebase();
  replicator_->Wake();  // tell followers the new commit height
}

asio::awaitable<net::Response> Node::Submit(const net::Request& req, TxType type) {
  if (!config_.is_leader()) co_return co_await ForwardToLeader(req);
  auto body = ParseObject(req.body());
  if (!body.ok()) co_return net::ErrorResponse(http::status::bad_request, "malformed", body.error());
  auto tx = TxFromJson(body.value(), config_.chain_id, type);
  if (!tx.ok()) co_return net::ErrorResponse(http::status::bad_request, "malformed", tx.error());
  co_return Admit(tx.value());
}

}  // namespace sonde::devnet
