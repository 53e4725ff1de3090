#include "config/suggest.h"

#include <algorithm>
#include <numeric>

namespace sonde {

// Hand-written rather than pulled from a library: it is a dozen lines, runs
// only on the error path over a handful of short keys, and none of our
// dependencies (toml++, Boost.JSON, spdlog) exposes one.
size_t EditDistance(std::string_view a, std::string_view b) {
  // One row of the classic dynamic-programming table: row[j] is the distance
  // between the first i characters of `a` and the first j of `b`.
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];  // distance(a[0..i-1), b[0..j-1)) before overwrite
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const size_t d = EditDistance(word, candidate);
    if (d >= std::max(word.size(), candidate.size())) continue;  // nothing in common
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace sonde
