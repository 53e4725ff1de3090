// The raw text of a config file, kept so a diagnostic can point inside a
// string value (at the "${" of a bad template variable) rather than only at
// the value's opening quote, which is all toml++ records.
// Not thread-safe to build; const methods may be shared.
#pragma once

#include <string_view>
#include <vector>

#include "config/model.h"

namespace sonde {

class SourceText {
 public:
  // `text` must outlive this object.
  explicit SourceText(std::string_view text);

  // Where byte `offset` of the parsed string `value` sits in the file, given
  // that the string's token starts at `start` (its opening quote). Exact for a
  // one-line string without escapes before `offset`; otherwise, since the
  // parsed text no longer matches the file byte for byte, returns `start`.
  SourceLocation Inside(SourceLocation start, std::string_view value, size_t offset) const;

 private:
  std::vector<std::string_view> lines_;
};

}  // namespace sonde
