#include "chaos/proxy/wire.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

namespace sonde::fault_proxy {

namespace json = boost::json;

namespace {

ApiError StringField(const json::object& o, const char* key, std::string* out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return {};
  if (!v->is_string())
    return BadRequest(std::string("bad request body: ") + key + " must be a string");
  *out = std::string(v->get_string());
  return {};
}

ApiError ParseFields(const json::value& body, ProxyConfig* config) {
  if (!body.is_object()) return BadRequest("bad request body: expected a JSON object");
  const json::object& o = body.get_object();
  ProxyConfig c = *config;
  if (auto e = StringField(o, "name", &c.name); !e.ok()) return e;
  if (auto e = StringField(o, "listen", &c.listen); !e.ok()) return e;
  if (auto e = StringField(o, "upstream", &c.upstream); !e.ok()) return e;
  if (const json::value* v = o.if_contains("enabled"); v && !v->is_null()) {
    if (!v->is_bool()) return BadRequest("bad request body: enabled must be true or false");
    c.enabled = v->get_bool();
  }
  *config = std::move(c);
  return {};
}

void Write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      break;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
      out += std::to_string(v.get_int64());
      break;
    case json::kind::uint64:
      out += std::to_string(v.get_uint64());
      break;
    case json::kind::double_: {
      char text[32];
      out.append(text, std::to_chars(text, text + sizeof(text), v.get_double()).ptr);
      break;
    }
    case json::kind::string:
      out += json::serialize(v.get_string());
      break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(e, out);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, e] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        Write(e, out);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

json::value ToJson(const Proxy& proxy) {
  json::array toxics;
  for (const Toxic* t : proxy.toxics()) toxics.push_back(ToJson(*t));
  json::object o;
  o["name"] = proxy.name();
  o["listen"] = proxy.listen();
  o["upstream"] = proxy.upstream();
  o["enabled"] = proxy.enabled();
  o["toxics"] = std::move(toxics);
  return o;
}

std::string ErrorBody(const ApiError& error) {
  json::object o;
  o["error"] = error.message;
  o["status"] = error.status;
  return ToText(o) + "\n";
}

ApiError ParseProxyConfig(const json::value& body, ProxyConfig* out) {
  ProxyConfig config;  // enabled unless told otherwise
  if (auto e = ParseFields(body, &config); !e.ok()) return e;
  *out = std::move(config);
  return {};
}

ApiError ParseProxyUpdate(const json::value& body, ProxyConfig* config) {
  return ParseFields(body, config);
}

ApiError ParseProxyList(const json::value& body, std::vector<ProxyConfig>* out) {
  if (!body.is_array()) return BadRequest("bad request body: expected a JSON array of proxies");
  std::vector<ProxyConfig> configs;
  for (size_t i = 0; i < body.get_array().size(); ++i) {
    ProxyConfig config;
    if (auto e = ParseProxyConfig(body.get_array()[i], &config); !e.ok()) {
      return {e.status, e.message + " at proxy " + std::to_string(i + 1)};
    }
    configs.push_back(std::move(config));
  }
  *out = std::move(configs);
  return {};
}

std::string ToText(const json::value& value) {
  std::string out;
  Write(value, out);
  return out;
}

}  // namespace sonde::fault_proxy
