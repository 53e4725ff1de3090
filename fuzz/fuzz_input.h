// Helpers shared by the fuzz targets: the input as text, split into the parts
// a target needs, and a check that stops the process when an invariant does
// not hold, so libFuzzer keeps the input as a crash. Plain splitting instead
// of FuzzedDataProvider: the replay build uses g++, which does not ship it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// Like assert, but also in release builds, and it names the invariant.
#define FUZZ_CHECK(cond)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "%s:%d: invariant does not hold: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)

namespace sonde::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// `text` cut at each `separator`, at most `max_parts` parts (the last one
// keeps the rest, separators included).
inline std::vector<std::string_view> Split(std::string_view text, std::string_view separator,
                                           size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t at = text.find(separator);
    if (at == text.npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + separator.size());
  }
  parts.push_back(text);
  return parts;
}

// The first line of `text` (without '\n'), and `text` moves past it.
inline std::string_view TakeLine(std::string_view& text) {
  const size_t eol = text.find('\n');
  std::string_view line = text.substr(0, eol);
  text.remove_prefix(eol == text.npos ? text.size() : eol + 1);
  return line;
}

}  // namespace sonde::fuzz
