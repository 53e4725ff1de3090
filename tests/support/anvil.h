// Foundry's anvil, a real EVM node, started and stopped by a test on a
// loopback port it picks itself (`--port 0`; the port is read back from
// what it prints, so no port is ever guessed). scripts/setup.sh installs it
// into .tools/; a missing binary fails the test and names the command to
// run, it never skips.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "tests/support/subprocess.h"

namespace sonde::testing {

class Anvil {
 public:
  // Extra command-line arguments, e.g. {"--block-time", "1"}. Fails the
  // current test (ok() false) when anvil does not come up within 20 s.
  explicit Anvil(std::vector<std::string> args = {});
  ~Anvil();  // SIGKILLs it

  bool ok() const { return port_ != 0; }
  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
  void Kill();

  // One JSON-RPC call; the whole answer (result or error object). An
  // unparsable answer or a failed request fails the test and returns null.
  boost::json::value Call(const std::string& method, boost::json::value params = nullptr);
  // The call's `result`; fails the test on an error answer.
  boost::json::value Result(const std::string& method, boost::json::value params = nullptr);

  // Sets an account's balance (wei, 0x-hex), via anvil_setBalance.
  void SetBalance(const std::string& address, const std::string& wei_hex);
  uint64_t BlockNumber();

 private:
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
  std::string url_;
};

// The anvil binary the tests use.
std::string AnvilPath();

}  // namespace sonde::testing
