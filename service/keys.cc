// `sonde keys new [--type ed25519|secp256k1] --out FILE`: a fresh key for
// sonde's wallet or report signing. The secret goes to FILE (mode 0600,
// never overwritten); what others need goes to stdout: for Ed25519 the
// public key as hex, for secp256k1 the EIP-55 address (what a user funds).
#include <cstdio>

#include "service/commands.h"
#include "signer/encoding.h"
#include "signer/evm_address.h"
#include "signer/key_file.h"
#include "signer/secp256k1_key.h"

namespace sonde {

int CommandKeysNew(const std::string& out_path, const std::string& type) {
  std::string shown;
  signer::Status written;
  if (type == "ed25519") {
    const signer::KeyPair key = signer::KeyPair::Generate();
    written = signer::WriteKeyFile(out_path, key);
    shown = signer::ToHex(key.public_key());
  } else if (type == "secp256k1") {
    const signer::Secp256k1Key key = signer::Secp256k1Key::Generate();
    written = signer::WriteKeyFile(out_path, key);
    shown = signer::ToChecksumAddress(key.address());
  } else {
    std::fprintf(stderr, "sonde keys new: --type: unknown key type \"%s\" (ed25519 or secp256k1)\n",
                 type.c_str());
    return 2;
  }
  if (!written.ok()) {
    std::fprintf(stderr, "sonde keys new: %s\n", written.error().message.c_str());
    return 2;
  }
  std::printf("%s\n", shown.c_str());
  return 0;
}

}  // namespace sonde
