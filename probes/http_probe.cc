#include "probes/http_probe.h"

#include <algorithm>
#include <cctype>

namespace sonde {
namespace {

bool SameHeaderName(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Renders a template; on an unknown variable fills `result` with an internal
// failure (the loader checks variables, so this means a bug, not bad input).
bool RenderInto(const Template& t, const Template::Lookup& vars, std::string& out,
                ProbeResult& result) {
  std::string missing;
  if (t.Render(vars, out, &missing)) return true;
  result.failure = Reason::kInternal;
  result.detail = "template uses unknown variable \"" + missing + "\"";
  return false;
}

}  // namespace

void SetHeader(std::vector<std::pair<std::string, std::string>>& headers, std::string name,
               std::string value) {
  for (auto& [n, v] : headers) {
    if (SameHeaderName(n, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

bool PrepareHttpRequest(const ProbeRequest& request, const std::string& method,
                        const Template& path, const std::vector<Header>& headers, HttpRequest& out,
                        ProbeResult& result) {
  out.method = method;
  out.url = request.target_url;
  if (!RenderInto(path, request.vars, out.url, result)) return false;
  for (const std::vector<Header>* list : {&request.group.headers, &headers}) {
    for (const Header& h : *list) {
      std::string value;
      if (!RenderInto(h.value, request.vars, value, result)) return false;
      SetHeader(out.headers, h.name, std::move(value));
    }
  }
  return true;
}

boost::asio::awaitable<ProbeResult> SendHttp(ProbeEnv& env, const ProbeRequest& request,
                                             HttpRequest http) {
  ProbeResult result;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      request.deadline - std::chrono::steady_clock::now());
  if (left <= std::chrono::milliseconds(0)) {
    result.failure = Reason::kTimeout;
    result.detail = "no time left before the step's deadline";
    co_return result;
  }
  http.timeout = left;
  const TlsOptions& tls = request.group.tls;
  http.tls = {tls.insecure_skip_verify, tls.ca_file, tls.cert_file, tls.key_file};

  HttpResponse response = co_await env.http.Fetch(std::move(http));
  result.failure = response.failure;
  result.detail = std::move(response.error);
  result.status = response.status;
  result.headers = std::move(response.headers);
  result.body = std::move(response.body);
  result.phases = response.phases;
  result.has_phases = true;
  co_return result;
}

boost::asio::awaitable<ProbeResult> ProbeHttp(ProbeEnv& env, const ProbeRequest& request) {
  const HttpStep& spec = std::get<HttpStep>(request.step.action);
  ProbeResult result;
  HttpRequest http;
  if (!PrepareHttpRequest(request, spec.method, spec.path, spec.headers, http, result)) {
    co_return result;
  }
  if (!spec.content_type.empty()) SetHeader(http.headers, "Content-Type", spec.content_type);
  if (!RenderInto(spec.body, request.vars, http.body, result)) co_return result;
  http.max_response_bytes = spec.max_response_bytes;
  co_return co_await SendHttp(env, request, std::move(http));
}

}  // namespace sonde
