// Loads and validates a sonde TOML config (toml++) into the typed model.
// Validation never stops at the first problem: every problem in the file is
// reported, each with the line and column it concerns, sorted by position.
// Thread-safe: no shared state.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"

namespace sonde {

struct Diagnostic {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;

  // "FILE:LINE:COL: message"
  std::string ToString() const;
};

struct LoadResult {
  std::shared_ptr<const Config> config;  // set only when `errors` is empty
  std::vector<Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

// Reads and validates `path`. A missing/unreadable file is one diagnostic at 0:0.
LoadResult LoadConfigFile(const std::string& path);

// Same, from text; `source_name` is used as FILE in diagnostics.
LoadResult LoadConfigString(std::string_view text, std::string source_name);

}  // namespace sonde
