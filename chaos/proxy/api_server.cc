#include "chaos/proxy/api_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/field.hpp>

#include "chaos/proxy/address.h"
#include "chaos/proxy/api_handlers.h"
#include "chaos/proxy/wire.h"
#include "net/http_server.h"

namespace sonde::fault_proxy {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

std::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

net::Response Respond(Registry& registry, const net::Request& req) {
  ApiRequest request;
  request.method = View(req.method_string());
  request.target = View(req.target());
  request.body = req.body();
  if (auto ua = req.find(http::field::user_agent); ua != req.end()) {
    request.user_agent = View(ua->value());
  }
  ApiResponse answer = HandleApiRequest(registry, request);
  net::Response res;
  res.result(static_cast<unsigned>(answer.status));
  if (!answer.body.empty()) res.set(http::field::content_type, "application/json");
  res.body() = std::move(answer.body);
  return res;
}

// A coroutine with its state in parameters, not in a lambda's captures.
asio::awaitable<net::Response> Answer(Registry* registry, const net::Request& req) {
  co_return Respond(*registry, req);
}

// What the server itself refuses (a request too large or malformed) gets
// Toxiproxy's error shape too, so its clients can read it.
net::Response ToxiproxyError(http::status status, std::string_view, std::string_view message) {
  net::Response res;
  res.result(status);
  res.set(http::field::content_type, "application/json");
  res.body() = ErrorBody(ApiError{static_cast<int>(status), std::string(message)});
  return res;
}

}  // namespace

class ApiServer::Impl {
 public:
  Impl(asio::io_context& io, Registry& registry)
      : server(
            io.get_executor(),
            [&registry](const net::Request& req) { return Answer(&registry, req); },
            Options()) {}

  static net::ServerOptions Options() {
    net::ServerOptions o;
    o.max_body_bytes = 1024 * 1024;
    // As Toxiproxy's server: a silent connection goes after 15 s.
    o.read_timeout = std::chrono::seconds(15);
    o.write_timeout = std::chrono::seconds(15);
    o.error_response = ToxiproxyError;
    return o;
  }
  net::HttpServer server;
};

ApiServer::ApiServer(asio::io_context& io, Registry& registry)
    : impl_(std::make_shared<Impl>(io, registry)) {}

ApiServer::~ApiServer() { Stop(); }

std::string ApiServer::Listen(const std::string& address) {
  HostPort where;
  if (auto e = ParseListenAddress(address, &where); !e.ok()) return e.message;
  if (auto error = impl_->server.Listen(where.host, where.port)) return *error;
  return "";
}

uint16_t ApiServer::port() const { return impl_->server.port(); }

void ApiServer::Stop() { impl_->server.Stop(); }

}  // namespace sonde::fault_proxy
