// A step's JSON checks and extractions (scenarios/assertions.h) on an
// arbitrary response body, through core/json_answer.h's ParseAnswer.
//
// Input: up to 8 check lines, a line "---", then the body. A check line is
// "OP POINTER [OPERAND]" with OP one of eq ne lt le gt ge exists absent
// matches type max_age, or "x NAME POINTER" (an extraction). An operand with
// "${" is a template; `"...` is a string; true/false, integers and numbers
// are what they read as; anything else is a string.
//
// Invariants: eq/ne, exists/absent, lt/ge and gt/le are complements where
// the value is there (and numeric for the ordering ones); a value extracted
// into a variable equals itself when compared through "${variable}"; a body
// that is not JSON fails every JSON check as invalid_response.
#include <charconv>
#include <string>

#include "core/json_answer.h"
#include "fuzz/fuzz_input.h"
#include "scenarios/assertions.h"

namespace {

using sonde::JsonCheck;
using sonde::JsonOp;
using sonde::fuzz::TakeLine;

std::optional<JsonOp> OpNamed(std::string_view name) {
  static const std::pair<std::string_view, JsonOp> kOps[] = {
      {"eq", JsonOp::kEq},         {"ne", JsonOp::kNe},         {"lt", JsonOp::kLt},
      {"le", JsonOp::kLe},         {"gt", JsonOp::kGt},         {"ge", JsonOp::kGe},
      {"exists", JsonOp::kExists}, {"absent", JsonOp::kAbsent}, {"matches", JsonOp::kMatches},
      {"type", JsonOp::kType},     {"max_age", JsonOp::kMaxAge}};
  for (const auto& [n, op] : kOps) {
    if (n == name) return op;
  }
  return std::nullopt;
}

// The operand as the config loader would type it; false if unusable.
bool SetOperand(std::string_view text, JsonCheck& check) {
  if (check.op == JsonOp::kMatches) {
    if (text.size() > 64) return false;  // Boost.Regex's own speed is not what is tested here
    std::optional<sonde::Regex> re = sonde::Regex::Compile(text);
    if (!re) return false;
    check.regex = std::move(*re);
    return true;
  }
  if (check.op == JsonOp::kType) {
    check.expected = std::string(text);
    return true;
  }
  if (check.op == JsonOp::kMaxAge) {
    int64_t seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (seconds < 0 || seconds > 1'000'000'000) seconds = 0;
    check.max_age = std::chrono::seconds(seconds);
    return true;
  }
  if (text.find("${") != text.npos) {
    std::optional<sonde::Template> t = sonde::Template::Compile(text);
    if (!t) return false;
    check.expected_template = std::move(*t);
    return true;
  }
  const char* end = text.data() + text.size();
  int64_t i = 0;
  double d = 0;
  if (!text.empty() && text[0] == '"') {
    check.expected = std::string(text.substr(1));
  } else if (text == "true" || text == "false") {
    check.expected = text == "true";
  } else if (auto [p, ec] = std::from_chars(text.data(), end, i); ec == std::errc() && p == end) {
    check.expected = i;
  } else if (auto [q, ec2] = std::from_chars(text.data(), end, d); ec2 == std::errc() && q == end) {
    check.expected = d;
  } else {
    check.expected = std::string(text);
  }
  return true;
}

bool Passes(const JsonCheck& check, const std::string& body, const sonde::Template::Lookup* vars) {
  sonde::Expectations expect;
  expect.json.push_back(check);
  sonde::ProbeResult response;
  response.status = 200;
  response.body = body;
  sonde::LazyJson json(response.body);
  return sonde::CheckExpectations(expect, response, json, vars).ok();
}

// `check` with another operator; exists and absent take no operand.
JsonCheck With(const JsonCheck& check, JsonOp op) {
  JsonCheck c = check;
  c.op = op;
  if (op == JsonOp::kExists || op == JsonOp::kAbsent) c.expected_template.reset();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = sonde::fuzz::AsText(data, size);
  std::vector<JsonCheck> checks;
  std::vector<sonde::Extraction> extractions;
  for (int n = 0; n < 8 && !text.empty(); ++n) {
    std::string_view line = TakeLine(text);
    if (line == "---") break;
    const std::string_view op = line.substr(0, line.find(' '));
    line.remove_prefix(std::min(line.size(), op.size() + 1));
    const std::string_view pointer = line.substr(0, line.find(' '));
    line.remove_prefix(std::min(line.size(), pointer.size() + 1));
    if (op == "x") {
      const std::string_view from = line.substr(0, line.find(' '));
      extractions.push_back({std::string(pointer), std::string(from), {}});
      continue;
    }
    std::optional<JsonOp> kind = OpNamed(op);
    if (!kind) continue;
    JsonCheck check;
    check.op = *kind;
    check.pointer = std::string(pointer);
    if (SetOperand(line, check)) checks.push_back(std::move(check));
  }
  const std::string body(text);

  boost::system::error_code ec;
  const boost::json::value doc = sonde::ParseAnswer(body, ec);
  const bool is_json = !ec;

  sonde::Variables vars;
  vars.Set("target.url", "http://127.0.0.1:1");
  sonde::LazyJson lazy(body);
  const sonde::Verdict extracted = sonde::ApplyExtractions(extractions, lazy, vars);
  if (!extractions.empty() && !is_json) {
    FUZZ_CHECK(extracted.failure == sonde::Reason::kInvalidResponse);
  }
  const sonde::Template::Lookup lookup = vars.AsLookup();

  sonde::Expectations all;
  all.json = checks;
  sonde::ProbeResult response;
  response.status = 200;
  response.body = body;
  const sonde::Verdict verdict = sonde::CheckExpectations(all, response, lazy, &lookup);
  if (!checks.empty() && !is_json) FUZZ_CHECK(verdict.failure == sonde::Reason::kInvalidResponse);
  if (!is_json) return 0;

  for (const JsonCheck& check : checks) {
    boost::system::error_code pec;
    const boost::json::value* actual = doc.find_pointer(check.pointer, pec);
    if (pec) actual = nullptr;
    const bool exists = Passes(With(check, JsonOp::kExists), body, &lookup);
    FUZZ_CHECK(exists == (actual != nullptr));
    FUZZ_CHECK(Passes(With(check, JsonOp::kAbsent), body, &lookup) != exists);
    if (!actual || check.expected_template) continue;
    FUZZ_CHECK(Passes(With(check, JsonOp::kEq), body, &lookup) !=
               Passes(With(check, JsonOp::kNe), body, &lookup));
    const bool numeric_expected = std::holds_alternative<int64_t>(check.expected) ||
                                  std::holds_alternative<double>(check.expected);
    if (actual->is_number() && numeric_expected) {
      FUZZ_CHECK(Passes(With(check, JsonOp::kLt), body, &lookup) !=
                 Passes(With(check, JsonOp::kGe), body, &lookup));
      FUZZ_CHECK(Passes(With(check, JsonOp::kGt), body, &lookup) !=
                 Passes(With(check, JsonOp::kLe), body, &lookup));
    }
  }

  // What was extracted compares equal to where it came from.
  if (!extracted.ok()) return 0;
  for (const sonde::Extraction& e : extractions) {
    boost::system::error_code pec;
    const boost::json::value* v = doc.find_pointer(e.pointer, pec);
    FUZZ_CHECK(!pec && v != nullptr);
    if (!(v->is_string() || v->is_number() || v->is_bool())) continue;
    const std::string* held = vars.Find(e.variable);
    FUZZ_CHECK(held != nullptr);
    // A later extraction into the same variable may have replaced it.
    if (*held != sonde::VariableText(*v)) continue;
    std::optional<sonde::Template> ref = sonde::Template::Compile("${" + e.variable + "}");
    if (!ref || ref->segments().size() != 1 || ref->segments()[0].text != e.variable) continue;
    JsonCheck same;
    same.pointer = e.pointer;
    same.op = JsonOp::kEq;
    same.expected_template = std::move(ref);
    FUZZ_CHECK(Passes(same, body, &lookup));
  }
  return 0;
}
