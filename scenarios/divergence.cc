#include "scenarios/divergence.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace sonde {
namespace {

std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

}  // namespace

std::optional<std::string> DivergenceBook::RecordAndCompare(
    const std::string& journey, const std::string& target, double value, double tolerance,
    std::chrono::steady_clock::duration max_age) {
  const auto now = std::chrono::steady_clock::now();
  auto& targets = latest_[journey];
  targets[target] = {value, now};
  std::vector<double> values;
  for (const auto& [name, sample] : targets) {
    if (now - sample.at <= max_age) values.push_back(sample.value);
  }
  // With two targets there is no telling which one is off; three is the
  // least that names an outlier.
  if (values.size() < 3) return std::nullopt;
  // The median of all recent values, this one included: a single stuck node
  // cannot drag the reference with it.
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  if (std::abs(value - median) <= tolerance) return std::nullopt;
  return target + " is at " + Number(value) + " while the median of " + std::to_string(n) +
         " targets is " + Number(median) + " (tolerance " + Number(tolerance) + ")";
}

}  // namespace sonde
