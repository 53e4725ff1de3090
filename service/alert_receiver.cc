#include "service/alert_receiver.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <utility>
#include <vector>

#include "chaos/proxy/address.h"
#include "net/json_response.h"
#include "net/http_server.h"
#include "service/commands.h"

namespace sonde {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr size_t kMaxBodyBytes = 4 * 1024 * 1024;
constexpr size_t kKeptNotifications = 1000;
constexpr std::string_view kNotificationsPath = "/api/v1/notifications";
constexpr std::string_view kHealthPath = "/healthz";

// "2026-11-21T10:00:00.123Z"
std::string Rfc3339Millis(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[40];
  const size_t n = std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(out + n, sizeof out - n, ".%03dZ", static_cast<int>(ms % 1000));
  return out;
}

// A label value as it can be read back off the line: bare when it is one
// word, else JSON-quoted.
std::string Word(std::string_view value) {
  const bool bare = !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
    return c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20;
  });
  return bare ? std::string(value) : json::serialize(json::string(value));
}

// Where a label goes on the line: alertname, severity, slo, journey, the rest.
int LabelRank(std::string_view name) {
  static constexpr std::string_view kFirst[] = {"alertname", "severity", "slo", "journey"};
  for (int i = 0; i < 4; ++i) {
    if (name == kFirst[i]) return i;
  }
  return 4;
}

std::string_view StringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

net::Response JsonError(http::status status, std::string message) {
  return net::JsonResponse(status, json::object{{"error", std::move(message)}});
}

// The server's own refusals (too large, malformed) in the receiver's shape.
net::ServerOptions ServerOptions() {
  net::ServerOptions o;
  o.name = "sonde-alert-receiver";
  o.max_body_bytes = kMaxBodyBytes;
  o.error_response = [](http::status status, std::string_view, std::string_view message) {
    return JsonError(status, std::string(message));
  };
  return o;
}

// The receiver's state, on the server's one thread.
class Receiver {
 public:
  explicit Receiver(std::ofstream* log) : log_(log) {}

  net::Response Handle(const net::Request& req) {
    std::string_view path = req.target();
    path = path.substr(0, path.find('?'));
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (path == kHealthPath || path == kNotificationsPath) {
      if (!get) return MethodNotAllowed(req, path, "GET");
      if (path == kHealthPath) {
        return net::JsonResponse(http::status::ok, json::object{{"status", "ok"}});
      }
      return net::JsonResponse(http::status::ok, Notifications());
    }
    if (req.method() != http::verb::post) return MethodNotAllowed(req, path, "POST");
    return Notify(req, path);
  }

 private:
  net::Response MethodNotAllowed(const net::Request& req, std::string_view path,
                                    const char* allowed) {
    net::Response res = JsonError(http::status::method_not_allowed,
                                     std::string(req.method_string()) + " " + std::string(path) +
                                         ": method not allowed (use " + allowed + ")");
    res.set(http::field::allow, allowed);
    return res;
  }

  net::Response Notify(const net::Request& req, std::string_view path) {
    const std::string received_at = Rfc3339Millis(std::chrono::system_clock::now());
    boost::system::error_code ec;
    json::value payload = json::parse(req.body(), ec);
    std::string problem = ec ? "body: not JSON (" + ec.message() + ")" : CheckAlertPayload(payload);
    if (!problem.empty()) {
      spdlog::warn("alert-receiver: POST {}: 400: {}", path, problem);
      return JsonError(http::status::bad_request, std::move(problem));
    }
    const std::string lines = FormatAlertLines(payload.get_object(), received_at);
    std::fwrite(lines.data(), 1, lines.size(), stdout);
    std::fflush(stdout);

    const size_t alerts = payload.get_object().at("alerts").get_array().size();
    json::object notification{{"received_at", received_at}, {"payload", std::move(payload)}};
    if (log_) {
      *log_ << json::serialize(notification) << '\n';
      log_->flush();
      if (!*log_) {
        spdlog::error("alert-receiver: cannot write to the log: {}", std::strerror(errno));
        log_->clear();  // try again with the next notification
      }
    }
    kept_.push_back(std::move(notification));
    if (kept_.size() > kKeptNotifications) kept_.pop_front();
    return net::JsonResponse(http::status::ok, json::object{{"alerts", alerts}});
  }

  json::array Notifications() const {
    json::array out;
    out.reserve(kept_.size());
    for (const json::object& n : kept_) out.emplace_back(n);
    return out;
  }

  std::ofstream* log_;             // null without --log
  std::deque<json::object> kept_;  // oldest first, at most kKeptNotifications
};

asio::awaitable<net::Response> Answer(Receiver* receiver, const net::Request& req) {
  co_return receiver->Handle(req);
}

}  // namespace

std::string CheckAlertPayload(const json::value& payload) {
  if (!payload.is_object()) return "body: expected a JSON object";
  const json::value* alerts = payload.get_object().if_contains("alerts");
  if (!alerts) return "alerts: missing (expected an array)";
  if (!alerts->is_array()) return "alerts: expected an array";
  const json::array& list = alerts->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = "alerts[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return where + ": expected an object";
    const json::object& alert = list[i].get_object();
    const json::value* status = alert.if_contains("status");
    if (!status) return where + ".status: missing (expected a string)";
    if (!status->is_string()) return where + ".status: expected a string";
    if (status->get_string() != "firing" && status->get_string() != "resolved") {
      return where + ".status: expected \"firing\" or \"resolved\", got " +
             json::serialize(*status);
    }
    const json::value* labels = alert.if_contains("labels");
    if (!labels) return where + ".labels: missing (expected an object)";
    if (!labels->is_object()) return where + ".labels: expected an object";
    for (const auto& [name, value] : labels->get_object()) {
      if (!value.is_string()) {
        return where + ".labels." + std::string(name) + ": expected a string";
      }
    }
  }
  return "";
}

std::string FormatAlertLines(const json::object& payload, std::string_view received_at) {
  const std::string_view receiver = StringField(payload, "receiver");
  std::string out;
  for (const json::value& entry : payload.at("alerts").get_array()) {
    const json::object& alert = entry.get_object();
    std::vector<std::pair<std::string_view, std::string_view>> labels;
    for (const auto& [name, value] : alert.at("labels").get_object()) {
      labels.emplace_back(name, value.get_string());
    }
    std::sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) {
      return std::pair(LabelRank(a.first), a.first) < std::pair(LabelRank(b.first), b.first);
    });

    std::string status = Upper(StringField(alert, "status"));
    status.resize(std::max<size_t>(status.size(), 8), ' ');
    out.append(received_at).append(" ").append(status).append(" ");
    if (labels.empty() || labels.front().first != "alertname") out += "(no alertname)";
    for (const auto& [name, value] : labels) {
      if (name == "alertname") {
        out += Word(value);  // first when present
      } else {
        out.append(" ").append(name).append("=").append(Word(value));
      }
    }

    std::vector<std::string> context;
    if (!receiver.empty()) context.push_back("receiver " + Word(receiver));
    if (auto since = StringField(alert, "startsAt"); !since.empty()) {
      context.push_back("since " + std::string(since));
    }
    if (auto ended = StringField(alert, "endsAt");
        !ended.empty() && status.starts_with("RESOLVED")) {
      context.push_back("ended " + std::string(ended));
    }
    for (size_t i = 0; i < context.size(); ++i) out.append(i == 0 ? " (" : ", ").append(context[i]);
    out += context.empty() ? "\n" : ")\n";
  }
  return out;
}

int CommandAlertReceiver(const AlertReceiverOptions& options) {
  fault_proxy::HostPort where;
  if (fault_proxy::ApiError e = fault_proxy::ParseListenAddress(options.listen, &where); !e.ok()) {
    std::fprintf(stderr, "sonde alert-receiver: --listen: %s\n", e.message.c_str());
    return 2;
  }
  std::ofstream log;
  if (!options.log_file.empty()) {
    log.open(options.log_file, std::ios::app | std::ios::binary);
    if (!log) {
      std::fprintf(stderr, "sonde alert-receiver: cannot open --log %s: %s\n",
                   options.log_file.c_str(), std::strerror(errno));
      return 2;
    }
  }

  asio::io_context io(1);
  Receiver receiver(log.is_open() ? &log : nullptr);
  net::HttpServer server(
      io.get_executor(), [&receiver](const net::Request& req) { return Answer(&receiver, req); },
      ServerOptions());
  // Caught from here on, so a signal during start-up also ends with 0.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  if (auto problem = server.Listen(where.host, where.port)) {
    std::fprintf(stderr, "sonde alert-receiver: %s\n", problem->c_str());
    return 2;
  }
  std::printf("alert-receiver: listening on http://%s\n",
              fault_proxy::JoinHostPort(where.host, server.port()).c_str());
  std::fflush(stdout);

  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("alert-receiver: signal {}, shutting down", signal);
    // Closing the sockets cancels every wait; the handlers that queues run
    // before the stop below, so the connections' coroutines unwind.
    server.Stop();
    asio::post(io, [&io] { io.stop(); });
  });
  io.run();
  return 0;
}

}  // namespace sonde
