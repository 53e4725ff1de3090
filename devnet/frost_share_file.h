// A devnet node's FROST key material on disk: its KeyPackage from the
// trusted dealer plus the group's public data (every verifying share), as
// one JSON object in a file only its owner may access (0600, never
// overwritten; a file group or others can access is refused, as with key
// files). signer/ has no file format for shares, so the devnet defines its
// own here; the layout is in API.md. Thread-safety: pure functions.
#pragma once

#include <string>

#include "devnet/result.h"
#include "signer/frost/types.h"

namespace sonde::devnet {

struct FrostShare {
  signer::frost::KeyPackage key;
  signer::frost::PublicKeyPackage group;
};

// Creates `path` with O_EXCL and mode 0600 and fsyncs it.
Status WriteFrostShareFile(const std::string& path, const signer::frost::KeyPackage& key,
                           const signer::frost::PublicKeyPackage& group);

// Checks the mode, the JSON, every point and scalar, and that the signing
// share matches this participant's verifying share.
Result<FrostShare> LoadFrostShareFile(const std::string& path);

}  // namespace sonde::devnet
