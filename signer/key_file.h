// Ed25519 key files: the 32-byte seed as 64 lowercase hex digits and a
// newline, in a file only its owner may access (mode 0600 or stricter).
// Loading a file that group or others can read or write is refused, as ssh
// does, because the key may already have leaked. Errors name the file and
// its mode, never the content. Thread-safe: no shared state.
#pragma once

#include <string>

#include "signer/ed25519.h"
#include "signer/result.h"

namespace sonde::signer {

// Creates `path` (O_EXCL: an existing file is never overwritten, kAlreadyExists)
// with mode 0600, writes the seed of `key`, and fsyncs the file and its
// directory. A partly written file is removed.
Status WriteKeyFile(const std::string& path, const KeyPair& key);

// kInsecurePermissions when any group/other permission bit is set; kIo when
// the file cannot be read; kInvalidEncoding when it does not hold a seed.
Result<KeyPair> LoadKeyFile(const std::string& path);

}  // namespace sonde::signer
