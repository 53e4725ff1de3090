// `sonde keys new` as a user runs it: a 0600 key file, the public key (or,
// for secp256k1, the EVM address) on stdout, no overwriting, an unknown
// type refused, and a loosened copy refused when loaded.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "signer/encoding.h"
#include "signer/evm_address.h"
#include "signer/key_file.h"
#include "tests/support/subprocess.h"

namespace sonde {
namespace {

using testing::RunProcess;

const std::string kSonde = SONDE_BINARY;

class ScratchDir {
 public:
  ScratchDir() {
    char tmpl[] = "/tmp/sonde-keys-cli-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(KeysCli, NewWritesA0600FileAndPrintsThePublicKey) {
  ScratchDir dir;
  const std::string path = dir.File("wallet.key");
  auto r = RunProcess({kSonde, "keys", "new", "--out", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("[0-9a-f]{64}\n"))) << r.out;
  EXPECT_EQ(ModeOf(path), 0600u);

  auto key = signer::LoadKeyFile(path);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(signer::ToHex(key->public_key()) + "\n", r.out);
}

TEST(KeysCli, NewRefusesToOverwrite) {
  ScratchDir dir;
  const std::string path = dir.File("wallet.key");
  ASSERT_EQ(RunProcess({kSonde, "keys", "new", "--out", path}).exit_code, 0);
  const auto before = std::filesystem::last_write_time(path);
  auto again = RunProcess({kSonde, "keys", "new", "--out", path});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err,
            "sonde keys new: key file " + path + " already exists; refusing to overwrite it\n");
  EXPECT_EQ(std::filesystem::last_write_time(path), before);
}

TEST(KeysCli, NewNeedsOut) {
  auto r = RunProcess({kSonde, "keys", "new"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

TEST(KeysCli, ALoosenedCopyIsRefusedNamingFileAndMode) {
  ScratchDir dir;
  const std::string path = dir.File("wallet.key");
  ASSERT_EQ(RunProcess({kSonde, "keys", "new", "--out", path}).exit_code, 0);
  const std::string copy = dir.File("copy.key");
  std::filesystem::copy_file(path, copy);
  ASSERT_EQ(::chmod(copy.c_str(), 0644), 0);

  auto loaded = signer::LoadKeyFile(copy);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, signer::ErrorCode::kInsecurePermissions);
  EXPECT_NE(loaded.error().message.find(copy), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("0644"), std::string::npos) << loaded.error().message;
  EXPECT_TRUE(signer::LoadKeyFile(path).ok());
}

TEST(KeysCli, NewSecp256k1WritesA0600FileAndPrintsTheChecksumAddress) {
  ScratchDir dir;
  const std::string path = dir.File("evm.key");
  auto r = RunProcess({kSonde, "keys", "new", "--type", "secp256k1", "--out", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("0x[0-9a-fA-F]{40}\n"))) << r.out;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(ModeOf(path), 0600u);

  auto key = signer::LoadSecp256k1KeyFile(path);
  ASSERT_TRUE(key.ok()) << key.error().message;
  // Exactly the EIP-55 spelling of the key's address, so it parses back.
  EXPECT_EQ(signer::ToChecksumAddress(key->address()) + "\n", r.out);
  auto parsed = signer::ParseEvmAddress(r.out.substr(0, 42), "stdout");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), key->address());
}

TEST(KeysCli, NewSecp256k1RefusesToOverwrite) {
  ScratchDir dir;
  const std::string path = dir.File("evm.key");
  ASSERT_EQ(RunProcess({kSonde, "keys", "new", "--type", "secp256k1", "--out", path}).exit_code, 0);
  const std::string before = signer::ToHex(signer::LoadSecp256k1KeyFile(path)->address());
  auto again = RunProcess({kSonde, "keys", "new", "--type", "secp256k1", "--out", path});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err,
            "sonde keys new: key file " + path + " already exists; refusing to overwrite it\n");
  EXPECT_EQ(signer::ToHex(signer::LoadSecp256k1KeyFile(path)->address()), before);
}

TEST(KeysCli, TypeEd25519IsAcceptedExplicitly) {
  ScratchDir dir;
  const std::string path = dir.File("k");
  auto r = RunProcess({kSonde, "keys", "new", "--type", "ed25519", "--out", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("[0-9a-f]{64}\n"))) << r.out;
  EXPECT_TRUE(signer::LoadKeyFile(path).ok());
}

TEST(KeysCli, AnUnknownTypeIsRefusedAndWritesNothing) {
  ScratchDir dir;
  const std::string path = dir.File("k");
  auto r = RunProcess({kSonde, "keys", "new", "--type", "rsa", "--out", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "sonde keys new: --type: unknown key type \"rsa\" (ed25519 or secp256k1)\n");
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace sonde
