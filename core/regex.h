// A compiled regular expression (Perl syntax, Boost.Regex header-only),
// checked once at config load and shared read-only by every run. The Boost
// header stays in regex.cc so the config model stays light to include.
// Thread-safe: a compiled Regex is immutable; Search may run concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sonde {

class Regex {
 public:
  // nullopt with a reason in `error` when `pattern` does not compile.
  static std::optional<Regex> Compile(std::string_view pattern, std::string* error = nullptr);

  // True if the pattern matches anywhere in `text`.
  bool Search(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  std::string pattern_;
};

}  // namespace sonde
