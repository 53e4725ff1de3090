#include "signer/evm_tx.h"

#include <string>

#include "signer/keccak.h"
#include "signer/rlp.h"

namespace sonde::signer {
namespace {

constexpr uint8_t kEip1559TypeByte = 0x02;

Error Invalid(const std::string& message) {
  return MakeError(ErrorCode::kInvalidArgument, "EVM transaction: " + message);
}

Status NotNegative(const Int256& value, const char* field) {
  if (value < 0) return Invalid(std::string(field) + " must not be negative");
  return Status::Ok();
}

// Appends an Int256 that ValidateEvmTx has already checked.
void AppendChecked(std::vector<uint8_t>* out, const Int256& value) {
  RlpAppendBytes(out, MinimalBigEndian(value));
}

// The list items every form shares, in each type's order, up to and
// including data (and, for EIP-1559, the empty access list).
std::vector<uint8_t> Fields(const EvmTx& tx) {
  std::vector<uint8_t> items;
  const std::span<const uint8_t> to =
      tx.to ? std::span<const uint8_t>(*tx.to) : std::span<const uint8_t>();
  if (tx.type == EvmTx::Type::kLegacy) {
    RlpAppendUint(&items, tx.nonce);
    AppendChecked(&items, tx.gas_price);
    RlpAppendUint(&items, tx.gas);
    RlpAppendBytes(&items, to);
    AppendChecked(&items, tx.value);
    RlpAppendBytes(&items, tx.data);
  } else {
    RlpAppendUint(&items, tx.chain_id);
    RlpAppendUint(&items, tx.nonce);
    AppendChecked(&items, tx.max_priority_fee_per_gas);
    AppendChecked(&items, tx.max_fee_per_gas);
    RlpAppendUint(&items, tx.gas);
    RlpAppendBytes(&items, to);
    AppendChecked(&items, tx.value);
    RlpAppendBytes(&items, tx.data);
    RlpAppendList(&items, {});  // access list
  }
  return items;
}

// An r or s as RLP wants it: an integer, so without leading zero bytes.
void AppendScalar(std::vector<uint8_t>* out, const std::array<uint8_t, 32>& scalar) {
  size_t skip = 0;
  while (skip < scalar.size() && scalar[skip] == 0) ++skip;
  RlpAppendBytes(out, std::span<const uint8_t>(scalar).subspan(skip));
}

std::vector<uint8_t> Wrap(const EvmTx& tx, const std::vector<uint8_t>& items) {
  std::vector<uint8_t> out;
  if (tx.type == EvmTx::Type::kEip1559) out.push_back(kEip1559TypeByte);
  RlpAppendList(&out, items);
  return out;
}

}  // namespace

Status ValidateEvmTx(const EvmTx& tx) {
  if (tx.chain_id == 0) return Invalid("chain_id must be positive");
  Status s = NotNegative(tx.value, "value");
  if (!s.ok()) return s;
  if (tx.type == EvmTx::Type::kLegacy) return NotNegative(tx.gas_price, "gas_price");
  if (!(s = NotNegative(tx.max_priority_fee_per_gas, "max_priority_fee_per_gas")).ok()) return s;
  if (!(s = NotNegative(tx.max_fee_per_gas, "max_fee_per_gas")).ok()) return s;
  if (tx.max_priority_fee_per_gas > tx.max_fee_per_gas) {
    return Invalid("max_priority_fee_per_gas (" + ToDecimal(tx.max_priority_fee_per_gas) +
                   ") must not exceed max_fee_per_gas (" + ToDecimal(tx.max_fee_per_gas) + ")");
  }
  return Status::Ok();
}

Result<std::vector<uint8_t>> SigningPayload(const EvmTx& tx) {
  Status valid = ValidateEvmTx(tx);
  if (!valid.ok()) return valid.error();
  std::vector<uint8_t> items = Fields(tx);
  if (tx.type == EvmTx::Type::kLegacy) {  // EIP-155: chain_id, 0, 0
    RlpAppendUint(&items, tx.chain_id);
    RlpAppendUint(&items, 0);
    RlpAppendUint(&items, 0);
  }
  return Wrap(tx, items);
}

Result<std::array<uint8_t, 32>> SigningHash(const EvmTx& tx) {
  auto payload = SigningPayload(tx);
  if (!payload.ok()) return payload.error();
  return Keccak256(payload.value());
}

Result<std::vector<uint8_t>> EncodeSignedEvmTx(const EvmTx& tx, const RecoverableSignature& sig) {
  Status valid = ValidateEvmTx(tx);
  if (!valid.ok()) return valid.error();
  if (sig.recovery_id > 1) {
    return Invalid("recovery id " + std::to_string(sig.recovery_id) + " is not 0 or 1");
  }
  std::vector<uint8_t> items = Fields(tx);
  if (tx.type == EvmTx::Type::kLegacy) {
    // v = recovery_id + 35 + 2 * chain_id, past 64 bits for a large chain id.
    AppendChecked(&items, Int256(sig.recovery_id) + 35 + Int256(tx.chain_id) * 2);
  } else {
    RlpAppendUint(&items, sig.recovery_id);  // y_parity
  }
  AppendScalar(&items, sig.r);
  AppendScalar(&items, sig.s);
  return Wrap(tx, items);
}

Result<SignedEvmTx> SignEvmTx(const EvmTx& tx, const Secp256k1Key& key) {
  auto hash = SigningHash(tx);
  if (!hash.ok()) return hash.error();
  auto raw = EncodeSignedEvmTx(tx, key.SignDigest(hash.value()));
  if (!raw.ok()) return raw.error();
  SignedEvmTx signed_tx;
  signed_tx.hash = Keccak256(raw.value());
  signed_tx.raw = std::move(raw).value();
  signed_tx.from = key.address();
  return signed_tx;
}

}  // namespace sonde::signer
