// Checks for the small value syntaxes of the config (names, JSON pointers,
// header tables) shared by the target and journey parsers.
// Internal to config/; thread-safe: pure functions except where a reader is
// passed in.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"
#include "config/table_reader.h"

namespace sonde {

// Variables every template may use; the runner supplies them per request.
inline constexpr std::array<std::string_view, 3> kBuiltinVariables = {"target.url", "target.group",
                                                                      "journey.name"};

bool IsBuiltinVariable(std::string_view name);

// [a-z][a-z0-9_]*: journey and step names, which end up in metric labels.
bool IsMetricName(std::string_view s);
// [A-Za-z0-9_-]+: target group names.
bool IsGroupName(std::string_view s);
// [A-Za-z_][A-Za-z0-9_]*, or with '-' too when `allow_dash` (vars keys, which
// a template can spell as ${vars.api-key}).
bool IsVariableName(std::string_view s, bool allow_dash);
// [A-Za-z0-9_.:-]*: the `location` label value.
bool IsLabelValue(std::string_view s);

// Why `pointer` is not an RFC 6901 JSON pointer, or nullopt if it is one.
std::optional<std::string> JsonPointerError(std::string_view pointer);

// Reads the optional `headers = { Name = "template" }` of the reader's table,
// in file order. Reports bad names, non-string values, line breaks and
// malformed templates; records each variable used in `uses`.
std::vector<Header> ParseHeaders(TableReader& owner, std::vector<VariableUse>* uses);

}  // namespace sonde
