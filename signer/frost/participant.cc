#include "signer/frost/participant.h"

#include <sodium.h>

#include <string>

#include "signer/frost/binding.h"
#include "signer/frost/hash.h"
#include "signer/frost/polynomial.h"
#include "signer/sodium_init.h"

namespace sonde::signer::frost {
namespace {

// nonce_generate: H3(random_bytes || SerializeScalar(secret)). Mixing in the
// secret share keeps nonces safe even if the randomness source is weak.
Scalar NonceGenerate(std::span<const uint8_t, 32> randomness, const SecretScalar& secret) {
  return H3({randomness, secret.bytes()});
}

}  // namespace

SigningNonces Commit(const KeyPackage& key) {
  EnsureSodium();
  SecureBytes randomness(64);
  randombytes_buf(randomness.data(), randomness.size());
  return CommitWithRandomness(key, std::span<const uint8_t, 32>(randomness.data(), 32),
                              std::span<const uint8_t, 32>(randomness.data() + 32, 32));
}

SigningNonces CommitWithRandomness(const KeyPackage& key,
                                   std::span<const uint8_t, 32> hiding_randomness,
                                   std::span<const uint8_t, 32> binding_randomness) {
  const Scalar hiding = NonceGenerate(hiding_randomness, key.signing_share);
  const Scalar binding = NonceGenerate(binding_randomness, key.signing_share);
  return SigningNonces{
      .hiding = SecretScalar(hiding),
      .binding = SecretScalar(binding),
      .commitment = {.identifier = key.identifier,
                     .hiding = Point::BaseMul(hiding),
                     .binding = Point::BaseMul(binding)},
  };
}

Result<SignatureShare> Sign(const KeyPackage& key, SigningNonces nonces,
                            const SigningPackage& package) {
  const std::string who = "participant " + std::to_string(key.identifier);
  if (package.commitments.size() < key.min_signers) {
    Error e = MakeError(ErrorCode::kTooFewParticipants,
                        who + " refuses to sign: " + std::to_string(package.commitments.size()) +
                            " commitments, the threshold is " + std::to_string(key.min_signers));
    e.participants = package.commitments.Participants();
    return e;
  }
  const SigningCommitment* mine = package.commitments.Find(key.identifier);
  if (mine == nullptr || nonces.commitment.identifier != key.identifier ||
      !(*mine == nonces.commitment)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     who +
                         " refuses to sign: the commitment list does not carry its round-1 "
                         "commitment for these nonces");
  }

  const RoundValues round = ComputeRoundValues(key.group_public_key, package);
  const std::vector<Identifier> participants = package.commitments.Participants();
  Result<Scalar> lambda = DeriveInterpolatingValue(participants, key.identifier);
  if (!lambda.ok()) return lambda.error();

  // sig_share = hiding + binding * rho + lambda * sk * c
  const Scalar share = nonces.hiding.Expose() +
                       nonces.binding.Expose() * *round.BindingFactorOf(key.identifier) +
                       lambda.value() * key.signing_share.Expose() * round.challenge;
  return SignatureShare{.identifier = key.identifier, .share = share};
}

}  // namespace sonde::signer::frost
