// The variables a journey run sees: built-ins (target.url, target.group,
// journey.name), the journey's `vars` (as vars.NAME) and whatever earlier
// steps extracted. A run owns one; it is not shared across threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/template.h"

namespace sonde {

class Variables {
 public:
  // Sets or replaces a variable.
  void Set(std::string_view name, std::string value) {
    for (auto& [n, v] : values_) {
      if (n == name) {
        v = std::move(value);
        return;
      }
    }
    values_.emplace_back(std::string(name), std::move(value));
  }

  const std::string* Find(std::string_view name) const {
    // A journey has a handful of variables: a linear scan beats hashing.
    for (const auto& [n, v] : values_) {
      if (n == name) return &v;
    }
    return nullptr;
  }

  Template::Lookup AsLookup() const {
    return [this](std::string_view name) { return Find(name); };
  }

  const std::vector<std::pair<std::string, std::string>>& all() const { return values_; }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace sonde
