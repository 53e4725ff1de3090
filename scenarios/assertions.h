// Judging a step's response against its `expect`, and extracting variables.
// The same rules apply to every HTTP-like step kind. Pure functions.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "config/model.h"
#include "core/result.h"
#include "probes/probe.h"
#include "scenarios/variables.h"

namespace sonde {

struct Verdict {
  Reason failure = Reason::kNone;
  std::string detail;
  bool ok() const { return failure == Reason::kNone; }
};

// The response body parsed as JSON, once, and only if a check or an
// extraction needs it.
class LazyJson {
 public:
  explicit LazyJson(const std::string& body) : body_(body) {}
  // nullptr with `error` set when the body is not JSON.
  const boost::json::value* Get(std::string* error);

 private:
  const std::string& body_;
  std::optional<boost::json::value> value_;
  std::string error_;
  bool parsed_ = false;
};

// Status set first (http_status), then JSON checks in order (assertion; a
// non-JSON body is invalid_response).
// `vars` renders expected values written as templates ("${balance_before}").
Verdict CheckExpectations(const Expectations& expect, const ProbeResult& response, LazyJson& json,
                          const Template::Lookup* vars = nullptr);

// Applies `extract`, in order. A pointer that does not resolve is an
// assertion failure; a non-JSON body is invalid_response.
Verdict ApplyExtractions(const std::vector<Extraction>& extract, LazyJson& json, Variables& vars);

// The text a JSON value contributes to a variable: strings verbatim, anything
// else as compact JSON ("42", "true", "{\"a\":1}").
std::string VariableText(const boost::json::value& v);

}  // namespace sonde
