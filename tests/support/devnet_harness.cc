#include "tests/support/devnet_harness.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "devnet/peer_client.h"
#include "devnet/process.h"
#include "signer/encoding.h"
#include "signer/key_file.h"

namespace sonde::testing {

namespace json = boost::json;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

const std::string kDevnetBinary = SONDE_DEVNET_BINARY;

std::string JsonReply::Str(std::string_view key) const {
  if (!body.is_object()) return "";
  const json::value* v = body.get_object().if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

int64_t JsonReply::Int(std::string_view key) const {
  if (!body.is_object()) return -1;
  const json::value* v = body.get_object().if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return -1;
}

JsonReply HttpJson(const std::string& base_url, const std::string& method,
                   const std::string& target, const std::string& body,
                   std::chrono::milliseconds timeout) {
  JsonReply out;
  auto base = devnet::ParsePeerUrl(base_url);
  if (!base.ok()) {
    out.error = base.error();
    return out;
  }
  auto r = devnet::HttpCallBlocking(base.value(), http::string_to_verb(method), target, body,
                                    timeout);
  if (!r.ok()) {
    out.error = r.error();
    return out;
  }
  out.status = r->status;
  out.raw = r->body;
  boost::system::error_code ec;
  out.body = json::parse(out.raw, ec);
  if (ec) out.body = nullptr;
  return out;
}

const std::string& DevnetBinary() { return kDevnetBinary; }

bool WaitFor(const std::function<bool()>& ok, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    if (ok()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

namespace {

// The lowest ephemeral port: outgoing connections take ports from there up,
// so a killed node's port in that range could be taken before it restarts.
int EphemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  return (in >> low) && low > 12000 ? low : 32768;
}

// The ports `up` uses above its base port: base+1..base+nodes, and with
// proxies base+50 (the API) and base+100.. (one per link).
std::vector<int> PortOffsets(const DevnetOptions& o) {
  std::vector<int> offsets;
  for (int i = 1; i <= o.nodes; ++i) offsets.push_back(i);
  if (o.proxies) {
    offsets.push_back(50);
    for (int from = 1; from <= o.nodes; ++from) {
      for (int to = 1; to <= o.nodes; ++to) {
        if (from != to) offsets.push_back(100 + (from - 1) * o.nodes + (to - 1));
      }
    }
  }
  return offsets;
}

std::vector<std::string> ProxyCommand(const std::string& dir, uint16_t base_port) {
  const std::string listen = "127.0.0.1:" + std::to_string(base_port + 50);
  return {kDevnetBinary, "proxy", "--listen", listen, "--config", dir + "/proxies.json"};
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

// A base port whose ports (PortOffsets) are free now, below the ephemeral
// range. Random, so tests running side by side rarely collide; `up` checks
// again and a clash is retried with another base.
uint16_t PickBasePort(const DevnetOptions& o) {
  static std::mt19937 rng(std::random_device{}());
  const std::vector<int> offsets = PortOffsets(o);
  std::uniform_int_distribution<int> pick(10000, EphemeralLow() - offsets.back() - 10);
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int base = pick(rng) / 10 * 10;
    bool free = true;
    for (size_t i = 0; i < offsets.size() && free; ++i) {
      free = devnet::PortFree("127.0.0.1", static_cast<uint16_t>(base + offsets[i]));
    }
    if (free) return static_cast<uint16_t>(base);
  }
  return 0;
}


std::unique_ptr<Devnet> Devnet::Up(DevnetOptions options) {
  char tmpl[] = "/tmp/sonde-devnet-test-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return nullptr;
  }
  std::unique_ptr<Devnet> d;
  ProcessResult r;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const uint16_t base = PickBasePort(options);
    if (base == 0) continue;
    d.reset(new Devnet(options, tmpl, base));
    r = d->RunUp();
    if (r.exit_code == 0) return d;
    if (r.err.find("already in use") == std::string::npos) break;
    d.reset();  // a port clash with a parallel test: try another base
    std::filesystem::remove_all(tmpl);
    ::mkdir(tmpl, 0700);
  }
  ADD_FAILURE() << "sonde-devnet up failed (exit " << r.exit_code << "):\n" << r.out << r.err;
  return nullptr;
}

ProcessResult Devnet::RunUp() {
  std::vector<std::string> args = {kDevnetBinary, "up",
                                   "--dir",       dir_,
                                   "--nodes",     std::to_string(options_.nodes),
                                   "--threshold", std::to_string(options_.threshold),
                                   "--block-ms",  std::to_string(options_.block_ms),
                                   "--base-port", std::to_string(base_port_)};
  if (!options_.proxies) args.push_back("--no-proxies");
  return RunProcess(args, 60s);
}

ProcessResult Devnet::UpAgain() { return RunUp(); }

Devnet::~Devnet() {
  ProcessResult r = RunProcess({kDevnetBinary, "down", "--dir", dir_}, 30s);
  if (r.exit_code != 0) ADD_FAILURE() << "sonde-devnet down failed:\n" << r.out << r.err;
  // Whatever `down` left (it should leave nothing): SIGKILL by pidfile.
  for (int id = 1; id <= options_.nodes; ++id) {
    if (auto pid = Pid(id)) {
      ADD_FAILURE() << "node " << id << " (pid " << *pid << ") survived down";
      ::kill(*pid, SIGKILL);
    }
  }
  if (auto pid = ProxyPid()) {
    ADD_FAILURE() << "the fault proxy (pid " << *pid << ") survived down";
    ::kill(*pid, SIGKILL);
  }
  std::vector<std::pair<std::string, std::string>> logs;  // what, path
  for (int id = 1; id <= options_.nodes; ++id) {
    logs.emplace_back("node " + std::to_string(id),
                      dir_ + "/node" + std::to_string(id) + "/node.log");
  }
  if (options_.proxies) logs.emplace_back("fault proxy", dir_ + "/proxy/proxy.log");
  // Under -DSONDE_SANITIZE=ON the nodes and the proxy are instrumented too; a
  // report in a log (written at the latest when down stops it) fails the test.
  for (const auto& [what, path] : logs) {
    const std::string log = ReadAll(path);
    for (const char* marker : {"AddressSanitizer", "LeakSanitizer", "runtime error:"}) {
      if (log.find(marker) != std::string::npos) {
        ADD_FAILURE() << what << " log has a sanitizer report (" << marker << ")";
      }
    }
  }
  if (::testing::Test::HasFailure()) {
    // Keep the logs in the test output: they say what went wrong.
    for (const auto& [what, path] : logs) {
      std::string log = ReadAll(path);
      if (log.size() > 3000) log = "..." + log.substr(log.size() - 3000);
      std::printf("---- %s log (tail) ----\n%s\n", what.c_str(), log.c_str());
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string Devnet::url(int id) const {
  return "http://127.0.0.1:" + std::to_string(base_port_ + id);
}

std::string Devnet::proxy_api() const {
  return "http://127.0.0.1:" + std::to_string(base_port_ + 50);
}

std::string Devnet::link_url(int from, int to) const {
  return "http://127.0.0.1:" +
         std::to_string(base_port_ + 100 + (from - 1) * options_.nodes + (to - 1));
}

std::optional<pid_t> Devnet::ProxyPid() const {
  auto pid = devnet::ReadPidFile(dir_ + "/proxy/proxy.pid");
  if (!pid || !devnet::IsProcessRunning(*pid, ProxyCommand(dir_, base_port_))) return std::nullopt;
  return pid;
}

ProcessResult Devnet::Cli(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), kDevnetBinary);
  args.push_back("--dir");
  args.push_back(dir_);
  return RunProcess(args, timeout);
}

std::optional<pid_t> Devnet::Pid(int id) const {
  const std::string node_dir = dir_ + "/node" + std::to_string(id);
  auto pid = devnet::ReadPidFile(node_dir + "/node.pid");
  if (!pid) return std::nullopt;
  if (!devnet::IsProcessRunning(*pid, {kDevnetBinary, "node", "--config", node_dir + "/node.toml"})) {
    return std::nullopt;
  }
  return pid;
}

void Devnet::Kill(int id) {
  auto pid = Pid(id);
  ASSERT_TRUE(pid.has_value()) << "node " << id << " is not running";
  ::kill(*pid, SIGKILL);
  EXPECT_TRUE(WaitFor([&] { return !Pid(id).has_value(); }, 5s)) << "node " << id << " still runs";
  // Its port must be closed before the test relies on it being down.
  EXPECT_TRUE(WaitFor([&] { return Get(id, "/v1/health").status == 0; }, 5s));
}

ProcessResult Devnet::Start(int id) { return Cli({"start", "--node", std::to_string(id)}); }

JsonReply Devnet::Get(int id, const std::string& target) const {
  return HttpJson(url(id), "GET", target, "", 3s);
}

JsonReply Devnet::Post(int id, const std::string& target, const std::string& body) const {
  return HttpJson(url(id), "POST", target, body, 5s);
}

signer::KeyPair Devnet::Wallet() const { return signer::LoadKeyFile(dir_ + "/wallet.key").value(); }

signer::KeyPair Devnet::NodeKey(int id) const {
  return signer::LoadKeyFile(dir_ + "/node" + std::to_string(id) + "/node.key").value();
}

int64_t Devnet::Committed(int id) const { return Get(id, "/v1/head").Int("committed_height"); }
int64_t Devnet::Head(int id) const { return Get(id, "/v1/head").Int("height"); }

std::string TransferJson(const signer::KeyPair& from, const signer::PublicKey& to, uint64_t amount,
                         uint64_t nonce, const std::string& chain_id,
                         const signer::KeyPair* signed_by) {
  signer::Transfer t{chain_id, from.public_key(), to, amount, nonce, {}};
  const signer::Signature sig = (signed_by ? *signed_by : from).Sign(signer::Encode(t).value());
  return json::serialize(json::object{{"from", signer::ToHex(t.from)},
                                      {"to", signer::ToHex(t.to)},
                                      {"amount", amount},
                                      {"nonce", nonce},
                                      {"signature", signer::ToHex(sig)}});
}

std::string ActivationJson(const signer::KeyPair& node, signer::NodeType type,
                           const std::vector<uint8_t>& challenge, const std::string& chain_id,
                           const signer::KeyPair* signed_by) {
  signer::ActivationProof a{chain_id, node.public_key(), type, challenge};
  const signer::Signature sig = (signed_by ? *signed_by : node).Sign(signer::Encode(a).value());
  const char* name = type == signer::NodeType::kLight  ? "light"
                     : type == signer::NodeType::kFull ? "full"
                                                       : "super";
  return json::serialize(json::object{{"node", signer::ToHex(a.node)},
                                      {"node_type", name},
                                      {"challenge", signer::ToHex(challenge)},
                                      {"signature", signer::ToHex(sig)}});
}

std::string ClaimJson(const signer::KeyPair& node, const signer::PublicKey& beneficiary,
                      uint64_t amount, uint64_t nonce, const std::string& chain_id) {
  signer::RewardClaim c{chain_id, node.public_key(), beneficiary, amount, nonce};
  const signer::Signature sig = node.Sign(signer::Encode(c).value());
  return json::serialize(json::object{{"node", signer::ToHex(c.node)},
                                      {"beneficiary", signer::ToHex(beneficiary)},
                                      {"amount", amount},
                                      {"nonce", nonce},
                                      {"signature", signer::ToHex(sig)}});
}

}  // namespace sonde::testing
