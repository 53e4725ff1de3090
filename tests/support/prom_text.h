// Reading samples back out of Prometheus text exposition, for tests that
// assert on exact metric values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonde::testing {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

std::vector<Sample> ParsePromText(const std::string& text);

// The value of the one sample named `name` whose labels include all of
// `labels`; nullopt when there is none (or more than one).
std::optional<double> FindSample(const std::vector<Sample>& samples, const std::string& name,
                                 const std::map<std::string, std::string>& labels);

// Number of samples named `name`.
size_t CountSamples(const std::vector<Sample>& samples, const std::string& name);

}  // namespace sonde::testing
