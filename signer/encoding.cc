#include "signer/encoding.h"

#include <sodium.h>

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
  std::vector<uint8_t> out(text.size() / 4 * 3 + 3);
  size_t written = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, std::string(what) + ": not valid base64");
  }
  out.resize(written);
  return out;
}

}  // namespace sonde::signer
