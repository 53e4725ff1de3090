#include "probes/chain_value.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/json_answer.h"
#include "probes/http_probe.h"
#include "probes/jsonrpc_probe.h"

namespace sonde {
namespace {

// The request for `source`: a GET, or a JSON-RPC call made by the jsonrpc
// prober itself (same envelope checks, same error reasons).
boost::asio::awaitable<ProbeResult> Fetch(ProbeEnv& env, const ProbeRequest& request,
                                          const HeightSource& source) {
  if (!source.rpc_method.empty()) {
    Step step;
    step.name = request.step.name;
    step.kind = "jsonrpc";
    JsonRpcStep rpc;
    rpc.method = source.rpc_method;
    rpc.params = source.rpc_params;
    step.action = std::move(rpc);
    ProbeRequest call{step, request.group, request.target_url, request.vars, request.deadline,
                      request.keys};
    co_return co_await ProbeJsonRpc(env, call);
  }
  ProbeResult result;
  HttpRequest http;
  if (!PrepareHttpRequest(request, "GET", source.path, {}, http, result)) co_return result;
  co_return co_await SendHttp(env, request, std::move(http));
}

}  // namespace

boost::asio::awaitable<IntegerRead> ReadChainInteger(ProbeEnv& env, const ProbeRequest& request,
                                                     const HeightSource& source,
                                                     std::string_view what) {
  IntegerRead out;
  ProbeResult r = co_await Fetch(env, request, source);
  if (r.failure != Reason::kNone) {
    out.failure = r.failure;
    out.detail = "reading the " + std::string(what) + ": " + r.detail;
    co_return out;
  }
  boost::system::error_code ec;
  boost::json::value doc = ParseAnswer(r.body, ec);
  const boost::json::value* v = ec ? nullptr : doc.find_pointer(source.pointer, ec);
  if (v && v->is_int64()) {
    out.value = Int256(v->get_int64());
  } else if (v && v->is_uint64()) {
    out.value = Int256(v->get_uint64());
  } else if (v && v->is_string()) {
    out.value = ParseInteger(v->get_string());
  }
  if (!out.value) {
    std::string found = "nothing";
    if (v) {
      found = boost::json::serialize(*v);
      if (found.size() > 80) found = found.substr(0, 80) + "...";
    }
    out.failure = Reason::kInvalidResponse;
    out.detail = "reading the " + std::string(what) + ": no integer at \"" + source.pointer +
                 "\" (found " + found + ", HTTP " + std::to_string(r.status) + ")";
  }
  co_return out;
}

}  // namespace sonde
