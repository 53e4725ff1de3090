#include "config/diagnostics.h"

#include <algorithm>

namespace sonde {

std::string Diagnostic::ToString() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

void Diagnostics::Add(SourceLocation at, std::string message) {
  list_.push_back({file_, at.line, at.column, std::move(message)});
}

std::vector<Diagnostic> Diagnostics::Take() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return std::move(list_);
}

}  // namespace sonde
