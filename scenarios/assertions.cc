#include "scenarios/assertions.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

namespace sonde {
namespace {

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
        if constexpr (std::is_same_v<T, double>)
          return boost::json::serialize(boost::json::value(x));
      },
      s);
}

std::optional<double> AsNumber(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

bool Equals(const boost::json::value& actual, const Scalar& expected) {
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return actual.is_string() && actual.get_string() == x;
        } else if constexpr (std::is_same_v<T, bool>) {
          return actual.is_bool() && actual.get_bool() == x;
        } else if constexpr (std::is_same_v<T, int64_t>) {
          if (actual.is_int64()) return actual.get_int64() == x;
          if (actual.is_uint64()) return x >= 0 && actual.get_uint64() == static_cast<uint64_t>(x);
          auto n = AsNumber(actual);
          return n && *n == static_cast<double>(x);
        } else {
          auto n = AsNumber(actual);
          return n && *n == x;
        }
      },
      expected);
}

// Long bodies would flood logs; the first bytes say enough.
std::string Excerpt(const std::string& s) {
  constexpr size_t kMax = 120;
  return s.size() <= kMax ? s : s.substr(0, kMax) + "...";
}

}  // namespace

const boost::json::value* LazyJson::Get(std::string* error) {
  if (!parsed_) {
    parsed_ = true;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body_, ec);
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
  return boost::json::serialize(v);
}

Verdict CheckExpectations(const Expectations& expect, const ProbeResult& response, LazyJson& json) {
  if (response.status != 0 && !expect.status.Contains(response.status)) {
    return {Reason::kHttpStatus, "unexpected status " + std::to_string(response.status)};
  }
  if (expect.json.empty()) return {};
  std::string error;
  const boost::json::value* root = json.Get(&error);
  if (!root) return {Reason::kInvalidResponse, error};
  for (const JsonCheck& check : expect.json) {
    const boost::json::value* v = Resolve(*root, check.pointer);
    switch (check.op) {
      case JsonOp::kExists:
        if (!v) return {Reason::kAssertion, "\"" + check.pointer + "\" is missing"};
        break;
      case JsonOp::kAbsent:
        if (v) return {Reason::kAssertion, "\"" + check.pointer + "\" is present"};
        break;
      case JsonOp::kEq:
        if (!v) return {Reason::kAssertion, "\"" + check.pointer + "\" is missing"};
        if (!Equals(*v, check.expected)) {
          return {Reason::kAssertion, "\"" + check.pointer + "\" is " +
                                          Excerpt(boost::json::serialize(*v)) + ", expected " +
                                          Describe(check.expected)};
        }
        break;
    }
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
