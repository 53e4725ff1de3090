// `${name}` templates (config/template.h): Compile, Render, and the
// round trip text -> segments -> text. Printing the segments back (a
// literal's "${" as "$${", a variable as "${name}") must give the source
// again, and the offsets must point at what each segment came from.
#include <string>

#include "config/template.h"
#include "fuzz/fuzz_input.h"

namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

std::string Escape(const std::string& literal) {
  std::string out;
  for (size_t i = 0; i < literal.size(); ++i) {
    if (literal.compare(i, 2, "${") == 0) out += '$';
    out += literal[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = sonde::fuzz::AsText(data, size);
  std::string error;
  size_t error_offset = text.size() + 1;
  const std::optional<sonde::Template> t = sonde::Template::Compile(text, &error, &error_offset);
  if (!t) {
    FUZZ_CHECK(!error.empty());
    FUZZ_CHECK(error_offset < text.size());
    FUZZ_CHECK(text.compare(error_offset, 2, "${") == 0);  // the error points at the "${"
    return 0;
  }
  FUZZ_CHECK(t->source() == text);
  FUZZ_CHECK(t->empty() == text.empty());

  std::string printed, rendered, expected_render;
  bool has_variables = false;
  const auto& segments = t->segments();
  for (size_t i = 0; i < segments.size(); ++i) {
    const sonde::Template::Segment& s = segments[i];
    FUZZ_CHECK(!s.text.empty());
    FUZZ_CHECK(s.offset < text.size());
    if (i > 0) FUZZ_CHECK(s.offset > segments[i - 1].offset);
    if (s.is_variable) {
      has_variables = true;
      FUZZ_CHECK(IsNameStart(s.text[0]));
      for (char c : s.text) FUZZ_CHECK(IsNameChar(c));
      FUZZ_CHECK(text.compare(s.offset, s.text.size() + 3, "${" + s.text + "}") == 0);
      printed += "${" + s.text + "}";
      expected_render += "<" + s.text + ">";
    } else {
      FUZZ_CHECK(i == 0 || segments[i - 1].is_variable);  // literals are merged
      printed += Escape(s.text);
      expected_render += s.text;
    }
  }
  FUZZ_CHECK(has_variables == t->HasVariables());
  FUZZ_CHECK(printed == text);

  std::vector<std::string> values;  // keeps what the lookup returns alive
  values.reserve(segments.size());
  const sonde::Template::Lookup lookup = [&](std::string_view name) -> const std::string* {
    values.push_back("<" + std::string(name) + ">");
    return &values.back();
  };
  FUZZ_CHECK(t->Render(lookup, rendered));
  FUZZ_CHECK(rendered == expected_render);

  if (has_variables) {
    std::string missing, out;
    const sonde::Template::Lookup none = [](std::string_view) -> const std::string* {
      return nullptr;
    };
    FUZZ_CHECK(!t->Render(none, out, &missing));
    FUZZ_CHECK(!missing.empty());
  }
  return 0;
}
