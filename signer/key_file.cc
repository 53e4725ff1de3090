#include "signer/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "signer/encoding.h"

namespace sonde::signer {
namespace {

// Both kinds of secret are 32 bytes.
static_assert(kEd25519SeedSize == kSecp256k1SecretSize);
constexpr size_t kSecretSize = kEd25519SeedSize;
constexpr size_t kHexSize = kSecretSize * 2;

Error IoError(const std::string& path, const char* doing, int err) {
  return MakeError(ErrorCode::kIo, "key file " + path + ": " + doing + ": " + std::strerror(err));
}

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool WriteAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Status WriteAndSync(int fd, const std::string& path, const SecureBytes& secret) {
  // The hex text is as secret as the secret, so it is built in secure memory.
  SecureBytes text(kHexSize + 2);  // digits, newline, NUL from bin2hex
  sodium_bin2hex(reinterpret_cast<char*>(text.data()), kHexSize + 1, secret.data(), secret.size());
  text.data()[kHexSize] = '\n';
  if (!WriteAll(fd, text.data(), kHexSize + 1)) return IoError(path, "write", errno);
  if (::fsync(fd) != 0) return IoError(path, "fsync", errno);
  return Status::Ok();
}

Status WriteSecretFile(const std::string& path, const SecureBytes& secret) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return MakeError(ErrorCode::kAlreadyExists,
                       "key file " + path + " already exists; refusing to overwrite it");
    }
    return IoError(path, "create", errno);
  }
  // The umask may have taken bits away; set exactly 0600 so the owner can
  // always read the key back.
  Status s = ::fchmod(fd.get(), 0600) == 0 ? WriteAndSync(fd.get(), path, secret)
                                           : Status(IoError(path, "chmod", errno));
  if (s.ok() && ::close(fd.Release()) != 0) s = IoError(path, "close", errno);
  if (!s.ok()) {
    ::unlink(path.c_str());
    return s;
  }
  // Make the new directory entry durable too.
  Fd dir(::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return Status::Ok();
}

// Reads the 32-byte secret of a key file into secure memory. `expected`
// describes the content for the error; `allow_0x` accepts a "0x" prefix.
Result<SecureBytes> ReadSecretFile(const std::string& path, const char* expected, bool allow_0x) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError(path, "open", errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return IoError(path, "stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kIo, "key file " + path + " is not a regular file");
  }
  // Checked on the open descriptor, so the file cannot be swapped in between.
  if ((st.st_mode & 0077) != 0) {
    return MakeError(ErrorCode::kInsecurePermissions,
                     "key file " + path + " has mode " + OctalMode(st.st_mode) +
                         "; it must not be readable or writable by group or others (chmod 600 " +
                         path + ")");
  }
  const Error bad_content =
      MakeError(ErrorCode::kInvalidEncoding, "key file " + path + ": expected " + expected);
  const size_t max_size = kHexSize + (allow_0x ? 3 : 1);  // "0x", digits, newline
  if (st.st_size < static_cast<off_t>(kHexSize) || st.st_size > static_cast<off_t>(max_size)) {
    return bad_content;
  }
  SecureBytes text(max_size + 1);  // one spare byte detects a file that grew
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "read", errno);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  std::string_view content(reinterpret_cast<const char*>(text.data()), got);
  if (allow_0x && content.substr(0, 2) == "0x") content.remove_prefix(2);
  if (!content.empty() && content.back() == '\n') content.remove_suffix(1);
  if (content.size() != kHexSize) return bad_content;
  SecureBytes secret(kSecretSize);
  if (!FromHexInto(content, secret.span(), "key file " + path).ok()) return bad_content;
  return secret;
}

}  // namespace

Status WriteKeyFile(const std::string& path, const KeyPair& key) {
  return WriteSecretFile(path, key.seed());
}

Status WriteKeyFile(const std::string& path, const Secp256k1Key& key) {
  return WriteSecretFile(path, key.secret());
}

Result<KeyPair> LoadKeyFile(const std::string& path) {
  auto seed = ReadSecretFile(path, "an Ed25519 seed as 64 hex digits and a newline", false);
  if (!seed.ok()) return seed.error();
  return KeyPair::FromSeed(seed->span());
}

Result<Secp256k1Key> LoadSecp256k1KeyFile(const std::string& path) {
  auto secret = ReadSecretFile(
      path, "a secp256k1 secret as 64 hex digits (\"0x\" before them is allowed) and a newline",
      true);
  if (!secret.ok()) return secret.error();
  auto key = Secp256k1Key::FromSecret(secret->span());
  if (!key.ok()) {
    return MakeError(ErrorCode::kInvalidEncoding, "key file " + path + ": " + key.error().message);
  }
  return key;
}

}  // namespace sonde::signer
