// Parses one [[journey.NAME.step]] table: its action (today only `http`),
// `expect` and `extract`. Internal to config/; not thread-safe.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

struct ParsedStep {
  Step step;
  // Variables its templates use, checked by the journey once every step's
  // extractions are known.
  std::vector<VariableUse> uses;
  const toml::node* name_node = nullptr;  // for duplicate-name messages
};

// `path` names the step in messages, e.g. "journey.tx.step[2]".
ParsedStep ParseStep(ParseContext& ctx, const toml::table& table, const std::string& path);

}  // namespace sonde
