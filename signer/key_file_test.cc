#include "signer/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "signer/encoding.h"
#include "signer/test_files.h"

namespace sonde::signer {
namespace {

using testing::ReadFile;
using testing::TempDir;

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

void WriteText(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

TEST(KeyFile, WritesTheSeedAsHexWithMode0600AndLoadsItBack) {
  TempDir dir;
  const std::string path = dir.File("k.key");
  KeyPair key = KeyPair::Generate();
  ASSERT_TRUE(WriteKeyFile(path, key).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadFile(path), ToHex(key.seed().span()) + "\n");

  auto loaded = LoadKeyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->public_key(), key.public_key());
}

TEST(KeyFile, ModeIs0600WhateverTheUmask) {
  TempDir dir;
  const mode_t old = ::umask(0277);  // would leave 0400
  Status s = WriteKeyFile(dir.File("k"), KeyPair::Generate());
  ::umask(old);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(ModeOf(dir.File("k")), 0600u);
}

TEST(KeyFile, NeverOverwrites) {
  TempDir dir;
  const std::string path = dir.File("k");
  WriteText(path, "precious\n", 0600);
  Status s = WriteKeyFile(path, KeyPair::Generate());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(s.error().message, "key file " + path + " already exists; refusing to overwrite it");
  EXPECT_EQ(ReadFile(path), "precious\n");
}

TEST(KeyFile, RefusesAFileGroupOrOthersCanAccess) {
  TempDir dir;
  const std::string path = dir.File("k");
  KeyPair key = KeyPair::Generate();
  ASSERT_TRUE(WriteKeyFile(path, key).ok());
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610, 0601, 0666}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto r = LoadKeyFile(path);
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.error().code, ErrorCode::kInsecurePermissions);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_EQ(r.error().message,
              "key file " + path + " has mode " + octal +
                  "; it must not be readable or writable by group or others (chmod 600 " + path +
                  ")");
  }
  for (mode_t mode : {0600, 0400, 0700}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    EXPECT_TRUE(LoadKeyFile(path).ok()) << std::oct << mode;
  }
}

TEST(KeyFile, RejectsContentThatIsNotASeed) {
  TempDir dir;
  const std::string hex = ToHex(KeyPair::Generate().seed().span());
  const std::string expected = ": expected an Ed25519 seed as 64 hex digits and a newline";
  for (const std::string& text :
       {hex.substr(1), hex + "0", hex + "\n\n", hex + " ", "g" + hex.substr(1) + "\n",
        std::string(""), std::string(65, '\n')}) {
    const std::string path = dir.File("bad");
    ::unlink(path.c_str());
    WriteText(path, text, 0600);
    auto r = LoadKeyFile(path);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
    EXPECT_EQ(r.error().message, "key file " + path + expected);
  }
  // No trailing newline is fine.
  const std::string path = dir.File("bare");
  WriteText(path, hex, 0600);
  EXPECT_TRUE(LoadKeyFile(path).ok());
}

TEST(KeyFile, MissingFileAndDirectoryAreIoErrorsNamingThePath) {
  TempDir dir;
  auto missing = LoadKeyFile(dir.File("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().message,
            "key file " + dir.File("nope") + ": open: No such file or directory");

  ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
  auto directory = LoadKeyFile(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);

  Status s = WriteKeyFile(dir.File("no/such/dir/k"), KeyPair::Generate());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
}

// secp256k1 key files: the same rules, and a "0x" prefix accepted on load.

TEST(Secp256k1KeyFile, WritesTheSecretAsHexWithMode0600AndLoadsItBack) {
  TempDir dir;
  const std::string path = dir.File("evm.key");
  Secp256k1Key key = Secp256k1Key::Generate();
  ASSERT_TRUE(WriteKeyFile(path, key).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadFile(path), ToHex(key.secret().span()) + "\n");

  auto loaded = LoadSecp256k1KeyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->address(), key.address());
  EXPECT_TRUE(loaded->secret().Equals(key.secret().span()));
}

TEST(Secp256k1KeyFile, ImportsAWalletExportWithOrWithout0xOrNewline) {
  TempDir dir;
  // EIP-155's example key; its address is the example's sender.
  const std::string hex = "4646464646464646464646464646464646464646464646464646464646464646";
  for (const std::string& text : {hex, hex + "\n", "0x" + hex, "0x" + hex + "\n"}) {
    const std::string path = dir.File("import");
    ::unlink(path.c_str());
    WriteText(path, text, 0600);
    auto key = LoadSecp256k1KeyFile(path);
    ASSERT_TRUE(key.ok()) << text << ": " << key.error().message;
    EXPECT_EQ(ToChecksumAddress(key->address()), "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
  }
  // Uppercase digits are hex too.
  const std::string path = dir.File("upper");
  WriteText(path, "0x" + std::string(64, 'A') + "\n", 0600);
  EXPECT_TRUE(LoadSecp256k1KeyFile(path).ok());
}

TEST(Secp256k1KeyFile, NeverOverwrites) {
  TempDir dir;
  const std::string path = dir.File("k");
  WriteText(path, "precious\n", 0600);
  Status s = WriteKeyFile(path, Secp256k1Key::Generate());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(s.error().message, "key file " + path + " already exists; refusing to overwrite it");
  EXPECT_EQ(ReadFile(path), "precious\n");
}

TEST(Secp256k1KeyFile, RefusesAFileGroupOrOthersCanAccess) {
  TempDir dir;
  const std::string path = dir.File("k");
  ASSERT_TRUE(WriteKeyFile(path, Secp256k1Key::Generate()).ok());
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610, 0601, 0666}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto r = LoadSecp256k1KeyFile(path);
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.error().code, ErrorCode::kInsecurePermissions);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_EQ(r.error().message,
              "key file " + path + " has mode " + octal +
                  "; it must not be readable or writable by group or others (chmod 600 " + path +
                  ")");
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(LoadSecp256k1KeyFile(path).ok());
}

TEST(Secp256k1KeyFile, RejectsBadContentNamingTheFileNotTheBytes) {
  TempDir dir;
  const std::string hex = ToHex(Secp256k1Key::Generate().secret().span());
  const std::string expected =
      ": expected a secp256k1 secret as 64 hex digits (\"0x\" before them is allowed) and a "
      "newline";
  for (const std::string& text :
       {hex.substr(1), hex + "0", hex + "\n\n", hex + " ", "g" + hex.substr(1) + "\n", "0X" + hex,
        "x0" + hex, "0x" + hex.substr(2), "0x0x" + hex.substr(4), " " + hex, std::string(""),
        std::string(65, '\n')}) {
    const std::string path = dir.File("bad");
    ::unlink(path.c_str());
    WriteText(path, text, 0600);
    auto r = LoadSecp256k1KeyFile(path);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
    EXPECT_EQ(r.error().message, "key file " + path + expected);
    EXPECT_EQ(r.error().message.find(hex.substr(8, 16)), std::string::npos);
  }
  // Well-formed hex that is not a valid secret: zero, and the group order n.
  for (const std::string& text :
       {std::string(64, '0') + "\n",
        std::string("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141\n")}) {
    const std::string path = dir.File("bad");
    ::unlink(path.c_str());
    WriteText(path, text, 0600);
    auto r = LoadSecp256k1KeyFile(path);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
    EXPECT_EQ(r.error().message, "key file " + path +
                                     ": not a valid secp256k1 secret: it must be a number from 1 "
                                     "to n-1 (n the curve order)");
  }
}

TEST(Secp256k1KeyFile, AnEd25519FileDoesNotLoadWithAPrefix) {
  // The Ed25519 loader keeps its strict format: no "0x".
  TempDir dir;
  const std::string path = dir.File("k");
  WriteText(path, "0x" + ToHex(KeyPair::Generate().seed().span()) + "\n", 0600);
  auto r = LoadKeyFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidEncoding);
}

}  // namespace
}  // namespace sonde::signer
