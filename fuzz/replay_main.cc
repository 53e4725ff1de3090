// main() for the replay build of a fuzz target (a normal build without
// libFuzzer): runs LLVMFuzzerTestOneInput once on every file named on the
// command line and on every regular file under each directory named, and
// prints how many it ran. A failed invariant aborts, as under libFuzzer, so
// the test fails on the input that broke it.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunOne(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy of exactly `size` bytes, as libFuzzer passes them, so that a read
  // past the end is caught by ASan in a sanitized replay build.
  std::vector<uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  size_t ran = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());  // the same order every run
      for (const auto& f : files) {
        ok = RunOne(f) && ok;
        ++ran;
      }
    } else if (std::filesystem::exists(arg, ec)) {
      ok = RunOne(arg) && ok;
      ++ran;
    } else {
      std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      ok = false;
    }
  }
  std::printf("ran %zu inputs\n", ran);
  if (ran == 0) {
    std::fprintf(stderr, "no inputs: an empty corpus checks nothing\n");
    return 1;
  }
  return ok ? 0 : 1;
}
