#include "signer/canonical.h"

#include "signer/byte_codec.h"

namespace sonde::signer {
namespace {

Status CheckChainId(std::string_view id, ErrorCode code) {
  if (id.empty() || id.size() > kMaxChainIdSize) {
    return MakeError(code, "chain_id must be 1 to " + std::to_string(kMaxChainIdSize) +
                               " bytes, got " + std::to_string(id.size()));
  }
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) {
      return MakeError(code, "chain_id must be printable ASCII without spaces");
    }
  }
  return Status::Ok();
}

Status CheckSize(std::string_view field, size_t size, size_t min, size_t max, ErrorCode code) {
  if (size < min || size > max) {
    return MakeError(code, std::string(field) + " must be " + std::to_string(min) + " to " +
                               std::to_string(max) + " bytes, got " + std::to_string(size));
  }
  return Status::Ok();
}

bool KnownNodeType(NodeType t) {
  return t == NodeType::kLight || t == NodeType::kFull || t == NodeType::kSuper;
}

// Reads and checks the tag and chain_id that open every layout.
Status ReadHeader(ByteReader& r, std::string_view tag, std::string* chain_id) {
  std::vector<uint8_t> got;
  if (Status s = r.Prefixed(&got, "tag"); !s.ok()) return s;
  if (std::string_view(reinterpret_cast<const char*>(got.data()), got.size()) != tag) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     "not a " + std::string(tag) + " message (wrong tag)");
  }
  std::vector<uint8_t> id;
  if (Status s = r.Prefixed(&id, "chain_id"); !s.ok()) return s;
  chain_id->assign(id.begin(), id.end());
  return CheckChainId(*chain_id, ErrorCode::kInvalidEncoding);
}

}  // namespace

Result<std::vector<uint8_t>> Encode(const Transfer& m) {
  if (Status s = CheckChainId(m.chain_id, ErrorCode::kInvalidArgument); !s.ok()) return s.error();
  if (Status s = CheckSize("memo", m.memo.size(), 0, kMaxMemoSize, ErrorCode::kInvalidArgument);
      !s.ok()) {
    return s.error();
  }
  ByteWriter w;
  w.Prefixed(kTransferTag);
  w.Prefixed(m.chain_id);
  w.Fixed(m.from);
  w.Fixed(m.to);
  w.U64(m.amount);
  w.U64(m.nonce);
  w.Prefixed(m.memo);
  return w.Take();
}

Result<std::vector<uint8_t>> Encode(const ActivationProof& m) {
  if (Status s = CheckChainId(m.chain_id, ErrorCode::kInvalidArgument); !s.ok()) return s.error();
  if (!KnownNodeType(m.node_type)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "node_type must be 1 (light), 2 (full) or 3 (super), got " +
                         std::to_string(static_cast<unsigned>(m.node_type)));
  }
  if (Status s = CheckSize("challenge", m.challenge.size(), 1, kMaxChallengeSize,
                           ErrorCode::kInvalidArgument);
      !s.ok()) {
    return s.error();
  }
  ByteWriter w;
  w.Prefixed(kActivationProofTag);
  w.Prefixed(m.chain_id);
  w.Fixed(m.node);
  w.U8(static_cast<uint8_t>(m.node_type));
  w.Prefixed(m.challenge);
  return w.Take();
}

Result<std::vector<uint8_t>> Encode(const RewardClaim& m) {
  if (Status s = CheckChainId(m.chain_id, ErrorCode::kInvalidArgument); !s.ok()) return s.error();
  ByteWriter w;
  w.Prefixed(kRewardClaimTag);
  w.Prefixed(m.chain_id);
  w.Fixed(m.node);
  w.Fixed(m.beneficiary);
  w.U64(m.amount);
  w.U64(m.nonce);
  return w.Take();
}

Result<Transfer> DecodeTransfer(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  Transfer m;
  Status s = ReadHeader(r, kTransferTag, &m.chain_id);
  if (s.ok()) s = r.Fixed(m.from, "from");
  if (s.ok()) s = r.Fixed(m.to, "to");
  if (s.ok()) s = r.U64(&m.amount, "amount");
  if (s.ok()) s = r.U64(&m.nonce, "nonce");
  if (s.ok()) s = r.Prefixed(&m.memo, "memo");
  if (s.ok()) s = CheckSize("memo", m.memo.size(), 0, kMaxMemoSize, ErrorCode::kInvalidEncoding);
  if (s.ok()) s = r.Finish("transfer");
  if (!s.ok()) return s.error();
  return m;
}

Result<ActivationProof> DecodeActivationProof(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  ActivationProof m;
  Status s = ReadHeader(r, kActivationProofTag, &m.chain_id);
  if (s.ok()) s = r.Fixed(m.node, "node");
  uint8_t node_type = 0;
  if (s.ok()) s = r.U8(&node_type, "node_type");
  if (s.ok()) {
    m.node_type = static_cast<NodeType>(node_type);
    if (!KnownNodeType(m.node_type)) {
      s = MakeError(ErrorCode::kInvalidEncoding,
                    "node_type must be 1 (light), 2 (full) or 3 (super), got " +
                        std::to_string(node_type));
    }
  }
  if (s.ok()) s = r.Prefixed(&m.challenge, "challenge");
  if (s.ok()) {
    s = CheckSize("challenge", m.challenge.size(), 1, kMaxChallengeSize,
                  ErrorCode::kInvalidEncoding);
  }
  if (s.ok()) s = r.Finish("activation proof");
  if (!s.ok()) return s.error();
  return m;
}

Result<RewardClaim> DecodeRewardClaim(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  RewardClaim m;
  Status s = ReadHeader(r, kRewardClaimTag, &m.chain_id);
  if (s.ok()) s = r.Fixed(m.node, "node");
  if (s.ok()) s = r.Fixed(m.beneficiary, "beneficiary");
  if (s.ok()) s = r.U64(&m.amount, "amount");
  if (s.ok()) s = r.U64(&m.nonce, "nonce");
  if (s.ok()) s = r.Finish("reward claim");
  if (!s.ok()) return s.error();
  return m;
}

}  // namespace sonde::signer
