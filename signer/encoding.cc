#include "signer/encoding.h"

#include <sodium.h>

#include <array>

#include "signer/sodium_init.h"

namespace sonde::signer {

std::string ToHex(std::span<const uint8_t> bytes) {
  EnsureSodium();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();  // the terminating NUL
  return out;
}

Status FromHexInto(std::string_view hex, std::span<uint8_t> out, std::string_view what) {
  EnsureSodium();
  if (hex.size() != out.size() * 2) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     std::string(what) + ": expected " + std::to_string(out.size() * 2) +
                         " hex digits, got " + std::to_string(hex.size()) + " characters");
  }
  if (out.empty()) return Status::Ok();  // libsodium wants non-null buffers
  size_t written = 0;
  // hex_end == nullptr makes libsodium reject anything it did not consume.
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, nullptr) !=
          0 ||
      written != out.size()) {
    sodium_memzero(out.data(), out.size());
    return MakeError(ErrorCode::kInvalidEncoding, std::string(what) + ": not valid hex");
  }
  return Status::Ok();
}

Result<std::vector<uint8_t>> FromHex(std::string_view hex, std::string_view what) {
  if (hex.size() % 2 != 0) {
    return MakeError(
        ErrorCode::kInvalidEncoding,
        std::string(what) + ": odd number of hex digits (" + std::to_string(hex.size()) + ")");
  }
  std::vector<uint8_t> out(hex.size() / 2);
  Status s = FromHexInto(hex, out, what);
  if (!s.ok()) return s.error();
  return out;
}

std::string ToBase64(std::span<const uint8_t> bytes) {
  EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.pop_back();
  return out;
}

Result<std::vector<uint8_t>> FromBase64(std::string_view text, std::string_view what) {
  EnsureSodium();
  // libsodium 1.0.18 decodes every byte from 0x80 up as if it were '/':
  // refuse them first, looking at every byte alike (the text may be secret).
  unsigned char high_bits = 0;
  for (char c : text) high_bits |= static_cast<unsigned char>(c) & 0x80;
  if (high_bits != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, std::string(what) + ": not valid base64");
  }
  std::vector<uint8_t> out(text.size() / 4 * 3 + 3);
  size_t written = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, std::string(what) + ": not valid base64");
  }
  out.resize(written);
  return out;
}

// Base58 is hand-written: libsodium has no base58, and Debian's libbase58
// would be a new package for about thirty lines of schoolbook base
// conversion (quadratic, which is fine for keys and addresses).
namespace {
constexpr char kBase58Alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
}  // namespace

std::string ToBase58(std::span<const uint8_t> bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // Base-58 digits, least significant first; the number is bytes[zeros..].
  std::vector<uint8_t> digits;
  for (size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = bytes[i];
    for (uint8_t& d : digits) {
      carry += static_cast<unsigned>(d) << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    for (; carry != 0; carry /= 58) digits.push_back(static_cast<uint8_t>(carry % 58));
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += kBase58Alphabet[*it];
  return out;
}

Result<std::vector<uint8_t>> FromBase58(std::string_view text, std::string_view what) {
  std::array<int8_t, 128> value;
  value.fill(-1);
  for (int i = 0; i < 58; ++i)
    value[static_cast<uint8_t>(kBase58Alphabet[i])] = static_cast<int8_t>(i);
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // Bytes, least significant first; the number is text[ones..].
  std::vector<uint8_t> bytes;
  for (size_t i = ones; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= value.size() || value[c] < 0) {
      return MakeError(ErrorCode::kInvalidEncoding,
                       std::string(what) + ": not valid base58 (character " +
                           std::to_string(i + 1) + " is outside its alphabet)");
    }
    unsigned carry = static_cast<unsigned>(value[c]);
    for (uint8_t& b : bytes) {
      carry += b * 58u;
      b = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    for (; carry != 0; carry >>= 8) bytes.push_back(static_cast<uint8_t>(carry & 0xff));
  }
  std::vector<uint8_t> out(ones, 0);
  out.insert(out.end(), bytes.rbegin(), bytes.rend());
  return out;
}

}  // namespace sonde::signer
