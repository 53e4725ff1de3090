// The hash functions of FROST(Ed25519, SHA-512), RFC 9591 section 6.1.
// Each takes its input as pieces that are hashed as if concatenated, so
// callers need not build buffers. Thread-safe: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "signer/frost/scalar_point.h"

namespace sonde::signer::frost {

inline constexpr std::string_view kContextString = "FROST-ED25519-SHA512-v1";

using Bytes = std::span<const uint8_t>;
using Digest = std::array<uint8_t, 64>;

// SHA-512(contextString || "rho" || m) mod L: binding factors.
Scalar H1(std::initializer_list<Bytes> m);
// SHA-512(m) mod L, with no context string, so the challenge is Ed25519's
// and the aggregate verifies as a plain Ed25519 signature.
Scalar H2(std::initializer_list<Bytes> m);
// SHA-512(contextString || "nonce" || m) mod L: nonce generation.
Scalar H3(std::initializer_list<Bytes> m);
// SHA-512(contextString || "msg" || m): the message digest in binding factors.
Digest H4(std::initializer_list<Bytes> m);
// SHA-512(contextString || "com" || m): the commitment-list digest.
Digest H5(std::initializer_list<Bytes> m);

}  // namespace sonde::signer::frost
