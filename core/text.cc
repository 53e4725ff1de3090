#include "core/text.h"

namespace sonde {
namespace {

// The largest cut <= `at` that does not split a UTF-8 sequence.
size_t CharBoundary(std::string_view s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

}  // namespace

std::string Bounded(std::string text, size_t max) {
  if (text.size() <= max) return text;
  const std::string note = "... (" + std::to_string(text.size()) + " bytes)";
  const size_t keep = max > note.size() ? CharBoundary(text, max - note.size()) : 0;
  text.resize(keep);
  return text + note;
}

std::string Excerpt(std::string_view body, size_t max) {
  std::string out;
  out.reserve(std::min(body.size(), max) + 3);
  for (char c : body) {
    const bool space = static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    if (space) c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    if (out.size() >= max) {
      out.resize(CharBoundary(out, max));
      return out + "...";
    }
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace sonde
