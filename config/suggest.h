// "Did you mean ...?" for misspelt keys, target groups and variables.
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde {

// Levenshtein distance: single-character inserts, deletes and substitutions,
// counted on bytes (config keys are ASCII).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible
// typo: distance <= 2, or <= a third of `word`'s length for long words. A
// candidate that would need every character rewritten is never suggested
// ("a" is not a typo of "eq"). Ties go to the earliest candidate.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace sonde
