#include "config/step_parser.h"

#include <algorithm>
#include <cctype>

#include "config/expect_parser.h"
#include "config/fields.h"
#include "config/policy_parser.h"
#include "config/poll_parser.h"

namespace sonde {
namespace {

// The keys that hold a step's action, one per kind; probes/ maps each kind to
// its prober. A step has exactly one.
constexpr std::string_view kActionKeys[] = {"http", "sleep", "tcp", "tls"};

constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                         "PATCH", "DELETE", "OPTIONS"};

bool Before(const toml::node& a, const toml::node& b) {
  SourceLocation x = Where(a), y = Where(b);
  return x.line != y.line ? x.line < y.line : x.column < y.column;
}

void ParseMethod(TableReader& r, HttpStep& http) {
  std::optional<std::string> method = r.String("method");
  if (!method) return;
  std::string upper = *method;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (std::find(std::begin(kMethods), std::end(kMethods), upper) == std::end(kMethods)) {
    r.Error(Where(*r.table().get("method")),
            "unknown HTTP method \"" + *method +
                "\" (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)");
    return;
  }
  http.method = upper;
}

// `body` and `json` both fill HttpStep::body; `json` also sets the type.
void ParseBody(TableReader& r, HttpStep& http, std::vector<VariableUse>* uses) {
  std::optional<Template> body = r.ReadTemplate("body", uses);
  std::optional<Template> json = r.ReadTemplate("json", uses);
  const toml::node* body_node = r.table().get("body");
  const toml::node* json_node = r.table().get("json");
  if (body_node && json_node) {
    const toml::node& later = Before(*body_node, *json_node) ? *json_node : *body_node;
    r.Error(Where(later), "\"body\" and \"json\" are mutually exclusive");
  }
  if (json) {
    http.body = std::move(*json);
    http.content_type = "application/json";
  } else if (body) {
    http.body = std::move(*body);
  }
}

HttpStep ParseHttp(ParseContext& ctx, const toml::table& table, const std::string& path,
                   std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path,
                {"method", "path", "headers", "body", "json", "max_response_bytes"});
  HttpStep http;
  ParseMethod(r, http);
  if (std::optional<Template> p = r.ReadTemplate("path", uses, /*required=*/true)) {
    if (!p->source().starts_with('/')) {
      r.Error(Where(*table.get("path")),
              "\"path\" must start with '/', got \"" + p->source() + "\"");
    }
    http.path = std::move(*p);
  }
  http.headers = ParseHeaders(r, uses);
  ParseBody(r, http, uses);
  if (std::optional<int64_t> max = r.Integer("max_response_bytes")) {
    if (*max <= 0) {
      r.Error(Where(*table.get("max_response_bytes")),
              "\"max_response_bytes\" must be positive, got " + std::to_string(*max));
    } else {
      http.max_response_bytes = static_cast<size_t>(*max);
    }
  }
  return http;
}

std::vector<Extraction> ParseExtract(TableReader& r) {
  std::vector<Extraction> out;
  const toml::table* table = r.Table("extract");
  if (!table) return out;
  for (auto [key, node] : InFileOrder(*table)) {
    const std::string name(key->str());
    if (!IsVariableName(name, /*allow_dash=*/false)) {
      r.Error(Where(*key),
              "bad variable name \"" + name + "\" in \"extract\": use [A-Za-z_][A-Za-z0-9_]*");
    }
    if (!node->is_string()) {
      r.WrongType(*node, "extract." + name, "a string (a JSON pointer)");
      continue;
    }
    const std::string& pointer = node->as_string()->get();
    if (auto why = JsonPointerError(pointer)) r.Error(Where(*node), "\"extract\": " + *why);
    out.push_back({name, pointer, Where(*key)});
  }
  return out;
}

// An optional `port`: 1..65535; 0 (absent) means the target URL's port.
uint16_t ReadPort(TableReader& r) {
  std::optional<int64_t> port = r.Integer("port");
  if (!port) return 0;
  if (*port < 1 || *port > 65535) {
    r.Error(Where(*r.table().get("port")),
            "\"port\" must be 1..65535, got " + std::to_string(*port));
    return 0;
  }
  return static_cast<uint16_t>(*port);
}

void ParseAction(TableReader& r, ParsedStep& out) {
  const toml::node* found = nullptr;
  for (auto [key, node] : InFileOrder(r.table())) {
    if (std::find(std::begin(kActionKeys), std::end(kActionKeys), key->str()) ==
        std::end(kActionKeys)) {
      continue;
    }
    if (found) {
      r.Error(Where(*node), "a step has exactly one action, but \"" + std::string(key->str()) +
                                "\" follows \"" + out.step.kind + "\"");
      continue;
    }
    found = node;
    out.step.kind = std::string(key->str());
  }
  if (!found) {
    r.ctx().diags.Add(r.where(), r.path() + " has no action (add http, tcp, tls or sleep)");
    return;
  }
  if (out.step.kind == "http") {
    if (const toml::table* http = r.Table("http")) {
      out.step.action = ParseHttp(r.ctx(), *http, r.PathOf("http"), &out.uses);
    }
  } else if (out.step.kind == "sleep") {
    out.step.action = SleepStep{r.ReadDuration("sleep").value_or(Duration{})};
  } else if (out.step.kind == "tcp") {
    if (const toml::table* tcp = r.Table("tcp")) {
      TableReader t(r.ctx(), *tcp, r.PathOf("tcp"), r.PathOf("tcp"), {"port"});
      out.step.action = TcpStep{ReadPort(t)};
    }
  } else if (out.step.kind == "tls") {
    if (const toml::table* tls = r.Table("tls")) {
      TableReader t(r.ctx(), *tls, r.PathOf("tls"), r.PathOf("tls"), {"port", "server_name"});
      out.step.action = TlsStep{ReadPort(t), t.String("server_name").value_or("")};
    }
  }
}

}  // namespace

ParsedStep ParseStep(ParseContext& ctx, const toml::table& table, const std::string& path) {
  TableReader r(ctx, table, path, path,
                {"name", "timeout", "http", "sleep", "tcp", "tls", "expect", "extract", "retry",
                 "poll", "until", "degraded_after", "fail_after"});
  ParsedStep out;
  out.step.where = Where(table);
  if (std::optional<std::string> name = r.String("name", /*required=*/true)) {
    out.name_node = table.get("name");
    if (!IsMetricName(*name)) {
      r.Error(Where(*out.name_node),
              "bad step name \"" + *name + "\": use [a-z][a-z0-9_]* (it becomes a metric label)");
    }
    out.step.name = *name;
  }
  out.step.timeout = r.ReadDuration("timeout");
  ParseAction(r, out);
  out.step.poll = ParsePoll(r, &out.uses);
  if (out.step.kind == "sleep") {
    for (std::string_view key : {"expect", "extract", "retry", "poll"}) {
      if (const toml::node* node = table.get(key)) {
        r.Error(Where(*node),
                "a \"sleep\" step has no response: \"" + std::string(key) + "\" does not apply");
      }
    }
  }
  if (const toml::table* retry = r.Table("retry")) {
    out.step.retry = ParseRetry(ctx, *retry, r.PathOf("retry"));
  }
  Thresholds thresholds = ParseThresholds(r, out.step.timeout);
  out.step.degraded_after = thresholds.degraded_after;
  out.step.fail_after = thresholds.fail_after;
  if (const toml::table* expect = r.Table("expect")) {
    out.step.expect = ParseExpect(ctx, *expect, r.PathOf("expect"));
  }
  out.step.extract = ParseExtract(r);
  return out;
}

}  // namespace sonde
