#include "signer/test_files.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sonde::signer::testing {

std::string FindFile(const std::vector<std::string>& candidates) {
  std::string looked;
  for (const std::string& c : candidates) {
    if (std::filesystem::is_regular_file(c)) return c;
    looked += "\n  " + c;
  }
  throw std::runtime_error("test data file not found; looked at:" + looked);
}

std::string TestData(const std::string& name) {
  return FindFile({std::string(SONDE_SIGNER_TESTDATA) + "/" + name});
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

boost::json::value ReadJson(const std::string& path) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(ReadFile(path), ec);
  if (ec) throw std::runtime_error(path + ": not valid JSON: " + ec.message());
  return v;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/sonde-signer-test-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace sonde::signer::testing
