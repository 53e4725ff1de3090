#include "signer/frost/binding.h"

namespace sonde::signer::frost {

std::vector<BindingFactor> ComputeBindingFactors(const Point& group_public_key,
                                                 const CommitmentList& commitments, Bytes message) {
  const Digest msg_hash = H4({message});
  const std::vector<uint8_t> encoded = commitments.Encode();
  const Digest commitment_hash = H5({encoded});

  std::vector<uint8_t> prefix;
  prefix.reserve(kElementSize + 2 * msg_hash.size() + kScalarSize);
  prefix.insert(prefix.end(), group_public_key.bytes().begin(), group_public_key.bytes().end());
  prefix.insert(prefix.end(), msg_hash.begin(), msg_hash.end());
  prefix.insert(prefix.end(), commitment_hash.begin(), commitment_hash.end());

  std::vector<BindingFactor> out;
  out.reserve(commitments.size());
  for (const SigningCommitment& c : commitments.commitments()) {
    BindingFactor bf;
    bf.identifier = c.identifier;
    bf.input = prefix;
    const Scalar id = IdentifierScalar(c.identifier);
    bf.input.insert(bf.input.end(), id.bytes().begin(), id.bytes().end());
    bf.factor = H1({bf.input});
    out.push_back(std::move(bf));
  }
  return out;
}

Point ComputeGroupCommitment(const CommitmentList& commitments,
                             const std::vector<BindingFactor>& binding_factors) {
  Point sum;
  const auto& list = commitments.commitments();
  for (size_t i = 0; i < list.size(); ++i) {
    sum = sum + list[i].hiding + list[i].binding * binding_factors[i].factor;
  }
  return sum;
}

Scalar ComputeChallenge(const Point& group_commitment, const Point& group_public_key,
                        Bytes message) {
  return H2({group_commitment.bytes(), group_public_key.bytes(), message});
}

const Scalar* RoundValues::BindingFactorOf(Identifier id) const {
  for (const BindingFactor& bf : binding_factors) {
    if (bf.identifier == id) return &bf.factor;
  }
  return nullptr;
}

RoundValues ComputeRoundValues(const Point& group_public_key, const SigningPackage& package) {
  RoundValues v;
  v.binding_factors = ComputeBindingFactors(group_public_key, package.commitments, package.message);
  v.group_commitment = ComputeGroupCommitment(package.commitments, v.binding_factors);
  v.challenge = ComputeChallenge(v.group_commitment, group_public_key, package.message);
  return v;
}

}  // namespace sonde::signer::frost
