// Key files: a 32-byte secret as 64 hex digits and a newline, in a file only
// its owner may access (mode 0600 or stricter). Two kinds share the format
// and every rule: Ed25519 (the secret is the seed) and secp256k1 (the secret
// is the EVM private key; on load a "0x" prefix is accepted too, so a key
// exported from a wallet can be imported as it is). The file does not say
// which kind it holds: the config names the kind of each key.
//
// Loading a file that group or others can read or write is refused, as ssh
// does, because the key may already have leaked. Errors name the file and
// its mode, never the content. Thread-safe: no shared state.
#pragma once

#include <string>

#include "signer/ed25519.h"
#include "signer/result.h"
#include "signer/secp256k1_key.h"

namespace sonde::signer {

// Creates `path` (O_EXCL: an existing file is never overwritten, kAlreadyExists)
// with mode 0600, writes the secret of `key` (lowercase hex, no prefix), and
// fsyncs the file and its directory. A partly written file is removed.
Status WriteKeyFile(const std::string& path, const KeyPair& key);
Status WriteKeyFile(const std::string& path, const Secp256k1Key& key);

// kInsecurePermissions when any group/other permission bit is set; kIo when
// the file cannot be read; kInvalidEncoding when it does not hold a secret
// of the kind (for secp256k1 also when the number is 0 or not below n).
Result<KeyPair> LoadKeyFile(const std::string& path);
Result<Secp256k1Key> LoadSecp256k1KeyFile(const std::string& path);

}  // namespace sonde::signer
