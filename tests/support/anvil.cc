#include "tests/support/anvil.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>
#include <thread>

#include "core/integer.h"
#include "probes/http_client.h"

namespace sonde::testing {

std::string AnvilPath() { return std::string(SONDE_SOURCE_DIR) + "/.tools/bin/anvil"; }

Anvil::Anvil(std::vector<std::string> args) {
  const std::string path = AnvilPath();
  if (access(path.c_str(), X_OK) != 0) {
    ADD_FAILURE() << "anvil is not installed at " << path << " (run scripts/setup.sh)";
    return;
  }
  std::vector<std::string> argv{path, "--host", "127.0.0.1", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  process_ = std::make_unique<Subprocess>(argv);
  // anvil prints "Listening on 127.0.0.1:PORT" once it accepts connections.
  const std::regex listening(R"(Listening on 127\.0\.0\.1:(\d+))");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < give_up) {
    std::smatch m;
    const std::string out = process_->StdoutSoFar();
    if (std::regex_search(out, m, listening)) {
      port_ = std::stoi(m[1]);
      url_ = "http://127.0.0.1:" + std::to_string(port_);
      return;
    }
    if (auto done = process_->Wait(std::chrono::milliseconds(50))) {
      ADD_FAILURE() << "anvil exited with " << done->exit_code << ": " << done->err << done->out;
      return;
    }
  }
  ADD_FAILURE() << "anvil did not print its port within 20 s: " << process_->StdoutSoFar();
}

Anvil::~Anvil() { Kill(); }

void Anvil::Kill() {
  if (process_) {
    process_->Signal(SIGKILL);
    process_->Wait(std::chrono::seconds(5));
  }
}

boost::json::value Anvil::Call(const std::string& method, boost::json::value params) {
  boost::json::object call{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}};
  if (!params.is_null()) call["params"] = std::move(params);
  boost::asio::io_context io;
  HttpClient http(io.get_executor());
  HttpRequest request;
  request.method = "POST";
  request.url = url_;
  request.timeout = std::chrono::seconds(10);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = boost::json::serialize(call);
  HttpResponse response;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { response = co_await http.Fetch(request); },
      boost::asio::detached);
  io.run();
  boost::system::error_code ec;
  boost::json::value answer = boost::json::parse(response.body, ec);
  if (ec || !answer.is_object()) {
    ADD_FAILURE() << method << ": no JSON-RPC answer (HTTP " << response.status << ", "
                  << response.error << "): " << response.body;
    return nullptr;
  }
  return answer;
}

boost::json::value Anvil::Result(const std::string& method, boost::json::value params) {
  boost::json::value answer = Call(method, std::move(params));
  if (!answer.is_object() || !answer.as_object().contains("result")) {
    ADD_FAILURE() << method << " failed: " << boost::json::serialize(answer);
    return nullptr;
  }
  return answer.as_object()["result"];
}

void Anvil::SetBalance(const std::string& address, const std::string& wei_hex) {
  Result("anvil_setBalance", boost::json::array{address.c_str(), wei_hex.c_str()});
}

uint64_t Anvil::BlockNumber() {
  boost::json::value r = Result("eth_blockNumber");
  if (!r.is_string()) return 0;
  return ParseUint64(r.as_string()).value_or(0);
}

}  // namespace sonde::testing
