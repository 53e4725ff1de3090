#include "probes/jsonrpc_probe.h"

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/json_answer.h"
#include "probes/http_probe.h"

namespace sonde {
namespace {

namespace json = boost::json;

// Request ids: unique within the process, so a response can't be matched to
// the wrong call even when calls to one endpoint overlap.
std::atomic<int64_t> g_next_id{1};

// JsonTemplate -> JSON, strings rendered (and escaped by the serializer).
bool Render(const JsonTemplate& t, const Template::Lookup& vars, json::value& out,
            std::string& missing) {
  switch (t.kind) {
    case JsonTemplate::Kind::kNull:
      out = nullptr;
      return true;
    case JsonTemplate::Kind::kBool:
      out = t.boolean;
      return true;
    case JsonTemplate::Kind::kInteger:
      out = t.integer;
      return true;
    case JsonTemplate::Kind::kDouble:
      out = t.number;
      return true;
    case JsonTemplate::Kind::kString: {
      std::string text;
      if (!t.text.Render(vars, text, &missing)) return false;
      out = json::string(text);
      return true;
    }
    case JsonTemplate::Kind::kArray: {
      json::array a;
      for (const JsonTemplate& item : t.items) {
        if (!Render(item, vars, a.emplace_back(nullptr), missing)) return false;
      }
      out = std::move(a);
      return true;
    }
    case JsonTemplate::Kind::kObject: {
      json::object o;
      for (const auto& [key, member] : t.members) {
        if (!Render(member, vars, o[key], missing)) return false;
      }
      out = std::move(o);
      return true;
    }
  }
  return false;
}

// Judges a JSON-RPC 2.0 response for call `id`; leaves `result` untouched
// when it is a good one.
void Judge(int64_t id, ProbeResult& result) {
  boost::system::error_code ec;
  json::value doc = ParseAnswer(result.body, ec);
  if (ec || !doc.is_object()) {
    result.failure = Reason::kInvalidResponse;
    result.detail = "not a JSON-RPC response (" + (ec ? ec.message() : "not an object") + ")";
    return;
  }
  const json::object& o = doc.get_object();
  if (const json::value* error = o.if_contains("error"); error && !error->is_null()) {
    result.failure = Reason::kRpcError;
    const json::value* code =
        error->is_object() ? error->get_object().if_contains("code") : nullptr;
    const json::value* message =
        error->is_object() ? error->get_object().if_contains("message") : nullptr;
    if (code && code->is_int64()) result.rpc_error_code = code->get_int64();
    result.detail = "rpc error " + (code ? json::serialize(*code) : std::string("(no code)")) +
                    ": " +
                    (message && message->is_string() ? std::string(message->get_string())
                                                     : json::serialize(*error));
    return;
  }
  const json::value* version = o.if_contains("jsonrpc");
  const json::value* got_id = o.if_contains("id");
  if (!version || !version->is_string() || version->get_string() != "2.0") {
    result.failure = Reason::kInvalidResponse;
    result.detail = "response is not JSON-RPC 2.0 (no \"jsonrpc\": \"2.0\")";
  } else if (!got_id || !got_id->is_int64() || got_id->get_int64() != id) {
    result.failure = Reason::kInvalidResponse;
    result.detail = "response id " + (got_id ? json::serialize(*got_id) : std::string("(none)")) +
                    " does not match request id " + std::to_string(id);
  } else if (!o.contains("result")) {
    result.failure = Reason::kInvalidResponse;
    result.detail = "response has neither \"result\" nor \"error\"";
  }
}

}  // namespace

boost::asio::awaitable<ProbeResult> ProbeJsonRpc(ProbeEnv& env, const ProbeRequest& request) {
  const JsonRpcStep& spec = std::get<JsonRpcStep>(request.step.action);
  ProbeResult result;
  HttpRequest http;
  if (!PrepareHttpRequest(request, "POST", spec.path, spec.headers, http, result)) {
    co_return result;
  }
  SetHeader(http.headers, "Content-Type", "application/json");
  const int64_t id = g_next_id.fetch_add(1);
  json::object call{{"jsonrpc", "2.0"}, {"method", spec.method}, {"id", id}};
  if (spec.params.kind != JsonTemplate::Kind::kNull) {
    std::string missing;
    if (!Render(spec.params, request.vars, call["params"], missing)) {
      result.failure = Reason::kInternal;
      result.detail = "template uses unknown variable \"" + missing + "\"";
      co_return result;
    }
  }
  http.body = json::serialize(call);
  http.max_response_bytes = spec.max_response_bytes;
  result = co_await SendHttp(env, request, std::move(http));
  if (result.failure == Reason::kNone) Judge(id, result);
  co_return result;
}

}  // namespace sonde
