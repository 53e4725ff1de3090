// The fault proxy's Toxiproxy-compatible control API
// (chaos/proxy/api_handlers.h): requests go straight to HandleApiRequest,
// with no HTTP server and no connections, against one Registry per input.
//
// Input: up to 16 requests separated by a line "%%". Each is a line
// "METHOD TARGET", then the body. A line "UA AGENT" before it sets the
// User-Agent.
//
// Proxies that get enabled do bind and listen: bind() below is replaced so
// that every listener is on loopback with a port the kernel picks. Nothing
// connects to it, nothing is sent, and no fixed port is ever taken from a
// test or service that runs alongside.
//
// Invariants: every answer has a status the API documents; its body is
// JSON (empty for 204); an error body is {"error": "...", "status": N}
// with N the HTTP status; GET /proxies still answers 200 afterwards.
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <cstring>

#include "chaos/proxy/api_handlers.h"
#include "chaos/proxy/registry.h"
#include "fuzz/fuzz_input.h"

extern "C" int bind(int fd, const struct sockaddr* addr, socklen_t len) noexcept {
  sockaddr_storage local{};
  if (addr == nullptr || len > sizeof local)
    return static_cast<int>(syscall(SYS_bind, fd, addr, len));
  std::memcpy(&local, addr, len);
  if (local.ss_family == AF_INET && len >= sizeof(sockaddr_in)) {
    auto* in = reinterpret_cast<sockaddr_in*>(&local);
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    in->sin_port = 0;
  } else if (local.ss_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&local);
    in6->sin6_addr = in6addr_loopback;
    in6->sin6_port = 0;
  }
  return static_cast<int>(syscall(SYS_bind, fd, &local, len));
}

namespace {

namespace fp = sonde::fault_proxy;

void CheckResponse(const fp::ApiResponse& r) {
  static constexpr int kDocumented[] = {200, 201, 204, 400, 403, 404, 405, 409, 500};
  bool documented = false;
  for (int s : kDocumented) documented = documented || s == r.status;
  FUZZ_CHECK(documented);
  if (r.status == 204) {
    FUZZ_CHECK(r.body.empty());
    return;
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(r.body, ec);
  FUZZ_CHECK(!ec);
  if (r.status >= 400) {
    const auto* o = v.if_object();
    FUZZ_CHECK(o != nullptr);
    const auto* error = o->if_contains("error");
    const auto* status = o->if_contains("status");
    FUZZ_CHECK(error && error->is_string() && !error->get_string().empty());
    FUZZ_CHECK(status && status->is_int64() && status->get_int64() == r.status);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // a log line per proxy started would drown the fuzzer
    return true;
  }();
  (void)quiet;
  const std::string_view text = sonde::fuzz::AsText(data, size);
  boost::asio::io_context io;  // never run: no connection is ever accepted
  fp::Registry registry(io);
  for (std::string_view part : sonde::fuzz::Split(text, "\n%%\n", 16)) {
    std::string_view line = sonde::fuzz::TakeLine(part);
    std::string_view agent;
    if (line.starts_with("UA ")) {
      agent = line.substr(3);
      line = sonde::fuzz::TakeLine(part);
    }
    const size_t space = line.find(' ');
    fp::ApiRequest request;
    request.method = line.substr(0, space);
    request.target = space == line.npos ? std::string_view() : line.substr(space + 1);
    request.body = part;
    request.user_agent = agent;
    CheckResponse(fp::HandleApiRequest(registry, request));
  }
  const fp::ApiResponse list = fp::HandleApiRequest(registry, {"GET", "/proxies", "", ""});
  FUZZ_CHECK(list.status == 200);
  CheckResponse(list);
  return 0;
}
