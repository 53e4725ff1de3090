#include "core/duration.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace sonde {
namespace {

struct Unit {
  std::string_view name;
  int64_t ns;
};

// Longest names first so that "ms" is not read as "m" followed by "s".
constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // µs
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
    {"d", 86'400'000'000'000},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Duration> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (text.empty()) return fail("empty duration");
  long double total_ns = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (IsDigit(text[i]) || text[i] == '.')) ++i;
    std::string_view number = text.substr(start, i - start);
    if (number.empty() || number.front() == '.' || number.back() == '.' ||
        number.find('.') != number.rfind('.')) {
      return fail("expected a number at \"" + std::string(text.substr(start)) + "\"");
    }
    size_t unit_start = i;
    while (i < text.size() && !IsDigit(text[i]) && text[i] != '.') ++i;
    std::string_view unit_text = text.substr(unit_start, i - unit_start);
    if (unit_text.empty()) {
      return fail("missing unit after \"" + std::string(number) +
                  "\" (use ns, us, ms, s, m, h or d)");
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (u.name == unit_text) unit = &u;
    }
    if (!unit) {
      return fail("unknown unit \"" + std::string(unit_text) + "\" (use ns, us, ms, s, m, h or d)");
    }
    total_ns += std::stold(std::string(number)) * static_cast<long double>(unit->ns);
  }
  if (total_ns > static_cast<long double>(std::numeric_limits<int64_t>::max())) {
    return fail("duration too large");
  }
  return Duration(static_cast<int64_t>(std::llround(static_cast<double>(total_ns))));
}

std::string FormatDuration(Duration d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string out;
  if (ns < 0) {
    out = "-";
    ns = -ns;
  }
  // Below one second: the largest unit that keeps the value exact.
  if (ns < 1'000'000'000) {
    if (ns % 1'000'000 == 0) return out + std::to_string(ns / 1'000'000) + "ms";
    if (ns % 1'000 == 0) return out + std::to_string(ns / 1'000) + "us";
    return out + std::to_string(ns) + "ns";
  }
  // Whole days as days ("30d", "400d"), as people write SLO windows.
  const int64_t days = ns / 86'400'000'000'000;
  ns %= 86'400'000'000'000;
  const int64_t h = ns / 3'600'000'000'000;
  ns %= 3'600'000'000'000;
  const int64_t m = ns / 60'000'000'000;
  ns %= 60'000'000'000;
  if (days) out += std::to_string(days) + "d";
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (ns) {
    std::string frac;
    int64_t whole = ns / 1'000'000'000, rest = ns % 1'000'000'000;
    if (rest) {
      frac = std::to_string(rest + 1'000'000'000).substr(1);  // 9 digits, zero-padded
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      frac = "." + frac;
    }
    out += std::to_string(whole) + frac + "s";
  }
  return out;
}

}  // namespace sonde
