// Collects the loader's diagnostics for one file. Every check reports here
// and carries on, so a user sees every problem in one run; Take() returns
// them in file order. Not thread-safe: one per load.
#pragma once

#include <string>
#include <vector>

#include "config/loader.h"
#include "config/model.h"

namespace sonde {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void Add(SourceLocation at, std::string message);
  bool empty() const { return list_.empty(); }

  // Sorted by (line, column); problems at the same place keep the order in
  // which they were found.
  std::vector<Diagnostic> Take();

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
};

}  // namespace sonde
