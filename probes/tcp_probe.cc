#include "probes/tcp_probe.h"

#include "probes/socket_connect.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeTcp(ProbeEnv&, const ProbeRequest& request) {
  const TcpStep& spec = std::get<TcpStep>(request.step.action);
  ProbeResult result;
  std::string error;
  std::optional<HostPort> where = HostPortOf(request.target_url, spec.port, &error);
  if (!where) {
    result.failure = Reason::kInternal;
    result.detail = error;
    co_return result;
  }
  Connection c = co_await ConnectTcp(*where, request.deadline);
  result.failure = c.failure;
  result.detail = std::move(c.detail);
  result.has_phases = true;
  result.phases.resolve = c.resolve;
  result.phases.connect = c.connect;
  result.phases.total = c.resolve + c.connect;
  if (c.socket) {
    boost::system::error_code ignored;
    c.socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  }
  co_return result;
}

}  // namespace sonde
