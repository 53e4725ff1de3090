#include "chaos/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace sonde::chaos {

std::string NewEntryId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(rng()));
  return out;
}

std::optional<std::string> Journal::Append(const std::string& line) {
  const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot open the chaos journal " + path_ + ": " + std::strerror(errno);
  // Appends and compaction exclude each other (compaction reads, then
  // truncates; an append in between would be lost).
  ::flock(fd, LOCK_EX);
  std::string text = line + "\n";
  // After a torn line (a crash mid-append), start on a line of our own.
  const off_t size = ::lseek(fd, 0, SEEK_END);
  char last = '\n';
  if (size > 0 && ::pread(fd, &last, 1, size - 1) == 1 && last != '\n') text = "\n" + text;
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int write_errno = errno;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size()) || !synced) {
    return "cannot write the chaos journal " + path_ + ": " +
           std::strerror(n < 0 ? write_errno : errno);
  }
  // The directory entry too, the first time the file appears.
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return std::nullopt;
}

std::optional<std::string> Journal::RecordInject(const JournalEntry& e) {
  boost::json::object o{{"op", "inject"},   {"id", e.id},         {"at_us", e.at_us},
                        {"drill", e.drill}, {"fault", e.fault},   {"kind", e.kind},
                        {"target", e.target}, {"revert", e.revert}};
  return Append(boost::json::serialize(o));
}

std::optional<std::string> Journal::RecordReverted(const std::string& id) {
  return Append(boost::json::serialize(boost::json::object{{"op", "reverted"}, {"id", id}}));
}

std::vector<JournalEntry> Journal::Outstanding(std::vector<std::string>* problems) const {
  std::ifstream in(path_);
  std::vector<JournalEntry> entries;
  std::map<std::string, size_t> index;
  std::string line;
  int number = 0;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  for (const std::string& text : lines) {
    ++number;
    if (text.empty()) continue;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* op = o ? o->if_contains("op") : nullptr;
    const auto* id = o ? o->if_contains("id") : nullptr;
    if (!op || !op->is_string() || !id || !id->is_string()) {
      if (problems) {
        problems->push_back(path_ + ":" + std::to_string(number) +
                            (number == static_cast<int>(lines.size())
                                 ? ": torn last line (a crash while appending); ignored"
                                 : ": not a journal record; ignored"));
      }
      continue;
    }
    const std::string key(id->get_string());
    if (*op == "inject") {
      JournalEntry e;
      e.id = key;
      auto text_of = [&](const char* k) {
        const auto* f = o->if_contains(k);
        return f && f->is_string() ? std::string(f->get_string()) : std::string();
      };
      if (const auto* at = o->if_contains("at_us"); at && at->is_int64()) e.at_us = at->as_int64();
      e.drill = text_of("drill");
      e.fault = text_of("fault");
      e.kind = text_of("kind");
      e.target = text_of("target");
      if (const auto* r = o->if_contains("revert"); r && r->is_object()) e.revert = r->get_object();
      index[key] = entries.size();
      entries.push_back(std::move(e));
    } else if (*op == "reverted") {
      if (auto it = index.find(key); it != index.end()) entries[it->second].id.clear();
    }
  }
  std::vector<JournalEntry> out;
  for (JournalEntry& e : entries) {
    if (!e.id.empty()) out.push_back(std::move(e));
  }
  return out;
}

void Journal::CompactIfClear() const {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::flock(fd, LOCK_EX);
  if (Outstanding(nullptr).empty()) {
    if (::ftruncate(fd, 0) == 0) ::fsync(fd);
  }
  ::close(fd);  // releases the lock
}

}  // namespace sonde::chaos
