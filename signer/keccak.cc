#include "signer/keccak.h"

#include <cryptopp/keccak.h>

namespace sonde::signer {

Keccak256Digest Keccak256(std::span<const uint8_t> data) {
  CryptoPP::Keccak_256 hash;
  static_assert(CryptoPP::Keccak_256::DIGESTSIZE == kKeccak256Size);
  hash.Update(data.data(), data.size());
  Keccak256Digest digest;
  hash.Final(digest.data());
  return digest;
}

Keccak256Digest Keccak256(std::string_view text) {
  return Keccak256(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace sonde::signer
