#include "config/poll_parser.h"

#include "config/expect_parser.h"
#include "config/fields.h"

namespace sonde {

std::optional<HeightSource> ParseHeight(ParseContext& ctx, const toml::table& table,
                                        const std::string& path, std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path, {"path", "pointer"});
  HeightSource height;
  std::optional<Template> p = r.ReadTemplate("path", uses, /*required=*/true);
  std::optional<std::string> pointer = r.String("pointer", /*required=*/true);
  if (p && !p->source().starts_with('/')) {
    r.Error(Where(*table.get("path")), "\"path\" must start with '/', got \"" + p->source() + "\"");
  }
  if (pointer) {
    if (auto why = JsonPointerError(*pointer)) r.Error(Where(*table.get("pointer")), *why);
  }
  if (!p || !pointer) return std::nullopt;
  height.path = std::move(*p);
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
            "\"within_blocks\" needs \"height\" = { path, pointer } to read the chain height");
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
