#include "scenarios/key_ring.h"

#include "signer/encoding.h"
#include "signer/key_file.h"

namespace sonde {

std::shared_ptr<const KeyRing> KeyRing::Load(const Config& config,
                                             std::vector<Diagnostic>* errors) {
  auto ring = std::make_shared<KeyRing>();
  bool ok = true;
  for (const auto& [name, spec] : config.keys) {
    if (spec.ephemeral) continue;
    signer::Result<signer::KeyPair> key = signer::LoadKeyFile(spec.file);
    if (!key.ok()) {
      ok = false;
      if (errors) {
        errors->push_back({config.source, spec.file_where.line, spec.file_where.column,
                           "keys." + name + ": " + key.error().message});
      }
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

RunKeys::RunKeys(const KeyRing* ring, const std::vector<std::string>& ephemeral) : ring_(ring) {
  for (const std::string& name : ephemeral) ephemeral_.emplace(name, signer::KeyPair::Generate());
}

const signer::KeyPair* RunKeys::Find(std::string_view name) const {
  auto it = ephemeral_.find(name);
  if (it != ephemeral_.end()) return &it->second;
  return ring_ ? ring_->Find(name) : nullptr;
}

std::vector<std::pair<std::string, std::string>> RunKeys::PublicKeyVariables() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& name, const signer::KeyPair& key) {
    out.emplace_back("keys." + name + ".public", signer::ToHex(key.public_key()));
  };
  if (ring_) {
    for (const auto& [name, key] : ring_->keys()) add(name, key);
  }
  for (const auto& [name, key] : ephemeral_) add(name, key);
  return out;
}

}  // namespace sonde
