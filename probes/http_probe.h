// The `http` step kind: one HTTP(S) request to target_url + path, with the
// group's headers, then the step's own (a step header overrides a group one
// of the same name). The helpers below are shared with the other kinds that
// speak HTTP (jsonrpc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeHttp(ProbeEnv& env, const ProbeRequest& request);

// Fills `out` with method, URL (target + rendered path) and headers (the
// group's, then `headers`). On an unknown variable, sets an internal failure
// in `result` and returns false.
bool PrepareHttpRequest(const ProbeRequest& request, const std::string& method,
                        const Template& path, const std::vector<Header>& headers, HttpRequest& out,
                        ProbeResult& result);

// Sets or replaces a header, case-insensitively.
void SetHeader(std::vector<std::pair<std::string, std::string>>& headers, std::string name,
               std::string value);

// Sends `http` within the request's deadline, with the group's TLS options,
// and turns the response into a ProbeResult.
boost::asio::awaitable<ProbeResult> SendHttp(ProbeEnv& env, const ProbeRequest& request,
                                             HttpRequest http);

}  // namespace sonde
