#include "devnet/frost_share_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "devnet/json_fields.h"
#include "signer/encoding.h"
#include "signer/frost/hash.h"

namespace sonde::devnet {

namespace json = boost::json;
namespace frost = signer::frost;

namespace {

Result<frost::Point> ReadPoint(const JsonFields& f, std::string_view key, const std::string& path) {
  auto bytes = f.Hex(key, frost::kElementSize);
  if (!bytes.ok()) return Fail(path + ": " + bytes.error());
  auto p = frost::Point::Decode(bytes.value(), key);
  if (!p.ok()) return Fail(path + ": " + p.error().message);
  return p.value();
}

}  // namespace

Status WriteFrostShareFile(const std::string& path, const frost::KeyPackage& key,
                           const frost::PublicKeyPackage& group) {
  json::object shares;
  for (const auto& [id, point] : group.verifying_shares) {
    shares[std::to_string(id)] = signer::ToHex(point.bytes());
  }
  json::object o{{"ciphersuite", frost::kContextString},
                 {"identifier", key.identifier},
                 {"min_signers", key.min_signers},
                 {"signing_share", signer::ToHex(key.signing_share.bytes())},
                 {"group_public_key", signer::ToHex(group.group_public_key.bytes())},
                 {"verifying_shares", std::move(shares)}};
  std::string text = json::serialize(o) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("cannot create " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!ok) {
    ::unlink(path.c_str());
    return Fail("cannot write " + path + ": " + std::strerror(saved));
  }
  return Status::Ok();
}

Result<FrostShare> LoadFrostShareFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Fail("cannot read FROST share " + path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 0077) != 0) {
    return Fail("FROST share " + path +
                " is readable or writable by group or others; it must be mode 0600 (chmod 600 " +
                path + ")");
  }
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto parsed = ParseObject(buffer.str());
  if (!parsed.ok()) return Fail(path + ": " + parsed.error());
  JsonFields f(parsed.value());
  if (Status s = f.OnlyKeys({"ciphersuite", "identifier", "min_signers", "signing_share",
                             "group_public_key", "verifying_shares"});
      !s.ok()) {
    return Fail(path + ": " + s.error());
  }
  auto suite = f.String("ciphersuite");
  if (!suite.ok() || suite.value() != frost::kContextString) {
    return Fail(path + ": /ciphersuite: must be " + std::string(frost::kContextString));
  }
  auto id = f.U64("identifier");
  auto min_signers = f.U64("min_signers");
  if (!id.ok() || id.value() == 0 || id.value() > 0xffff) {
    return Fail(path + ": /identifier: must be an integer from 1 to 65535");
  }
  if (!min_signers.ok() || min_signers.value() < 1 || min_signers.value() > 0xffff) {
    return Fail(path + ": /min_signers: must be an integer from 1 to 65535");
  }
  auto share_bytes = f.Hex("signing_share", frost::kScalarSize);
  if (!share_bytes.ok()) return Fail(path + ": " + share_bytes.error());
  auto share = frost::SecretScalar::Decode(share_bytes.value(), "/signing_share");
  sodium_memzero(share_bytes->data(), share_bytes->size());
  if (!share.ok()) return Fail(path + ": " + share.error().message);
  auto group_key = ReadPoint(f, "group_public_key", path);
  if (!group_key.ok()) return Fail(group_key.error());

  FrostShare out{
      frost::KeyPackage{static_cast<frost::Identifier>(id.value()), std::move(share.value()),
                        frost::Point(), group_key.value(),
                        static_cast<uint16_t>(min_signers.value())},
      frost::PublicKeyPackage{group_key.value(), {}, static_cast<uint16_t>(min_signers.value())}};
  const json::value* shares = parsed->if_contains("verifying_shares");
  if (shares == nullptr || !shares->is_object()) {
    return Fail(path + ": /verifying_shares: must be an object from identifier to point");
  }
  for (const auto& kv : shares->get_object()) {
    const std::string key(kv.key());
    unsigned long n = 0;
    try {
      n = std::stoul(key);
    } catch (...) {
      n = 0;
    }
    if (n == 0 || n > 0xffff || std::to_string(n) != key) {
      return Fail(path + ": /verifying_shares/" + key + ": not a participant identifier");
    }
    JsonFields entry(shares->get_object());
    auto point = ReadPoint(entry, key, path);
    if (!point.ok()) return Fail(point.error());
    out.group.verifying_shares[static_cast<frost::Identifier>(n)] = point.value();
  }
  auto own = out.group.verifying_shares.find(out.key.identifier);
  if (own == out.group.verifying_shares.end()) {
    return Fail(path + ": /verifying_shares: has no entry for this participant");
  }
  if (frost::Point::BaseMul(out.key.signing_share.Expose()) != own->second) {
    return Fail(path + ": the signing share does not match this participant's verifying share");
  }
  out.key.verifying_share = own->second;
  if (out.group.verifying_shares.size() < out.key.min_signers) {
    return Fail(path + ": fewer participants than min_signers");
  }
  return out;
}

}  // namespace sonde::devnet
