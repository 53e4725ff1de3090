#include "config/toml_guard.h"

namespace sonde {

std::optional<TomlShapeError> CheckTomlShape(std::string_view text) {
  if (text.size() > kMaxConfigBytes) {
    return TomlShapeError{{1, 1},
                          "the config is " + std::to_string(text.size()) +
                              " bytes; sonde reads configs up to " +
                              std::to_string(kMaxConfigBytes) + " bytes"};
  }
  uint32_t line = 1, column = 0;
  int depth = 0;
  int dots = 0;  // dots since the last separator: the parts of a key, less one
  size_t i = 0;
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 0;
      } else {
        ++column;
      }
    }
  };
  auto starts = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {  // a comment runs to the end of the line
      while (i < text.size() && text[i] != '\n') advance(1);
      continue;
    }
    if (starts("\"\"\"") || starts("'''")) {  // multi-line strings
      const std::string_view close = text.substr(i, 3);
      advance(3);
      while (i < text.size() && !starts(close)) advance(text[i] == '\\' && close[0] == '"' ? 2 : 1);
      advance(3);
      continue;
    }
    if (c == '"' || c == '\'') {  // one-line strings; a newline ends a broken one
      advance(1);
      while (i < text.size() && text[i] != c && text[i] != '\n') {
        advance(text[i] == '\\' && c == '"' ? 2 : 1);
      }
      advance(1);
      continue;
    }
    advance(1);
    if (c == '.') {
      if (++dots >= kMaxKeyParts) {
        return TomlShapeError{{line, column},
                              "a key with more than " + std::to_string(kMaxKeyParts) +
                                  " dotted parts; sonde refuses it before parsing"};
      }
    } else if (c == '[' || c == '{') {
      dots = 0;
      if (++depth > kMaxNestingDepth) {
        return TomlShapeError{{line, column},
                              "arrays and tables nested more than " +
                                  std::to_string(kMaxNestingDepth) +
                                  " deep; sonde refuses it before parsing"};
      }
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == '\n' || c == '=' || c == ',') {
      dots = 0;
    }
  }
  return std::nullopt;
}

}  // namespace sonde
