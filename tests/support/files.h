// Whole-file reads and writes for tests.
#pragma once

#include <string>

namespace sonde::testing {

// The file's bytes; "" when it is missing or unreadable.
std::string ReadFile(const std::string& path);
// Replaces the file with `text`.
void WriteFile(const std::string& path, const std::string& text);

}  // namespace sonde::testing
