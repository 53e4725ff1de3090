// A shape check that runs before the TOML parser. toml++ parses dotted keys
// and nested arrays/inline tables recursively, so a key of 40,000 dotted
// parts or brackets nested as deep overflows the stack: `sonde check` would
// die of SIGSEGV, and the same text appended to a running daemon's config
// would take it down at reload. No real config comes near these limits.
//
// The scan is linear, allocation-free and skips strings and comments, so
// a dot or bracket inside a string never counts. Thread-safe: pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/model.h"

namespace sonde {

inline constexpr size_t kMaxConfigBytes = 16 * 1024 * 1024;
inline constexpr int kMaxKeyParts = 64;      // a.b.c... in one key or table header
inline constexpr int kMaxNestingDepth = 64;  // [ and { inside each other

struct TomlShapeError {
  SourceLocation at;
  std::string message;
};

// The first place where `text` passes a limit above, or nullopt.
std::optional<TomlShapeError> CheckTomlShape(std::string_view text);

}  // namespace sonde
