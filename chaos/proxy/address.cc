#include "chaos/proxy/address.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace sonde::fault_proxy {

ApiError ParseHostPort(std::string_view text, std::string_view field, HostPort* out) {
  auto bad = [&](std::string_view why) {
    return BadRequest(std::string(field) + " \"" + std::string(text) + "\" " + std::string(why));
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("is not host:port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("is not host:port (put an IPv6 address in brackets)");
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return bad("has no valid port (0-65535)");
  }
  out->host = std::string(host);
  out->port = static_cast<uint16_t>(value);
  return {};
}

namespace {

// "unix:PATH" into out->unix_path; false when `text` is not a unix address.
bool ParseUnixPath(std::string_view text, std::string_view field, HostPort* out, ApiError* error) {
  if (text.substr(0, kUnixPrefix.size()) != kUnixPrefix) return false;
  const std::string_view path = text.substr(kUnixPrefix.size());
  // sockaddr_un's sun_path holds 108 bytes with the terminating NUL.
  if (path.empty() || path.size() > 107 || path.find('\0') != std::string_view::npos) {
    *error = BadRequest(std::string(field) + " \"" + std::string(text) +
                        "\": a unix socket path must be 1 to 107 bytes");
  } else {
    *out = HostPort{.host = "", .port = 0, .unix_path = std::string(path)};
  }
  return true;
}

}  // namespace

ApiError ParseListenAddress(std::string_view text, HostPort* out) {
  if (ApiError e; ParseUnixPath(text, "listen", out, &e)) return e;
  HostPort hp;
  if (auto e = ParseHostPort(text, "listen", &hp); !e.ok()) return e;
  if (hp.host.empty()) {
    hp.host = "0.0.0.0";
  } else if (hp.host == "localhost") {
    hp.host = "127.0.0.1";
  } else {
    boost::system::error_code ec;
    boost::asio::ip::make_address(hp.host, ec);
    if (ec) {
      return BadRequest("listen \"" + std::string(text) +
                        "\": the host must be an IP address or localhost");
    }
  }
  *out = std::move(hp);
  return {};
}

ApiError ParseUpstreamAddress(std::string_view text, HostPort* out) {
  if (ApiError e; ParseUnixPath(text, "upstream", out, &e)) return e;
  HostPort hp;
  if (auto e = ParseHostPort(text, "upstream", &hp); !e.ok()) return e;
  if (hp.host.empty()) return BadRequest("upstream \"" + std::string(text) + "\" has no host");
  if (hp.port == 0) return BadRequest("upstream \"" + std::string(text) + "\" has port 0");
  *out = std::move(hp);
  return {};
}

std::string JoinHostPort(std::string_view host, uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

}  // namespace sonde::fault_proxy
