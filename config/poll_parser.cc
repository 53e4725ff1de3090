#include "config/poll_parser.h"

#include "config/action_parser.h"
#include "config/expect_parser.h"
#include "config/fields.h"

namespace sonde {

std::optional<HeightSource> ParseHeight(ParseContext& ctx, const toml::table& table,
                                        const std::string& path, std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path, {"path", "jsonrpc", "pointer"});
  HeightSource height;
  const toml::node* path_node = table.get("path");
  const toml::node* rpc_node = table.get("jsonrpc");
  if (path_node && rpc_node) {
    r.Error(Where(*rpc_node), "give \"path\" (a GET) or \"jsonrpc\" (a call), not both");
  } else if (!path_node && !rpc_node) {
    r.Error(Where(table),
            "give \"path\" (a GET, e.g. \"/v1/head\") or \"jsonrpc\" = { method, params } "
            "(e.g. { method = \"eth_blockNumber\" })");
  }
  bool ok = true;
  if (path_node) {
    std::optional<Template> p = r.ReadTemplate("path", uses);
    if (p && !p->source().starts_with('/')) {
      r.Error(Where(*path_node), "\"path\" must start with '/', got \"" + p->source() + "\"");
    }
    if (p) height.path = std::move(*p);
    ok = ok && p.has_value();
  }
  if (const toml::table* rpc = rpc_node ? r.Table("jsonrpc") : nullptr) {
    const std::string rpc_path = r.PathOf("jsonrpc");
    TableReader c(ctx, *rpc, rpc_path, rpc_path, {"method", "params"});
    std::optional<std::string> method = c.String("method", /*required=*/true);
    if (method && method->empty()) c.Error(Where(*rpc->get("method")), "\"method\" must not be empty");
    if (method) height.rpc_method = *method;
    ok = ok && method && !method->empty();
    if (const toml::node* params = c.Get("params")) {
      if (!params->is_array() && !params->is_table()) {
        c.WrongType(*params, "params", "an array or a table (JSON-RPC 2.0 by-position or by-name)");
        ok = false;
      } else if (auto p = ToJsonTemplate(c, *params, "params", uses)) {
        height.rpc_params = std::move(*p);
      }
    }
  } else if (rpc_node) {
    ok = false;
  }
  std::optional<std::string> pointer = r.String("pointer", /*required=*/true);
  if (pointer) {
    if (auto why = JsonPointerError(*pointer)) r.Error(Where(*table.get("pointer")), *why);
  }
  if (!ok || !pointer) return std::nullopt;
  height.pointer = std::move(*pointer);
  return height;
}

std::optional<PollSpec> ParsePoll(TableReader& step, std::vector<VariableUse>* uses) {
  const toml::table* table = step.Table("poll");
  const toml::node* until = step.Get("until");
  if (!table) {
    if (until) step.Error(Where(*until), "\"until\" needs a \"poll\" table");
    return std::nullopt;
  }
  const std::string path = step.PathOf("poll");
  TableReader r(step.ctx(), *table, path, path, {"every", "within", "within_blocks", "height"});
  PollSpec poll;
  if (std::optional<Duration> every = r.ReadDuration("every", /*required=*/true))
    poll.every = *every;
  poll.within = r.ReadDuration("within");
  if (std::optional<int64_t> blocks = r.Integer("within_blocks")) {
    if (*blocks < 1) {
      r.Error(Where(*table->get("within_blocks")),
              "\"within_blocks\" must be at least 1, got " + std::to_string(*blocks));
    }
    poll.within_blocks = *blocks;
  }
  if (const toml::table* height = r.Table("height")) {
    poll.height = ParseHeight(step.ctx(), *height, r.PathOf("height"), uses);
  }
  if (!poll.within && !table->get("within_blocks")) {
    r.Error(Where(*table), "give \"within\" (a duration) or \"within_blocks\" (a block count)");
  }
  if (table->get("within_blocks") && !table->get("height")) {
    r.Error(Where(*table->get("within_blocks")),
            "\"within_blocks\" needs \"height\" = { path | jsonrpc, pointer } to read the chain height");
  }
  if (!until) {
    step.Error(Where(*table), "\"poll\" needs \"until\" = { \"/pointer\" = value, ... }");
  } else {
    poll.until = ParseJsonChecks(step, "until", uses);
    if (poll.until.empty() && until->is_table()) {
      step.Error(Where(*until), "\"until\" must not be empty");
    }
  }
  return poll;
}

}  // namespace sonde
