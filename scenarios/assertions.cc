#include "scenarios/assertions.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "core/integer.h"
#include "core/json_answer.h"
#include "core/text.h"

namespace sonde {
namespace {

// Compact JSON text; a top-level double in its shortest round-trip form
// ("2.5", where Boost.JSON writes "2.5E0"), as people expect to read it.
std::string JsonText(const boost::json::value& v) {
  if (v.is_double()) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
    if (ec == std::errc()) return std::string(buf, end);
  }
  return boost::json::serialize(v);
}

// RFC 6901 lookup without exceptions; "" is the whole document.
const boost::json::value* Resolve(const boost::json::value& root, const std::string& pointer) {
  boost::system::error_code ec;
  const boost::json::value* v = root.find_pointer(pointer, ec);
  return ec ? nullptr : v;
}

std::string Describe(const Scalar& s) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return "\"" + x + "\"";
        if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        if constexpr (std::is_same_v<T, int64_t>) return std::to_string(x);
        if constexpr (std::is_same_v<T, double>) return JsonText(boost::json::value(x));
      },
      s);
}

// A number as sonde reads one: exact when it is an integer in any spelling
// (a JSON integer, a hex quantity "0x1a", a decimal string "9"), else a
// double (a JSON fraction). Two exact numbers compare exactly, so wei
// amounts and heights above 2^53 keep every digit.
struct Number {
  std::optional<Int256> exact;
  double approx = 0;
};

std::optional<Number> FromText(std::string_view text) {
  // The double nearest the integer, read from its digits: Boost 1.81's
  // convert_to<double> can be a unit in the last place off, and a JSON
  // fraction would then differ from the integer that spells the same value.
  if (std::optional<Int256> i = ParseInteger(text)) {
    return Number{i, std::strtod(ToDecimal(*i).c_str(), nullptr)};
  }
  return std::nullopt;
}

std::optional<Number> AsNumber(const boost::json::value& v) {
  if (v.is_int64()) return Number{Int256(v.get_int64()), static_cast<double>(v.get_int64())};
  if (v.is_uint64()) return Number{Int256(v.get_uint64()), static_cast<double>(v.get_uint64())};
  if (v.is_double()) return Number{std::nullopt, v.get_double()};
  if (v.is_string()) return FromText(v.get_string());
  return std::nullopt;
}

std::optional<Number> ScalarNumber(const Scalar& s) {
  if (const auto* i = std::get_if<int64_t>(&s)) return Number{Int256(*i), static_cast<double>(*i)};
  if (const auto* d = std::get_if<double>(&s)) return Number{std::nullopt, *d};
  if (const auto* t = std::get_if<std::string>(&s)) return FromText(*t);
  return std::nullopt;
}

// -1, 0, 1 as a <, ==, > b.
int Compare(const Number& a, const Number& b) {
  if (a.exact && b.exact) return *a.exact < *b.exact ? -1 : *a.exact > *b.exact ? 1 : 0;
  return a.approx < b.approx ? -1 : a.approx > b.approx ? 1 : 0;
}

bool Equals(const boost::json::value& actual, const Scalar& expected) {
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return actual.is_string() && actual.get_string() == x;
        } else if constexpr (std::is_same_v<T, bool>) {
          return actual.is_bool() && actual.get_bool() == x;
        } else {
          // A number equals a number however either is spelled ("0x1a" = 26).
          auto n = AsNumber(actual);
          auto want = ScalarNumber(x);
          return n && want && Compare(*n, *want) == 0;
        }
      },
      expected);
}

// Long bodies would flood logs; the first bytes say enough.
std::string Excerpt(const std::string& s) { return sonde::Excerpt(s, 120); }

}  // namespace

const boost::json::value* LazyJson::Get(std::string* error) {
  if (!parsed_) {
    parsed_ = true;
    boost::system::error_code ec;
    boost::json::value v = ParseAnswer(body_, ec);
    if (ec) {
      error_ = "response is not JSON (" + ec.message() + "): " + Excerpt(body_);
    } else {
      value_ = std::move(v);
    }
  }
  if (!value_ && error) *error = error_;
  return value_ ? &*value_ : nullptr;
}

std::string VariableText(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return JsonText(v);
}

namespace {

std::string_view JsonTypeOf(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::object:
      return "object";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::null:
      return "null";
    default:
      return "number";
  }
}

bool HasType(const boost::json::value& v, const std::string& type) {
  if (type == "integer") {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && std::trunc(v.get_double()) == v.get_double();
  }
  return JsonTypeOf(v) == type;
}

std::string_view OpName(JsonOp op) {
  switch (op) {
    case JsonOp::kEq:
      return "eq";
    case JsonOp::kNe:
      return "ne";
    case JsonOp::kLt:
      return "lt";
    case JsonOp::kLe:
      return "le";
    case JsonOp::kGt:
      return "gt";
    case JsonOp::kGe:
      return "ge";
    case JsonOp::kExists:
      return "exists";
    case JsonOp::kAbsent:
      return "absent";
    case JsonOp::kMatches:
      return "matches";
    case JsonOp::kType:
      return "type";
    case JsonOp::kMaxAge:
      return "max_age";
  }
  return "?";
}

// One check against the document; an empty string when it holds.
// The operand of a check whose expected value is a template: rendered, then
// read as the kind the comparison needs (a number for ordering, or to match
// a number or boolean found in the document).
std::optional<Scalar> RenderExpected(const JsonCheck& check, const boost::json::value* actual,
                                     const Template::Lookup* vars, std::string* why) {
  std::string text, missing;
  if (!vars || !check.expected_template->Render(*vars, text, &missing)) {
    *why = "expected value uses unknown variable \"" + missing + "\"";
    return std::nullopt;
  }
  const bool ordering = check.op == JsonOp::kLt || check.op == JsonOp::kLe ||
                        check.op == JsonOp::kGt || check.op == JsonOp::kGe;
  if (ordering || (actual && (actual->is_number()))) {
    if (std::optional<Int256> i = ParseInteger(text)) {
      if (*i >= INT64_MIN && *i <= INT64_MAX) return Scalar(i->convert_to<int64_t>());
      return Scalar(ToDecimal(*i));  // compared exactly as a number
    }
    double d = 0;
    auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (dec == std::errc() && dend == text.data() + text.size()) return Scalar(d);
    if (ordering) {
      *why = "expected value \"" + text + "\" is not a number";
      return std::nullopt;
    }
  }
  if (actual && actual->is_bool() && (text == "true" || text == "false"))
    return Scalar(text == "true");
  return Scalar(text);
}

std::string Check(const JsonCheck& check, const boost::json::value& root,
                  const Template::Lookup* vars) {
  if (check.expected_template) {
    const boost::json::value* actual = Resolve(root, check.pointer);
    std::string why;
    std::optional<Scalar> expected = RenderExpected(check, actual, vars, &why);
    if (!expected) return "\"" + check.pointer + "\": " + why;
    // Beyond int64 a rendered integer stays digits (Scalar has no wider
    // integer), which Equals would compare as text: with a JSON number, eq
    // and ne compare it as the number it is.
    const auto* digits = std::get_if<std::string>(&*expected);
    const std::optional<Number> b = digits ? FromText(*digits) : std::nullopt;
    if (b && actual && actual->is_number() &&
        (check.op == JsonOp::kEq || check.op == JsonOp::kNe)) {
      const std::optional<Number> a = AsNumber(*actual);
      const bool equal = a && Compare(*a, *b) == 0;
      if (equal == (check.op == JsonOp::kEq)) return "";
      return "\"" + check.pointer + "\" is " + Excerpt(JsonText(*actual)) + ", expected " +
             (equal ? "anything else" : *digits);
    }
    JsonCheck rendered = check;
    rendered.expected_template.reset();
    rendered.expected = std::move(*expected);
    return Check(rendered, root, vars);
  }
  const boost::json::value* v = Resolve(root, check.pointer);
  const std::string where = "\"" + check.pointer + "\"";
  if (check.op == JsonOp::kAbsent) return v ? where + " is present" : "";
  if (!v) return where + " is missing";
  const std::string actual = Excerpt(JsonText(*v));
  switch (check.op) {
    case JsonOp::kExists:
    case JsonOp::kAbsent:
      return "";
    case JsonOp::kEq:
      if (Equals(*v, check.expected)) return "";
      return where + " is " + actual + ", expected " + Describe(check.expected);
    case JsonOp::kNe:
      if (!Equals(*v, check.expected)) return "";
      return where + " is " + actual + ", expected anything else";
    case JsonOp::kLt:
    case JsonOp::kLe:
    case JsonOp::kGt:
    case JsonOp::kGe: {
      std::optional<Number> n = AsNumber(*v);
      if (!n) return where + " is " + actual + ", not a number";
      std::optional<Number> want = ScalarNumber(check.expected);
      if (!want) return where + ": expected value " + Describe(check.expected) + " is not a number";
      const int c = Compare(*n, *want);
      const bool ok = check.op == JsonOp::kLt   ? c < 0
                      : check.op == JsonOp::kLe ? c <= 0
                      : check.op == JsonOp::kGt ? c > 0
                                                : c >= 0;
      if (ok) return "";
      return where + " is " + actual + ", expected " + std::string(OpName(check.op)) + " " +
             Describe(check.expected);
    }
    case JsonOp::kMatches: {
      // Strings are matched as they are, anything else as its JSON text.
      const std::string text = v->is_string() ? std::string(v->get_string()) : actual;
      if (check.regex && check.regex->Search(text)) return "";
      return where + " is " + actual + ", expected to match /" +
             (check.regex ? check.regex->pattern() : "") + "/";
    }
    case JsonOp::kMaxAge: {
      std::optional<Number> n = AsNumber(*v);
      if (!n) return where + " is " + actual + ", not a Unix time";
      using namespace std::chrono;
      const double now =
          duration<double>(system_clock::now().time_since_epoch()).count();
      const double age = now - n->approx;
      const double limit = duration<double>(check.max_age).count();
      if (age <= limit) return "";
      char text[32];
      std::snprintf(text, sizeof text, "%.1fs", age);
      return where + " is " + actual + ", " + text + " old, expected at most " +
             FormatDuration(check.max_age);
    }
    case JsonOp::kType: {
      const std::string& type = std::get<std::string>(check.expected);
      if (HasType(*v, type)) return "";
      return where + " is " + actual + " (" + std::string(JsonTypeOf(*v)) + "), expected type " +
             type;
    }
  }
  return "";
}

std::string CheckHeaders(const std::vector<HeaderCheck>& checks, const ProbeResult& response) {
  for (const HeaderCheck& check : checks) {
    bool present = false, matched = false;
    for (const auto& [name, value] : response.headers) {
      if (name != check.name) continue;
      present = true;
      matched = matched || check.regex.Search(value);
    }
    if (!present) return "header \"" + check.name + "\" is missing";
    if (!matched) {
      return "header \"" + check.name + "\" does not match /" + check.regex.pattern() + "/";
    }
  }
  return "";
}

}  // namespace

Verdict CheckExpectations(const Expectations& expect, const ProbeResult& response, LazyJson& json,
                          const Template::Lookup* vars) {
  if (response.status != 0 && !expect.status.Contains(response.status)) {
    // The body often says why (a follower's 503 names the leader it cannot
    // reach): a bounded excerpt of it goes with the status.
    std::string detail = "unexpected status " + std::to_string(response.status);
    if (std::string why = Excerpt(response.body, kBodyExcerptBytes); !why.empty()) {
      detail += ": " + why;
    }
    return {Reason::kHttpStatus, std::move(detail)};
  }
  if (std::string why = CheckHeaders(expect.headers, response); !why.empty()) {
    return {Reason::kAssertion, why};
  }
  if (expect.body && !expect.body->Search(response.body)) {
    return {Reason::kAssertion, "body does not match /" + expect.body->pattern() + "/"};
  }
  if (expect.body_not && expect.body_not->Search(response.body)) {
    return {Reason::kAssertion, "body matches /" + expect.body_not->pattern() + "/"};
  }
  if (expect.json.empty()) return {};
  std::string error;
  const boost::json::value* root = json.Get(&error);
  if (!root) return {Reason::kInvalidResponse, error};
  for (const JsonCheck& check : expect.json) {
    if (std::string why = Check(check, *root, vars); !why.empty()) return {Reason::kAssertion, why};
  }
  return {};
}

Verdict ApplyExtractions(const std::vector<Extraction>& extract, LazyJson& json, Variables& vars) {
  if (extract.empty()) return {};
  std::string error;
  const boost::json::value* root = json.Get(&error);
  if (!root) return {Reason::kInvalidResponse, error};
  for (const Extraction& e : extract) {
    const boost::json::value* v = Resolve(*root, e.pointer);
    if (!v) {
      return {Reason::kAssertion,
              "cannot extract \"" + e.variable + "\": \"" + e.pointer + "\" is missing"};
    }
    vars.Set(e.variable, VariableText(*v));
  }
  return {};
}

}  // namespace sonde
