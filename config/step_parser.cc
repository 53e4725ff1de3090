#include "config/step_parser.h"

#include <algorithm>
#include <cctype>

#include "config/action_parser.h"
#include "config/expect_parser.h"
#include "config/fields.h"
#include "config/policy_parser.h"
#include "config/poll_parser.h"

namespace sonde {
namespace {

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

}  // namespace

ParsedStep ParseStep(ParseContext& ctx, const toml::table& table, const std::string& path) {
  TableReader r(
      ctx, table, path, path,
      {"name", "timeout", "http", "jsonrpc", "sign", "frost", "wallet", "sleep", "tcp", "tls",
       "expect", "extract", "retry", "poll", "until", "degraded_after", "fail_after"});
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
  if (!out.step.kind.empty() && !HasResponse(out.step.kind)) {
    for (std::string_view key : {"expect", "extract", "poll"}) {
      if (const toml::node* node = table.get(key)) {
        r.Error(Where(*node), "a \"" + out.step.kind + "\" step has no response: \"" +
                                  std::string(key) + "\" does not apply");
      }
    }
  }
  if (const toml::node* node = table.get("retry"); node && out.step.kind == "sleep") {
    r.Error(Where(*node), "a \"sleep\" step fails only by timing out: \"retry\" does not apply");
  }
  if (const toml::table* retry = r.Table("retry")) {
    out.step.retry = ParseRetry(ctx, *retry, r.PathOf("retry"));
  }
  Thresholds thresholds = ParseThresholds(r, out.step.timeout);
  out.step.degraded_after = thresholds.degraded_after;
  out.step.fail_after = thresholds.fail_after;
  if (const toml::table* expect = r.Table("expect")) {
    out.step.expect = ParseExpect(ctx, *expect, r.PathOf("expect"), &out.uses);
  }
  out.step.extract = ParseExtract(r);
  if (const auto* sign = std::get_if<SignStep>(&out.step.action)) {
    // What a sign step gives becomes variables, before any explicit
    // extraction: the signature as `into`, or an EVM transaction's raw
    // bytes and hash.
    if (sign->message == SignStep::Message::kEvmTx) {
      out.step.extract.insert(out.step.extract.begin(),
                              {{"raw_tx", "/raw_tx", out.step.where},
                               {"tx_hash", "/tx_hash", out.step.where}});
    } else {
      out.step.extract.insert(out.step.extract.begin(),
                              {sign->into, "/signature", out.step.where});
    }
  }
  return out;
}

}  // namespace sonde
