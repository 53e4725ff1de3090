// The rollback journal: before a fault is injected, the action that reverts
// it is appended here and fsynced (file and directory), so that after a
// crash `sonde heal` — and the next `sonde run` — can undo whatever still
// holds. One JSON object per line:
//   {"op":"inject","id":...,"at_us":...,"drill":...,"fault":...,"kind":...,
//    "target":...,"revert":{...}}
//   {"op":"reverted","id":...}
// An inject without its "reverted" line is outstanding. A torn last line (a
// crash mid-append) is ignored with a warning; any other malformed line is
// reported. Several processes may append (O_APPEND, one write per line).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonde::chaos {

struct JournalEntry {
  std::string id;
  int64_t at_us = 0;
  std::string drill, fault, kind, target;
  boost::json::object revert;  // see revert.h
};

class Journal {
 public:
  explicit Journal(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // The reason (naming the file) when the line could not be made durable.
  std::optional<std::string> RecordInject(const JournalEntry& entry);
  std::optional<std::string> RecordReverted(const std::string& id);

  // Outstanding injects, oldest first; problems with the file go to `problems`.
  std::vector<JournalEntry> Outstanding(std::vector<std::string>* problems) const;

  // Empties the file when nothing is outstanding (it would only grow).
  void CompactIfClear() const;

 private:
  std::optional<std::string> Append(const std::string& line);
  std::string path_;
};

// A fresh identifier for a journal entry.
std::string NewEntryId();

}  // namespace sonde::chaos
