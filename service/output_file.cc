#include "service/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sonde {

std::optional<std::string> WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty()) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
      return "cannot write to stdout: " + std::string(std::strerror(errno));
    return std::nullopt;
  }
  const std::string temp = path + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (!f) return "cannot write " + path + ": " + std::strerror(errno);
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int err = errno;
  if (std::fclose(f) != 0 || !written) {
    std::remove(temp.c_str());
    return "cannot write " + path + ": " + std::strerror(written ? errno : err);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    std::remove(temp.c_str());
    return "cannot write " + path + ": " + std::strerror(rename_err);
  }
  return std::nullopt;
}

}  // namespace sonde
