// Test-only helpers for the signer tests: finding vector files, reading JSON,
// and a scratch directory. Missing files throw, so a test fails loudly
// instead of passing over nothing.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace sonde::signer::testing {

// The first of `candidates` that exists; throws std::runtime_error listing
// every place looked at when none does.
std::string FindFile(const std::vector<std::string>& candidates);

// signer/testdata/NAME.
std::string TestData(const std::string& name);

// Throws on a missing or unparsable file.
boost::json::value ReadJson(const std::string& path);
std::string ReadFile(const std::string& path);

// A fresh directory under /tmp, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace sonde::signer::testing
