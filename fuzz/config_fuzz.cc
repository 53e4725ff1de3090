// The whole path from config text to the typed model: the TOML shape guard
// (config/toml_guard.h), toml++, and every table parser behind
// LoadConfigString. Nothing may throw out of it or crash; a config is either
// loaded or comes with diagnostics that point into the text.
#include <algorithm>

#include "config/loader.h"
#include "config/toml_guard.h"
#include "fuzz/fuzz_input.h"

using sonde::fuzz::AsText;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  const auto shape = sonde::CheckTomlShape(text);
  const sonde::LoadResult result = sonde::LoadConfigString(text, "fuzz.toml");

  FUZZ_CHECK(result.ok() == (result.config != nullptr));
  if (shape) FUZZ_CHECK(!result.ok());  // the guard runs first and stops the load
  const auto lines = static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  uint32_t last_line = 0, last_column = 0;
  for (const sonde::Diagnostic& d : result.errors) {
    FUZZ_CHECK(d.file == "fuzz.toml");
    FUZZ_CHECK(!d.message.empty());
    FUZZ_CHECK(d.line <= lines);  // a diagnostic points into the text (0: unknown)
    // Sorted by position, as loader.h promises.
    FUZZ_CHECK(d.line > last_line || (d.line == last_line && d.column >= last_column));
    last_line = d.line;
    last_column = d.column;
  }
  return 0;
}
