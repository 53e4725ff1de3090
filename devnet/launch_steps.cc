#include "devnet/launch_steps.h"

#include <signal.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

#include "devnet/frost_share_file.h"
#include "devnet/node_config.h"
#include "devnet/peer_client.h"
#include "devnet/process.h"
#include "signer/canonical.h"
#include "signer/encoding.h"
#include "signer/frost/dealer.h"
#include "signer/key_file.h"

namespace sonde::devnet {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

Status MakeDirs(const std::string& path) {
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return Fail("cannot create " + partial + ": " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

Result<std::string> AbsoluteDir(const std::string& dir, bool create) {
  if (dir.empty()) return Fail("--dir is empty");
  if (create) {
    if (Status s = MakeDirs(dir); !s.ok()) return Fail(s.error());
  }
  char buf[PATH_MAX];
  if (::realpath(dir.c_str(), buf) == nullptr) {
    return Fail("cannot resolve " + dir + ": " + std::strerror(errno));
  }
  return std::string(buf);
}

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

std::string LogTail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out += "    " + all[i] + "\n";
  }
  return out;
}

Result<json::object> GetJson(const std::string& url, const std::string& target,
                             std::chrono::milliseconds timeout) {
  auto base = ParsePeerUrl(url);
  if (!base.ok()) return Fail(base.error());
  auto r = HttpCallBlocking(base.value(), http::verb::get, target, "", timeout);
  if (!r.ok()) return Fail(r.error());
  if (r->status != 200) return Fail("HTTP " + std::to_string(r->status));
  boost::system::error_code ec;
  json::value v = json::parse(r->body, ec);
  if (ec || !v.is_object()) return Fail("not a JSON object");
  return std::move(v.get_object());
}

uint64_t U64(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() > 0) return static_cast<uint64_t>(v->get_int64());
  return 0;
}

Status Generate(const UpOptions& o, Manifest* m) {
  signer::KeyPair wallet = signer::KeyPair::Generate();
  if (auto s = signer::WriteKeyFile(m->wallet_key(), wallet); !s.ok()) {
    return Fail(s.error().message);
  }
  m->wallet_address = signer::ToHex(wallet.public_key());
  if (auto s = signer::WriteKeyFile(m->probe_node_key(), signer::KeyPair::Generate()); !s.ok()) {
    return Fail(s.error().message);
  }
  auto dealer = signer::frost::TrustedDealerKeygen(static_cast<uint16_t>(o.threshold),
                                                   static_cast<uint16_t>(o.nodes));
  if (!dealer.ok()) return Fail("FROST dealer: " + dealer.error().message);
  for (uint32_t id = 1; id <= o.nodes; ++id) {
    if (::mkdir(m->node_dir(id).c_str(), 0700) != 0) {
      return Fail("cannot create " + m->node_dir(id) + ": " + std::strerror(errno));
    }
    if (auto s = signer::WriteKeyFile(m->node_key(id), signer::KeyPair::Generate()); !s.ok()) {
      return Fail(s.error().message);
    }
    if (Status s = WriteFrostShareFile(m->node_share(id), dealer->key_packages[id - 1],
                                       dealer->public_key_package);
        !s.ok()) {
      return s;
    }
    NodeConfig c;
    c.id = id;
    c.leader = 1;
    c.listen_host = "127.0.0.1";
    c.listen_port = m->node_port(id);
    c.data_dir = m->node_dir(id);
    c.block_ms = o.block_ms;
    c.chain_id = o.chain_id;
    c.node_key = m->node_key(id);
    c.frost_share = m->node_share(id);
    for (uint32_t peer = 1; peer <= o.nodes; ++peer) {
      if (peer != id) c.peers.push_back(PeerConfig{peer, m->peer_url(id, peer)});
    }
    c.genesis_balances[wallet.public_key()] = o.wallet_funds;
    std::ofstream(m->node_config(id)) << NodeConfigToToml(c);
  }
  return WriteManifest(*m);
}

std::optional<pid_t> RunningPid(const Manifest& m, uint32_t id) {
  auto pid = ReadPidFile(m.node_pidfile(id));
  if (pid && IsProcessRunning(*pid, m.node_command(id))) return pid;
  return std::nullopt;
}

Result<pid_t> Launch(const Manifest& m, uint32_t id) {
  if (!PortFree("127.0.0.1", m.node_port(id))) {
    return Fail("port " + std::to_string(m.node_port(id)) + " (node " + std::to_string(id) +
                ") is already in use; pick another --base-port");
  }
  auto pid = SpawnDetached(m.node_command(id), m.node_log(id));
  if (!pid.ok()) return pid;
  if (Status s = WritePidFile(m.node_pidfile(id), pid.value()); !s.ok()) return Fail(s.error());
  return pid;
}

// For nodes this launcher process started: they are our children and not
// yet reaped, so their pids cannot have been reused, and they may not have
// reached exec yet — so no cmdline check here.
void StopChildren(const std::vector<pid_t>& pids) {
  for (pid_t pid : pids) ::kill(pid, SIGTERM);
  for (pid_t pid : pids) {
    const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
    bool gone = false;
    while (!(gone = ReapIfExited(pid)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    if (!gone) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);  // SIGKILL cannot be ignored: this returns promptly
    }
  }
}

void StopNodes(const Manifest& m, const std::map<uint32_t, pid_t>& pids) {
  std::vector<pid_t> children;
  for (const auto& [id, pid] : pids) children.push_back(pid);
  StopChildren(children);
  for (const auto& [id, pid] : pids) ::unlink(m.node_pidfile(id).c_str());
}

Status WaitReady(const Manifest& m, const std::map<uint32_t, pid_t>& pids, uint64_t min_committed,
                 std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::map<uint32_t, std::string> waiting;
  for (const auto& [id, pid] : pids) waiting[id] = "not polled yet";
  while (!waiting.empty()) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      const uint32_t id = it->first;
      const pid_t pid = pids.at(id);
      if (ReapIfExited(pid)) {
        return Fail("node " + std::to_string(id) + " (pid " + std::to_string(pid) +
                    ") exited; the end of " + m.node_log(id) + ":\n" + LogTail(m.node_log(id), 8));
      }
      auto head = GetJson(m.node_url(id), "/v1/head", 500ms);
      if (!head.ok()) {
        it->second = head.error();
      } else if (U64(head.value(), "committed_height") < min_committed) {
        it->second = "committed height " + std::to_string(U64(head.value(), "committed_height"));
      } else {
        it = waiting.erase(it);
        continue;
      }
      ++it;
    }
    if (waiting.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string why;
      for (const auto& [id, what] : waiting) {
        why += "\n  node " + std::to_string(id) + ": " + what + " (log: " + m.node_log(id) + ")";
      }
      return Fail("nodes not ready within " + std::to_string(within.count()) + " ms:" + why);
    }
    std::this_thread::sleep_for(100ms);
  }
  return Status::Ok();
}

}  // namespace sonde::devnet

namespace sonde::devnet {

namespace {

// Active, and at least one block's reward accrued: what the reward_claim
// journey needs on its very first run.
bool ProbeNodeReady(const Manifest& m, const std::string& node) {
  auto rewards = GetJson(m.node_url(1), "/v1/rewards/" + node, 1s);
  return rewards.ok() && U64(rewards.value(), "claimable") > 0;
}

}  // namespace

Status ActivateProbeNode(const Manifest& m, std::chrono::milliseconds within) {
  // A devnet made before the probe node existed gets one now.
  if (!Exists(m.probe_node_key())) {
    if (auto s = signer::WriteKeyFile(m.probe_node_key(), signer::KeyPair::Generate()); !s.ok()) {
      return Fail(s.error().message);
    }
  }
  auto key = signer::LoadKeyFile(m.probe_node_key());
  if (!key.ok()) return Fail(key.error().message);
  const std::string node = signer::ToHex(key->public_key());
  auto leader = ParsePeerUrl(m.node_url(1));
  if (!leader.ok()) return Fail(leader.error());
  const auto give_up = std::chrono::steady_clock::now() + within;
  std::string last = "no attempt";
  // A challenge can expire or be refused while the chain starts; try again
  // until the node is active or time is up.
  while (std::chrono::steady_clock::now() < give_up) {
    auto status = GetJson(m.node_url(1), "/v1/nodes/" + node, 1s);
    if (status.ok() && status->contains("status") && status->at("status") == "active") {
      if (ProbeNodeReady(m, node)) return Status::Ok();
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::max<uint32_t>(m.block_ms / 4, 20)));
      continue;
    }
    auto challenge = GetJson(m.node_url(1), "/v1/activation/challenge", 1s);
    if (!challenge.ok()) {
      last = "challenge: " + challenge.error();
    } else {
      const std::string hex(challenge->at("challenge").as_string());
      auto bytes = signer::FromHex(hex, "challenge");
      if (!bytes.ok()) return Fail(bytes.error().message);
      signer::ActivationProof proof{m.chain_id, key->public_key(), signer::NodeType::kFull,
                                    std::move(bytes).value()};
      auto encoded = signer::Encode(proof);
      if (!encoded.ok()) return Fail(encoded.error().message);
      json::object body{{"node", node},
                        {"node_type", "full"},
                        {"challenge", hex},
                        {"signature", signer::ToHex(key->Sign(encoded.value()))}};
      auto r = HttpCallBlocking(leader.value(), http::verb::post, "/v1/activation",
                                json::serialize(body), 2s);
      last = r.ok() ? "activation: HTTP " + std::to_string(r->status) + " " + r->body : r.error();
      // Wait for the block that commits it before asking again.
      for (int i = 0; i < 50 && std::chrono::steady_clock::now() < give_up; ++i) {
        auto s = GetJson(m.node_url(1), "/v1/nodes/" + node, 1s);
        if (s.ok() && s->contains("status") && s->at("status") == "active") break;
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::max<uint32_t>(m.block_ms / 4, 20)));
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  return Fail("the probe node " + node + " did not become active: " + last);
}

Status WriteApiToken(const Manifest& m) {
  if (Exists(m.api_token())) return Status::Ok();
  uint8_t bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  const std::string token = signer::ToHex(bytes) + "\n";
  const int fd = ::open(m.api_token().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("cannot create " + m.api_token() + ": " + std::strerror(errno));
  const bool ok = ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size());
  ::close(fd);
  if (!ok) return Fail("cannot write " + m.api_token());
  return Status::Ok();
}

}  // namespace sonde::devnet
