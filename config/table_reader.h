// Typed, checked access to one TOML table for the loader. A reader knows the
// table's allowed keys and reports the others on construction; each getter
// reports a wrong type or a missing required key and returns "nothing", so
// the caller keeps its default and goes on to the next field.
// Internal to config/; not thread-safe (one per table, one load at a time).
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/diagnostics.h"
#include "config/model.h"
#include "config/source_text.h"

namespace sonde {

// Everything a parser needs about the file being loaded.
struct ParseContext {
  Diagnostics& diags;
  const SourceText& text;
  // Names under [keys] (parsed before the journeys, which refer to them),
  // and which of them are ephemeral.
  std::vector<std::string> keys;
  std::vector<std::string> ephemeral_keys;
  std::vector<std::string> secp256k1_keys;  // those of type secp256k1 (EVM)
  std::vector<std::string> wallets;  // names under [wallet]
  // The target groups parsed so far (before the journeys).
  const std::map<std::string, TargetGroup>* targets = nullptr;
};

SourceLocation Where(const toml::node& node);
SourceLocation Where(const toml::key& key);

// "string", "integer", "float", "boolean", "table", "array", "date", ...
std::string_view TypeName(const toml::node& node);

// A table's entries in the order they appear in the file (toml++ keeps them
// sorted by key), so the model and its messages follow what the user wrote.
std::vector<std::pair<const toml::key*, const toml::node*>> InFileOrder(const toml::table& table);

// A `${name}` used by a template, and where it is written.
struct VariableUse {
  std::string name;
  SourceLocation where;
};

// Compiles the string `node` as a Template. On a malformed template reports
// it (prefixed by `context`) at the offending character and returns nullopt.
// Appends each variable it uses to `uses` when given.
std::optional<Template> CompileTemplate(ParseContext& ctx, const toml::node& node,
                                        std::string_view context, std::vector<VariableUse>* uses);

class TableReader {
 public:
  // `path` names the table in messages ("journey.tx.step[2].http"; empty for
  // the root); `label` is how a missing-key message names it ("journey
  // \"tx\""); `known` are its allowed keys, the rest are reported here.
  TableReader(ParseContext& ctx, const toml::table& table, std::string path, std::string label,
              std::initializer_list<std::string_view> known);
  // As above, for a table whose keys depend on what it is (a fault's on its
  // kind): an unknown key is reported as not one of `owner`'s ("a kill
  // fault"), with the keys it does take.
  TableReader(ParseContext& ctx, const toml::table& table, std::string path, std::string label,
              const std::vector<std::string_view>& known, std::string_view owner);

  ParseContext& ctx() { return ctx_; }
  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  SourceLocation where() const { return Where(table_); }

  // "path.key", the human name of a field.
  std::string PathOf(std::string_view key) const;

  // The node for `key`, or nullptr; if `required`, reports its absence at the
  // table's own position.
  const toml::node* Get(std::string_view key, bool required = false);

  // Typed getters: nullopt/nullptr when absent or of the wrong type (reported).
  std::optional<std::string> String(std::string_view key, bool required = false);
  std::optional<int64_t> Integer(std::string_view key, bool required = false);
  std::optional<bool> Bool(std::string_view key, bool required = false);
  std::optional<Duration> ReadDuration(std::string_view key, bool required = false);
  const toml::table* Table(std::string_view key, bool required = false);
  const toml::array* Array(std::string_view key, bool required = false);
  // A string or an array of strings (`target = "a"`, `targets = ["a", "b"]`).
  std::vector<std::string> Strings(std::string_view key, bool required = false);
  std::optional<Template> ReadTemplate(std::string_view key, std::vector<VariableUse>* uses,
                                       bool required = false);

  // Reports `message` prefixed with this table's path.
  void Error(SourceLocation at, std::string_view message);
  void WrongType(const toml::node& node, std::string_view key, std::string_view expected);

 private:
  void CheckKeys(const std::vector<std::string_view>& known, std::string_view owner);

  ParseContext& ctx_;
  const toml::table& table_;
  std::string path_;
  std::string label_;
};

// `key` as a segment of a human path: bare if TOML would allow it bare,
// else quoted ("targets.\"bad group\"").
std::string PathSegment(std::string_view key);

// Reports `message` with `path: ` in front (nothing in front for the root).
void ReportAt(ParseContext& ctx, SourceLocation at, std::string_view path,
              std::string_view message);

}  // namespace sonde
