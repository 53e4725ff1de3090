#include "config/table_reader.h"

#include <algorithm>

#include "config/suggest.h"

namespace sonde {

SourceLocation Where(const toml::node& node) {
  return {node.source().begin.line, node.source().begin.column};
}

SourceLocation Where(const toml::key& key) {
  return {key.source().begin.line, key.source().begin.column};
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::vector<std::pair<const toml::key*, const toml::node*>> InFileOrder(const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, node] : table) entries.emplace_back(&key, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    SourceLocation x = Where(*a.first), y = Where(*b.first);
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  return entries;
}

std::string PathSegment(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(key) : "\"" + std::string(key) + "\"";
}

void ReportAt(ParseContext& ctx, SourceLocation at, std::string_view path,
              std::string_view message) {
  std::string text = path.empty() ? "" : std::string(path) + ": ";
  ctx.diags.Add(at, text.append(message));
}

std::optional<Template> CompileTemplate(ParseContext& ctx, const toml::node& node,
                                        std::string_view context, std::vector<VariableUse>* uses) {
  const std::string& text = node.as_string()->get();
  std::string error;
  size_t offset = 0;
  std::optional<Template> compiled = Template::Compile(text, &error, &offset);
  if (!compiled) {
    ctx.diags.Add(ctx.text.Inside(Where(node), text, offset), std::string(context) + ": " + error);
    return std::nullopt;
  }
  if (uses) {
    for (const Template::Segment& s : compiled->segments()) {
      if (s.is_variable) uses->push_back({s.text, ctx.text.Inside(Where(node), text, s.offset)});
    }
  }
  return compiled;
}

TableReader::TableReader(ParseContext& ctx, const toml::table& table, std::string path,
                         std::string label, std::initializer_list<std::string_view> known)
    : ctx_(ctx), table_(table), path_(std::move(path)), label_(std::move(label)) {
  CheckKeys(std::vector<std::string_view>(known), "");
}

TableReader::TableReader(ParseContext& ctx, const toml::table& table, std::string path,
                         std::string label, const std::vector<std::string_view>& known,
                         std::string_view owner)
    : ctx_(ctx), table_(table), path_(std::move(path)), label_(std::move(label)) {
  CheckKeys(known, owner);
}

void TableReader::CheckKeys(const std::vector<std::string_view>& known, std::string_view owner) {
  std::vector<std::string> candidates(known.begin(), known.end());
  for (auto [key, node] : InFileOrder(table_)) {
    if (std::find(known.begin(), known.end(), key->str()) != known.end()) continue;
    std::string message = "unknown key \"" + std::string(key->str()) + "\"";
    if (!owner.empty()) message += " for " + std::string(owner);
    if (auto guess = ClosestMatch(key->str(), candidates)) {
      message += " (did you mean \"" + *guess + "\"?)";
    } else if (!owner.empty()) {
      std::string keys;
      for (std::string_view k : known) keys += (keys.empty() ? "" : ", ") + std::string(k);
      message += " (its keys: " + keys + ")";
    }
    Error(Where(*key), message);
  }
}

std::vector<std::string> TableReader::Strings(std::string_view key, bool required) {
  std::vector<std::string> out;
  const toml::node* n = Get(key, required);
  if (!n) return out;
  if (const auto* s = n->as_string()) {
    out.push_back(s->get());
    return out;
  }
  const auto* a = n->as_array();
  if (!a) {
    WrongType(*n, key, "a string or an array of strings");
    return out;
  }
  for (const toml::node& e : *a) {
    if (const auto* s = e.as_string()) {
      out.push_back(s->get());
    } else {
      Error(Where(e), "\"" + std::string(key) + "\" must hold strings");
    }
  }
  return out;
}

std::string TableReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void TableReader::Error(SourceLocation at, std::string_view message) {
  ReportAt(ctx_, at, path_, message);
}

void TableReader::WrongType(const toml::node& node, std::string_view key,
                            std::string_view expected) {
  Error(Where(node), "\"" + std::string(key) + "\" must be " + std::string(expected) + ", got " +
                         std::string(TypeName(node)));
}

const toml::node* TableReader::Get(std::string_view key, bool required) {
  const toml::node* node = table_.get(key);
  if (!node && required) {
    ctx_.diags.Add(where(), label_ + " is missing required key \"" + std::string(key) + "\"");
  }
  return node;
}

std::optional<std::string> TableReader::String(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  if (!node->is_string()) {
    WrongType(*node, key, "a string");
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<int64_t> TableReader::Integer(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  if (!node->is_integer()) {
    WrongType(*node, key, "an integer");
    return std::nullopt;
  }
  return node->as_integer()->get();
}

std::optional<bool> TableReader::Bool(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  if (!node->is_boolean()) {
    WrongType(*node, key, "a boolean");
    return std::nullopt;
  }
  return node->as_boolean()->get();
}

std::optional<Duration> TableReader::ReadDuration(std::string_view key, bool required) {
  std::optional<std::string> text = String(key, required);
  if (!text) return std::nullopt;
  const SourceLocation at = Where(*table_.get(key));
  std::string error;
  std::optional<Duration> d = ParseDuration(*text, &error);
  if (!d) {
    Error(at, "bad duration \"" + *text + "\" for \"" + std::string(key) + "\": " + error);
    return std::nullopt;
  }
  if (d->count() <= 0) {
    Error(at, "\"" + std::string(key) + "\" must be longer than zero");
    return std::nullopt;
  }
  return d;
}

const toml::table* TableReader::Table(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return nullptr;
  if (!node->is_table()) WrongType(*node, key, "a table");
  return node->as_table();
}

const toml::array* TableReader::Array(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return nullptr;
  if (!node->is_array()) WrongType(*node, key, "an array");
  return node->as_array();
}

std::optional<Template> TableReader::ReadTemplate(std::string_view key,
                                                  std::vector<VariableUse>* uses, bool required) {
  if (!String(key, required)) return std::nullopt;
  std::string context = path_.empty() ? "" : path_ + ": ";
  return CompileTemplate(ctx_, *table_.get(key), context + "\"" + std::string(key) + "\"", uses);
}

}  // namespace sonde
