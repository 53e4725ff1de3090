// `sonde keys new --out FILE`: a fresh Ed25519 key for sonde's wallet or
// report signing. The seed goes to FILE (mode 0600, never overwritten); the
// public key, which is what others need, goes to stdout as hex.
#include <cstdio>

#include "service/commands.h"
#include "signer/encoding.h"
#include "signer/key_file.h"

namespace sonde {

int CommandKeysNew(const std::string& out_path) {
  const signer::KeyPair key = signer::KeyPair::Generate();
  const signer::Status written = signer::WriteKeyFile(out_path, key);
  if (!written.ok()) {
    std::fprintf(stderr, "sonde keys new: %s\n", written.error().message.c_str());
    return 2;
  }
  std::printf("%s\n", signer::ToHex(key.public_key()).c_str());
  return 0;
}

}  // namespace sonde
