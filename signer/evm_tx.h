// EVM transactions, built and signed the way a wallet does, so a journey can
// send a real transfer with eth_sendRawTransaction:
//   legacy (type 0) with EIP-155 replay protection:
//     signing payload rlp([nonce, gas_price, gas, to, value, data, chain_id, 0, 0])
//     raw             rlp([nonce, gas_price, gas, to, value, data, v, r, s]),
//                     v = recovery_id + 35 + 2 * chain_id
//   EIP-1559 (type 2):
//     signing payload 0x02 || rlp([chain_id, nonce, max_priority_fee_per_gas,
//                     max_fee_per_gas, gas, to, value, data, access_list])
//     raw             0x02 || rlp([... the same nine ..., y_parity, r, s])
// with an empty access list. The signing hash is Keccak-256 of the signing
// payload, the transaction hash Keccak-256 of raw. Amounts are Int256 and
// never pass through a double.
//
// Thread-safety: pure functions over values (a Secp256k1Key may be shared).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/integer.h"
#include "signer/evm_address.h"
#include "signer/result.h"
#include "signer/secp256k1_key.h"

namespace sonde::signer {

struct EvmTx {
  enum class Type { kLegacy, kEip1559 };
  Type type = Type::kEip1559;
  uint64_t chain_id = 0;  // EIP-155 / EIP-1559 chain id; must be positive
  uint64_t nonce = 0;
  uint64_t gas = 0;                     // gas limit
  Int256 gas_price = 0;                 // legacy only (wei per gas)
  Int256 max_priority_fee_per_gas = 0;  // EIP-1559 only
  Int256 max_fee_per_gas = 0;           // EIP-1559 only
  std::optional<EvmAddress> to;         // none: contract creation
  Int256 value = 0;                     // wei
  std::vector<uint8_t> data;
};

struct SignedEvmTx {
  std::vector<uint8_t> raw;      // what eth_sendRawTransaction takes
  std::array<uint8_t, 32> hash;  // Keccak-256(raw): the transaction hash
  EvmAddress from;               // the signer's address
};

// kInvalidArgument naming the field: chain_id zero; an amount the type uses
// that is negative; max_priority_fee_per_gas above max_fee_per_gas. (An
// Int256 cannot reach 2^256, so every non-negative one fits a uint256.)
Status ValidateEvmTx(const EvmTx& tx);

// The bytes whose Keccak-256 is signed, and that hash. Errors: ValidateEvmTx's.
Result<std::vector<uint8_t>> SigningPayload(const EvmTx& tx);
Result<std::array<uint8_t, 32>> SigningHash(const EvmTx& tx);

// The raw transaction for `tx` with a signature made elsewhere (a remote
// signer, or a published vector). Errors: ValidateEvmTx's, and
// kInvalidArgument for a recovery id other than 0 or 1.
Result<std::vector<uint8_t>> EncodeSignedEvmTx(const EvmTx& tx, const RecoverableSignature& sig);

// Validates, signs the signing hash with `key`, and encodes.
Result<SignedEvmTx> SignEvmTx(const EvmTx& tx, const Secp256k1Key& key);

}  // namespace sonde::signer
