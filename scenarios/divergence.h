// Cross-target comparison for a journey that runs against every node of a
// group: each successful run records its value (e.g. the committed height),
// and a run whose value is further than the tolerance from the median of
// all targets' latest values is the outlier. At least three targets with a
// recent value are needed to name one.
//
// Thread-safety: use from the scheduler's executor only.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace sonde {

class DivergenceBook {
 public:
  // Records `value` for (journey, target) and compares it with the other
  // targets' values recorded within `max_age`. Returns a description of the
  // divergence when this target is the outlier, nullopt otherwise (or when
  // there is nothing to compare with yet).
  std::optional<std::string> RecordAndCompare(const std::string& journey, const std::string& target,
                                              double value, double tolerance,
                                              std::chrono::steady_clock::duration max_age);

 private:
  struct Sample {
    double value = 0;
    std::chrono::steady_clock::time_point at;
  };
  std::map<std::string, std::map<std::string, Sample>> latest_;  // journey -> target -> sample
};

}  // namespace sonde
