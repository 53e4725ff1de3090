#include "service/admin_server.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include "net/http_server.h"
#include "service/status_page.h"

namespace sonde {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

net::Response Reply(http::status status, std::string_view content_type, std::string body) {
  net::Response res;
  res.result(status);
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

net::Response MethodNotAllowed(std::string_view allow) {
  net::Response res = Reply(http::status::method_not_allowed, "text/plain",
                            "use " + std::string(allow) + "\n");
  res.set(http::field::allow, allow);
  return res;
}

// Reads /api/v1/runs' query into `query`; "" or what is wrong.
std::string ParseRunsQuery(std::string_view target, RunsQuery* query) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return "malformed query";
  for (const auto& param : url->params()) {
    const std::string& v = param.value;
    auto number = [&v](auto* out) {
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
      return ec == std::errc() && end == v.data() + v.size() && !v.empty();
    };
    if (param.key == "journey") {
      query->journey = v;
    } else if (param.key == "limit") {
      size_t n = 0;
      if (!number(&n) || n < 1 || n > 1000) return "limit must be 1..1000, got \"" + v + "\"";
      query->limit = n;
    } else if (param.key == "before_us") {
      int64_t n = 0;
      if (!number(&n) || n < 0) {
        return "before_us must be microseconds since the epoch, got \"" + v + "\"";
      }
      query->before_us = n;
    } else {
      return "unknown parameter \"" + std::string(param.key) + "\" (use journey, limit, before_us)";
    }
  }
  return "";
}

std::string AuthorizationOf(const net::Request& req) {
  auto auth = req.find(http::field::authorization);
  return auth == req.end() ? std::string() : std::string(auth->value());
}

asio::awaitable<net::Response> Route(const AdminServer::Handlers* handlers, const net::Request& req) {
  const std::string_view full_target(req.target().data(), req.target().size());
  const std::string_view target = full_target.substr(0, full_target.find('?'));
  const bool read = req.method() == http::verb::get || req.method() == http::verb::head;
  if ((target.starts_with("/api/v1/drills") || target == "/api/v1/heal") && handlers->control) {
    // Arguments and the awaitable named first: GCC 12 destroys temporaries
    // of a co_await expression twice.
    auto answer = handlers->control(std::string(req.method_string()), std::string(full_target),
                                    AuthorizationOf(req));
    auto [status, body] = co_await std::move(answer);
    co_return Reply(static_cast<http::status>(status), "application/json", std::move(body));
  }
  if (target == "/-/reload") {
    if (req.method() != http::verb::post || !handlers->reload) co_return MethodNotAllowed("POST");
    if (auto refusal = handlers->authorize(AuthorizationOf(req))) {
      co_return Reply(static_cast<http::status>(refusal->status), "text/plain",
                      "/-/reload: " + refusal->message + "; or send the daemon SIGHUP\n");
    }
    auto reloading = handlers->reload();
    auto [ok, message] = co_await std::move(reloading);
    co_return Reply(ok ? http::status::ok : http::status::bad_request, "text/plain", message + "\n");
  }
  if (!read) co_return MethodNotAllowed("GET, HEAD");
  if (target == "/metrics") {
    co_return Reply(http::status::ok, "text/plain; version=0.0.4; charset=utf-8", handlers->metrics());
  }
  if (target == "/healthz") co_return Reply(http::status::ok, "text/plain", "ok\n");
  if (target == "/readyz") {
    if (handlers->ready()) co_return Reply(http::status::ok, "text/plain", "ready\n");
    co_return Reply(http::status::service_unavailable, "text/plain",
                    "first round of runs not done yet\n");
  }
  if (target == "/") {
    co_return Reply(http::status::ok, "text/html; charset=utf-8", std::string(StatusPageHtml()));
  }
  if (target == "/api/v1/status" && handlers->status) {
    co_return Reply(http::status::ok, "application/json", handlers->status());
  }
  if (target == "/api/v1/runs" && handlers->runs) {
    RunsQuery query;
    if (std::string problem = ParseRunsQuery(full_target, &query); !problem.empty()) {
      co_return Reply(http::status::bad_request, "text/plain", "/api/v1/runs: " + problem + "\n");
    }
    auto page = handlers->runs(std::move(query));
    std::string json = co_await std::move(page);
    co_return Reply(http::status::ok, "application/json", std::move(json));
  }
  co_return Reply(http::status::not_found, "text/plain", "not found\n");
}

}  // namespace

class AdminServer::Impl {
 public:
  Impl(asio::any_io_executor executor, Handlers h, Options options)
      : handlers(std::move(h)),
        server(
            executor, [this](const net::Request& req) { return Route(&handlers, req); },
            ServerOptions(options)) {}

  static net::ServerOptions ServerOptions(const Options& options) {
    net::ServerOptions o;
    o.max_body_bytes = 16 * 1024;  // nothing the admin API takes is larger
    o.tls_cert_file = options.tls_cert_file;
    o.tls_key_file = options.tls_key_file;
    return o;
  }
  Handlers handlers;
  net::HttpServer server;
};

AdminServer::AdminServer(asio::any_io_executor executor, Handlers handlers, Options options)
    : impl_(std::make_unique<Impl>(executor, std::move(handlers), std::move(options))) {}

AdminServer::~AdminServer() { Stop(); }

std::optional<std::string> AdminServer::Listen(const std::string& host, uint16_t port) {
  if (auto error = impl_->server.Listen(host, port)) return "admin server: " + *error;
  return std::nullopt;
}

uint16_t AdminServer::port() const { return impl_->server.port(); }

void AdminServer::Stop() { impl_->server.Stop(); }

}  // namespace sonde
