#include "config/fields.h"

#include <algorithm>

namespace sonde {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsLower(c) || IsUpper(c) || IsDigit(c); }

template <typename Pred>
bool All(std::string_view s, Pred pred) {
  return std::all_of(s.begin(), s.end(), pred);
}

// RFC 9110 "token": what an HTTP header name may be made of.
bool IsTokenChar(char c) {
  return IsAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

bool IsBuiltinVariable(std::string_view name) {
  return std::find(kBuiltinVariables.begin(), kBuiltinVariables.end(), name) !=
         kBuiltinVariables.end();
}

bool IsMetricName(std::string_view s) {
  return !s.empty() && IsLower(s[0]) &&
         All(s, [](char c) { return IsLower(c) || IsDigit(c) || c == '_'; });
}

bool IsGroupName(std::string_view s) {
  return !s.empty() && All(s, [](char c) { return IsAlnum(c) || c == '_' || c == '-'; });
}

bool IsVariableName(std::string_view s, bool allow_dash) {
  if (s.empty() || IsDigit(s[0]) || s[0] == '-') return false;
  return All(s, [&](char c) { return IsAlnum(c) || c == '_' || (allow_dash && c == '-'); });
}

bool IsLabelValue(std::string_view s) {
  return All(s, [](char c) {
    return IsAlnum(c) || std::string_view("_.:-").find(c) != std::string_view::npos;
  });
}

std::optional<std::string> JsonPointerError(std::string_view pointer) {
  const std::string quoted = "\"" + std::string(pointer) + "\"";
  if (!pointer.empty() && pointer[0] != '/') {
    return "bad JSON pointer " + quoted + ": must be \"\" or start with '/'";
  }
  for (size_t i = 0; i < pointer.size(); ++i) {
    if (pointer[i] == '~' &&
        (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))) {
      return "bad JSON pointer " + quoted + ": '~' must be followed by 0 or 1";
    }
  }
  return std::nullopt;
}

std::vector<Header> ParseHeaders(TableReader& owner, std::vector<VariableUse>* uses) {
  std::vector<Header> headers;
  const toml::table* table = owner.Table("headers");
  if (!table) return headers;
  for (auto [key, node] : InFileOrder(*table)) {
    const std::string name(key->str());
    const std::string field = "headers." + name;
    if (name.empty() || !All(name, IsTokenChar)) {
      owner.Error(Where(*key), "bad header name \"" + name + "\"");
    }
    if (!node->is_string()) {
      owner.WrongType(*node, field, "a string");
      continue;
    }
    if (node->as_string()->get().find_first_of("\r\n") != std::string::npos) {
      owner.Error(Where(*node), "\"" + field + "\" must not contain a line break");
    }
    std::optional<Template> value =
        CompileTemplate(owner.ctx(), *node, owner.path() + ": \"" + field + "\"", uses);
    if (value) headers.push_back({name, std::move(*value)});
  }
  return headers;
}

}  // namespace sonde
