#include "config/template.h"

namespace sonde {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

}  // namespace

std::optional<Template> Template::Compile(std::string_view text, std::string* error,
                                          size_t* error_offset) {
  Template t;
  t.source_ = std::string(text);
  std::string literal;
  size_t literal_start = 0;
  auto flush = [&](size_t next_start) {
    if (!literal.empty()) t.segments_.push_back({false, std::move(literal), literal_start});
    literal.clear();
    literal_start = next_start;
  };
  auto fail = [&](size_t at, std::string why) -> std::optional<Template> {
    if (error) *error = std::move(why);
    if (error_offset) *error_offset = at;
    return std::nullopt;
  };
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      literal += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      literal += text[i++];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) return fail(i, "unterminated \"${\" in template");
    std::string_view name = text.substr(i + 2, close - i - 2);
    if (name.empty() || !IsNameStart(name.front())) {
      return fail(i, "bad variable name \"" + std::string(name) + "\" in template");
    }
    for (char c : name) {
      if (!IsNameChar(c))
        return fail(i, "bad variable name \"" + std::string(name) + "\" in template");
    }
    flush(close + 1);
    t.segments_.push_back({true, std::string(name), i});
    i = close + 1;
  }
  flush(text.size());
  return t;
}

bool Template::Render(const Lookup& lookup, std::string& out, std::string* missing) const {
  for (const Segment& s : segments_) {
    if (!s.is_variable) {
      out += s.text;
      continue;
    }
    const std::string* value = lookup(s.text);
    if (!value) {
      if (missing) *missing = s.text;
      return false;
    }
    out += *value;
  }
  return true;
}

bool Template::HasVariables() const {
  for (const Segment& s : segments_) {
    if (s.is_variable) return true;
  }
  return false;
}

}  // namespace sonde
