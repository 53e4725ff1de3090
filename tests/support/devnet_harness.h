// Real `sonde-devnet` processes on loopback for integration tests: a devnet
// per test in its own temporary directory, on ports picked to be free (tests
// run in parallel under ctest -j2), always taken down when the test ends,
// pass or fail — `down`, then SIGKILL for anything its pidfiles still name
// (nodes and the fault proxy on the peer links).
// Plus a small blocking HTTP/JSON helper and signing helpers.
#pragma once

#include <sys/types.h>

#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signer/canonical.h"
#include "signer/ed25519.h"
#include "tests/support/subprocess.h"

namespace sonde::testing {

struct JsonReply {
  int status = 0;              // 0 when the call failed (refused, timed out)
  std::string error;           // why the call failed
  boost::json::value body;     // null unless the body parsed as JSON
  std::string raw;
  // body[key] as a string / integer; "" / -1 when absent or another type.
  std::string Str(std::string_view key) const;
  int64_t Int(std::string_view key) const;
};

// One blocking call with a deadline (devnet's own client on a private io_context).
JsonReply HttpJson(const std::string& base_url, const std::string& method,
                   const std::string& target, const std::string& body = "",
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The sonde-devnet binary the harness runs.
const std::string& DevnetBinary();

// Polls `ok` every 20 ms until it is true or `within` passes.
bool WaitFor(const std::function<bool()>& ok, std::chrono::milliseconds within);

struct DevnetOptions {
  int nodes = 5;
  int threshold = 3;
  int block_ms = 100;
  bool proxies = true;  // false: `up --no-proxies`
};

// A base port whose ports (as `up` lays them out for `options`) are free
// now; 0 if none was found.
uint16_t PickBasePort(const DevnetOptions& options);

class Devnet {
 public:
  // Runs `sonde-devnet up`; on failure adds a test failure and returns null.
  static std::unique_ptr<Devnet> Up(DevnetOptions options = {});
  ~Devnet();  // down, kill leftovers, remove the directory

  const std::string& dir() const { return dir_; }
  std::string url(int id) const;
  int nodes() const { return options_.nodes; }
  int block_ms() const { return options_.block_ms; }
  uint16_t base_port() const { return base_port_; }
  // The fault proxy's API (with proxies), and the URL of the link from node
  // `from` to node `to`, as `up` lays them out.
  std::string proxy_api() const;
  std::string link_url(int from, int to) const;
  std::string chain_id() const { return "sonde-devnet"; }

  // `sonde-devnet ARGS... --dir DIR` (args first), bounded in time.
  ProcessResult Cli(std::vector<std::string> args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Re-runs `up` on the same directory (after a `down`).
  ProcessResult UpAgain();
  std::optional<pid_t> Pid(int id) const;
  std::optional<pid_t> ProxyPid() const;  // the running fault proxy
  void Kill(int id);          // SIGKILL, waits until it is gone
  ProcessResult Start(int id);  // `sonde-devnet start --node ID`

  JsonReply Get(int id, const std::string& target) const;
  JsonReply Post(int id, const std::string& target, const std::string& body) const;

  signer::KeyPair Wallet() const;
  signer::KeyPair NodeKey(int id) const;
  int64_t Committed(int id) const;  // -1 if unreachable
  int64_t Head(int id) const;

 private:
  Devnet(DevnetOptions options, std::string dir, uint16_t base_port)
      : options_(options), dir_(std::move(dir)), base_port_(base_port) {}
  ProcessResult RunUp();

  DevnetOptions options_;
  std::string dir_;
  uint16_t base_port_;
};

// JSON bodies for the devnet API, signed with `key`.
std::string TransferJson(const signer::KeyPair& from, const signer::PublicKey& to, uint64_t amount,
                         uint64_t nonce, const std::string& chain_id,
                         const signer::KeyPair* signed_by = nullptr);
std::string ActivationJson(const signer::KeyPair& node, signer::NodeType type,
                           const std::vector<uint8_t>& challenge, const std::string& chain_id,
                           const signer::KeyPair* signed_by = nullptr);
std::string ClaimJson(const signer::KeyPair& node, const signer::PublicKey& beneficiary,
                      uint64_t amount, uint64_t nonce, const std::string& chain_id);

}  // namespace sonde::testing
