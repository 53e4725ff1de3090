// A run as reports count it: times, enums and interned strings — about 80
// bytes instead of a RunRecord's ~350 with eight strings of its own, which
// is what lets a month of runs be read and judged in a second or two. Its
// evidence stays in the store: reports fetch it by id for the few runs they
// show (ResultStore::EvidenceOfRuns).
// The strings live in a StringPool that outlives the facts.
//
// Thread-safety: a StringPool is used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.h"

namespace sonde {

class StringPool {
 public:
  // The pooled copy of `s`; the same pointer for equal strings.
  const std::string* Intern(std::string_view s) {
    auto it = strings_.find(s);
    if (it == strings_.end()) it = strings_.emplace(s).first;
    return &*it;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> strings_;  // nodes never move
};

struct RunFact {
  const std::string* journey = nullptr;
  const std::string* target = nullptr;
  const std::string* location = nullptr;
  const std::string* failing_step = nullptr;
  int64_t started_us = 0;
  int64_t duration_us = 0;
  int64_t finished_us = 0;
  Outcome outcome = Outcome::kSuccess;
  Reason reason = Reason::kNone;
  bool maintenance = false;
  bool has_evidence = false;  // the run kept evidence (a tx hash...)
  int64_t id = 0;             // the run's row in the store
};

}  // namespace sonde
