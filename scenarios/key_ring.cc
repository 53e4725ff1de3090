#include "scenarios/key_ring.h"

#include "signer/encoding.h"
#include "signer/evm_address.h"
#include "signer/key_file.h"

namespace sonde {

std::shared_ptr<const KeyRing> KeyRing::Load(const Config& config,
                                             std::vector<Diagnostic>* errors) {
  auto ring = std::make_shared<KeyRing>();
  bool ok = true;
  auto failed = [&](const std::string& name, const KeySpec& spec, const std::string& message) {
    ok = false;
    if (errors) {
      errors->push_back({config.source, spec.file_where.line, spec.file_where.column,
                         "keys." + name + ": " + message});
    }
  };
  for (const auto& [name, spec] : config.keys) {
    if (spec.ephemeral) continue;
    if (spec.type == KeySpec::Type::kSecp256k1) {
      signer::Result<signer::Secp256k1Key> key = signer::LoadSecp256k1KeyFile(spec.file);
      if (!key.ok()) {
        failed(name, spec, key.error().message);
        continue;
      }
      ring->secp256k1_keys_.emplace(name, std::move(key).value());
      continue;
    }
    signer::Result<signer::KeyPair> key = signer::LoadKeyFile(spec.file);
    if (!key.ok()) {
      failed(name, spec, key.error().message);
      continue;
    }
    ring->keys_.emplace(name, std::move(key).value());
  }
  return ok ? ring : nullptr;
}

const signer::KeyPair* KeyRing::Find(std::string_view name) const {
  auto it = keys_.find(name);
  return it == keys_.end() ? nullptr : &it->second;
}

const signer::Secp256k1Key* KeyRing::FindSecp256k1(std::string_view name) const {
  auto it = secp256k1_keys_.find(name);
  return it == secp256k1_keys_.end() ? nullptr : &it->second;
}

RunKeys::RunKeys(const KeyRing* ring, const std::vector<std::string>& ephemeral) : ring_(ring) {
  for (const std::string& name : ephemeral) ephemeral_.emplace(name, signer::KeyPair::Generate());
}

const signer::KeyPair* RunKeys::Find(std::string_view name) const {
  auto it = ephemeral_.find(name);
  if (it != ephemeral_.end()) return &it->second;
  return ring_ ? ring_->Find(name) : nullptr;
}

const signer::Secp256k1Key* RunKeys::FindSecp256k1(std::string_view name) const {
  return ring_ ? ring_->FindSecp256k1(name) : nullptr;
}

std::vector<std::pair<std::string, std::string>> RunKeys::PublicKeyVariables() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& name, const signer::KeyPair& key) {
    out.emplace_back("keys." + name + ".public", signer::ToHex(key.public_key()));
  };
  auto add_evm = [&](const std::string& name, const signer::Secp256k1Key& key) {
    out.emplace_back("keys." + name + ".public", signer::ToHex(key.public_key()));
    out.emplace_back("keys." + name + ".address", signer::ToChecksumAddress(key.address()));
  };
  if (ring_) {
    for (const auto& [name, key] : ring_->keys()) add(name, key);
    for (const auto& [name, key] : ring_->secp256k1_keys()) add_evm(name, key);
  }
  for (const auto& [name, key] : ephemeral_) add(name, key);
  return out;
}

}  // namespace sonde
