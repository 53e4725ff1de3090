// A directory under the system temp dir, removed with everything in it when
// the object goes.
#pragma once

#include <string>

namespace sonde {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "sonde-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace sonde
