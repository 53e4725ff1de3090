// The keys sign steps use: the [keys.*] files, loaded once at start (and at
// reload) into secure memory, plus a fresh key per run for each ephemeral
// key a journey uses. Ed25519 keys sign canonical messages and payloads;
// secp256k1 keys sign EVM transactions. No secret ever leaves this class
// but as a signature; errors name the file and what is wrong with it, never
// bytes.
//
// Thread-safety: a KeyRing is immutable after Load; RunKeys belongs to one run.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.h"
#include "config/model.h"
#include "signer/ed25519.h"
#include "signer/secp256k1_key.h"

namespace sonde {

class KeyRing {
 public:
  // Loads every file key of `config`, each as its declared type. On
  // failure, one diagnostic per bad key, at its `file` value (FILE:LINE:COL).
  static std::shared_ptr<const KeyRing> Load(const Config& config, std::vector<Diagnostic>* errors);

  const signer::KeyPair* Find(std::string_view name) const;
  const signer::Secp256k1Key* FindSecp256k1(std::string_view name) const;
  const std::map<std::string, signer::KeyPair, std::less<>>& keys() const { return keys_; }
  const std::map<std::string, signer::Secp256k1Key, std::less<>>& secp256k1_keys() const {
    return secp256k1_keys_;
  }

 private:
  std::map<std::string, signer::KeyPair, std::less<>> keys_;
  std::map<std::string, signer::Secp256k1Key, std::less<>> secp256k1_keys_;
};

// The keys of one run: the ring's, and fresh Ed25519 ones for the
// journey's ephemeral keys (the loader allows no ephemeral secp256k1 key: an
// EVM account needs funds before it can do anything).
class RunKeys {
 public:
  RunKeys(const KeyRing* ring, const std::vector<std::string>& ephemeral);
  const signer::KeyPair* Find(std::string_view name) const;
  const signer::Secp256k1Key* FindSecp256k1(std::string_view name) const;
  // ("keys.NAME.public", hex) for every key of the run, and
  // ("keys.NAME.address", EIP-55) for every secp256k1 key.
  std::vector<std::pair<std::string, std::string>> PublicKeyVariables() const;

 private:
  const KeyRing* ring_;
  std::map<std::string, signer::KeyPair, std::less<>> ephemeral_;
};

}  // namespace sonde
