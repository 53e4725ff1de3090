#include "config/expect_parser.h"

#include <algorithm>
#include <cctype>

#include "config/fields.h"
#include "core/integer.h"

namespace sonde {
namespace {

// One `status` entry: 100..599, or a class "2xx".
std::optional<std::pair<int, int>> StatusRange(const toml::node& node) {
  if (const auto* i = node.as_integer()) {
    if (i->get() < 100 || i->get() > 599) return std::nullopt;
    return std::pair<int, int>(static_cast<int>(i->get()), static_cast<int>(i->get()));
  }
  const std::string& s = node.as_string()->get();
  if (s.size() != 3 || s[0] < '1' || s[0] > '5' || std::tolower(s[1]) != 'x' ||
      std::tolower(s[2]) != 'x') {
    return std::nullopt;
  }
  const int lo = (s[0] - '0') * 100;
  return std::pair<int, int>(lo, lo + 99);
}

void ParseStatus(TableReader& r, StatusSet& status) {
  const toml::array* array = r.Array("status");
  if (!array) return;
  if (array->empty()) r.Error(Where(*array), "\"status\" must not be empty");
  std::vector<std::pair<int, int>> ranges;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& node = *array->get(i);
    const std::string field = "status[" + std::to_string(i + 1) + "]";
    if (!node.is_integer() && !node.is_string()) {
      r.WrongType(node, field, "an integer or a string like \"2xx\"");
    } else if (auto range = StatusRange(node)) {
      ranges.push_back(*range);
    } else {
      r.Error(Where(node), "\"" + field + "\" must be a status 100..599 or a class like \"2xx\"");
    }
  }
  if (!ranges.empty()) status.ranges = std::move(ranges);
}

std::optional<Scalar> ToScalar(const toml::node& node) {
  if (const auto* s = node.as_string()) return Scalar(s->get());
  if (const auto* i = node.as_integer()) return Scalar(i->get());
  if (const auto* f = node.as_floating_point()) return Scalar(f->get());
  if (const auto* b = node.as_boolean()) return Scalar(b->get());
  return std::nullopt;
}

// The operators of an inline check table, `{ ge = 2 }`, and what each takes.
struct OperatorSpec {
  std::string_view key;
  JsonOp op;
  enum Operand { kScalar, kNumber, kBool, kRegex, kTypeName, kDuration } operand;
};
constexpr OperatorSpec kOperators[] = {
    {"eq", JsonOp::kEq, OperatorSpec::kScalar},
    {"ne", JsonOp::kNe, OperatorSpec::kScalar},
    {"lt", JsonOp::kLt, OperatorSpec::kNumber},
    {"le", JsonOp::kLe, OperatorSpec::kNumber},
    {"gt", JsonOp::kGt, OperatorSpec::kNumber},
    {"ge", JsonOp::kGe, OperatorSpec::kNumber},
    {"exists", JsonOp::kExists, OperatorSpec::kBool},
    {"absent", JsonOp::kAbsent, OperatorSpec::kBool},
    {"matches", JsonOp::kMatches, OperatorSpec::kRegex},
    {"type", JsonOp::kType, OperatorSpec::kTypeName},
    // A block's timestamp is fresh: `{ max_age = "36s" }`.
    {"max_age", JsonOp::kMaxAge, OperatorSpec::kDuration},
};
constexpr std::string_view kJsonTypes[] = {"string", "number", "integer", "boolean",
                                           "object", "array",  "null"};

}  // namespace

// Compiles the string at `node` as a regex, reporting where it fails.
std::optional<Regex> ReadRegex(TableReader& r, const toml::node& node, std::string_view field) {
  const auto* str = node.as_string();
  if (!str) {
    r.WrongType(node, field, "a string (a regular expression)");
    return std::nullopt;
  }
  std::string why;
  std::optional<Regex> re = Regex::Compile(str->get(), &why);
  if (!re) r.Error(Where(node), "\"" + std::string(field) + "\": bad regular expression: " + why);
  return re;
}

namespace {

// `{ eq = 3 }`, `{ gt = 1, le = 10 }`, `{ exists = true }`, `{ matches = "^0x" }`,
// `{ type = "array" }`: one check per operator, in file order.
// A string operand with "${" is a template, rendered when the check runs
// (e.g. `gt = "${balance_before}"`); false when it does not compile.
bool MaybeTemplate(ParseContext& ctx, const toml::node& node, const std::string& path,
                   JsonCheck& check, std::vector<VariableUse>* uses) {
  const auto* str = node.as_string();
  if (!str || str->get().find("${") == std::string::npos) return true;
  std::optional<Template> t = CompileTemplate(ctx, node, path, uses);
  if (!t) return false;
  check.expected_template = std::move(*t);
  return true;
}

void ParseCheckTable(ParseContext& ctx, const toml::table& table, const std::string& path,
                     const JsonCheck& base, std::vector<JsonCheck>& out,
                     std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path,
                {"eq", "ne", "lt", "le", "gt", "ge", "exists", "absent", "matches", "type",
                 "max_age"});
  if (table.empty())
    r.Error(Where(table),
            "give at least one of eq, ne, lt, le, gt, ge, exists, absent, matches, type, "
            "max_age");
  for (auto [key, node] : InFileOrder(table)) {
    const OperatorSpec* spec = nullptr;
    for (const OperatorSpec& o : kOperators) {
      if (o.key == key->str()) spec = &o;
    }
    if (!spec) continue;  // reported as an unknown key by the reader
    JsonCheck check = base;
    check.op = spec->op;
    check.where = Where(*node);
    switch (spec->operand) {
      case OperatorSpec::kScalar:
        if (std::optional<Scalar> value = ToScalar(*node)) {
          check.expected = *value;
          if (!MaybeTemplate(ctx, *node, path, check, uses)) continue;
        } else {
          r.WrongType(*node, spec->key, "a string, number or boolean");
          continue;
        }
        break;
      case OperatorSpec::kNumber:
        if (const auto* i = node->as_integer()) {
          check.expected = i->get();
        } else if (const auto* f = node->as_floating_point()) {
          check.expected = f->get();
        } else if (node->is_string() && node->as_string()->get().find("${") != std::string::npos) {
          if (!MaybeTemplate(ctx, *node, path, check, uses)) continue;
        } else if (const auto* str = node->as_string(); str && ParseInteger(str->get())) {
          // A big integer (a wei amount) written exactly, as a string.
          check.expected = str->get();
        } else {
          r.WrongType(*node, spec->key,
                      "a number, a string holding an integer, or a \"${variable}\" holding one");
          continue;
        }
        break;
      case OperatorSpec::kDuration: {
        std::optional<Duration> age = r.ReadDuration(spec->key);
        if (!age) continue;
        if (age->count() <= 0) {
          r.Error(Where(*node), "\"max_age\" must be positive");
          continue;
        }
        check.max_age = *age;
        break;
      }
      case OperatorSpec::kBool: {
        std::optional<bool> want = r.Bool(spec->key);
        if (!want) continue;
        // `exists = false` is `absent = true`, and the other way round.
        const bool exists = (spec->op == JsonOp::kExists) == *want;
        check.op = exists ? JsonOp::kExists : JsonOp::kAbsent;
        break;
      }
      case OperatorSpec::kRegex:
        check.regex = ReadRegex(r, *node, spec->key);
        if (!check.regex) continue;
        break;
      case OperatorSpec::kTypeName: {
        std::optional<std::string> type = r.String(spec->key);
        if (!type) continue;
        if (std::find(std::begin(kJsonTypes), std::end(kJsonTypes), *type) ==
            std::end(kJsonTypes)) {
          r.Error(Where(*node),
                  "unknown JSON type \"" + *type +
                      "\" (use string, number, integer, boolean, object, array or null)");
          continue;
        }
        check.expected = *type;
        break;
      }
    }
    out.push_back(std::move(check));
  }
}

}  // namespace

std::vector<JsonCheck> ParseJsonChecks(TableReader& r, std::string_view key_name,
                                       std::vector<VariableUse>* uses) {
  std::vector<JsonCheck> checks;
  const toml::table* table = r.Table(key_name);
  if (!table) return checks;
  const std::string name(key_name);
  for (auto [key, node] : InFileOrder(*table)) {
    JsonCheck check;
    check.pointer = std::string(key->str());
    check.where = Where(*key);
    const std::string field = name + "[\"" + check.pointer + "\"]";
    if (auto why = JsonPointerError(check.pointer))
      r.Error(Where(*key), "\"" + name + "\": " + *why);
    if (std::optional<Scalar> value = ToScalar(*node)) {
      check.expected = *value;
      if (MaybeTemplate(r.ctx(), *node, r.PathOf(field), check, uses))
        checks.push_back(std::move(check));
    } else if (const toml::table* t = node->as_table()) {
      ParseCheckTable(r.ctx(), *t, r.PathOf(field), check, checks, uses);
    } else {
      r.WrongType(*node, field, "a value or a table like { exists = true }");
    }
  }
  return checks;
}

namespace {

std::vector<HeaderCheck> ParseHeaderChecks(TableReader& r) {
  std::vector<HeaderCheck> checks;
  const toml::table* table = r.Table("headers");
  if (!table) return checks;
  for (auto [key, node] : InFileOrder(*table)) {
    std::string name(key->str());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::optional<Regex> re = ReadRegex(r, *node, "headers." + std::string(key->str()))) {
      checks.push_back({std::move(name), std::move(*re), Where(*key)});
    }
  }
  return checks;
}

}  // namespace

Expectations ParseExpect(ParseContext& ctx, const toml::table& table, const std::string& path,
                         std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path, {"status", "json", "headers", "body", "body_not"});
  Expectations expect;
  ParseStatus(r, expect.status);
  expect.json = ParseJsonChecks(r, "json", uses);
  expect.headers = ParseHeaderChecks(r);
  if (const toml::node* body = r.Get("body")) expect.body = ReadRegex(r, *body, "body");
  if (const toml::node* body_not = r.Get("body_not")) {
    expect.body_not = ReadRegex(r, *body_not, "body_not");
  }
  return expect;
}

}  // namespace sonde
