#include "signer/rlp.h"

#include <iterator>
#include <string>

namespace sonde::signer {
namespace {

// The header for a string (offset 0x80) or list (offset 0xc0) of `size`
// bytes: one byte up to 55, else the length of the length and the length.
void AppendHeader(std::vector<uint8_t>* out, uint8_t offset, size_t size) {
  if (size <= 55) {
    out->push_back(static_cast<uint8_t>(offset + size));
    return;
  }
  uint8_t length_bytes[8];
  int n = 0;
  for (uint64_t v = size; v != 0; v >>= 8) length_bytes[n++] = static_cast<uint8_t>(v);
  out->push_back(static_cast<uint8_t>(offset + 55 + n));
  while (n > 0) out->push_back(length_bytes[--n]);
}

}  // namespace

void RlpAppendBytes(std::vector<uint8_t>* out, std::span<const uint8_t> bytes) {
  if (bytes.size() == 1 && bytes[0] < 0x80) {
    out->push_back(bytes[0]);
    return;
  }
  AppendHeader(out, 0x80, bytes.size());
  out->insert(out->end(), bytes.begin(), bytes.end());
}

void RlpAppendUint(std::vector<uint8_t>* out, uint64_t value) {
  uint8_t be[8];
  int n = 0;
  for (uint64_t v = value; v != 0; v >>= 8) be[7 - n++] = static_cast<uint8_t>(v);
  RlpAppendBytes(out, std::span<const uint8_t>(be + 8 - n, static_cast<size_t>(n)));
}

std::vector<uint8_t> MinimalBigEndian(const Int256& value) {
  std::vector<uint8_t> bytes;
  if (value > 0) {
    // Most significant byte first; export_bits writes no leading zeros.
    boost::multiprecision::export_bits(value, std::back_inserter(bytes), 8);
  }
  return bytes;
}

Status RlpAppendInteger(std::vector<uint8_t>* out, const Int256& value, std::string_view what) {
  if (value < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(what) + ": must not be negative (got " + ToDecimal(value) + ")");
  }
  RlpAppendBytes(out, MinimalBigEndian(value));
  return Status::Ok();
}

void RlpAppendList(std::vector<uint8_t>* out, std::span<const uint8_t> payload) {
  AppendHeader(out, 0xc0, payload.size());
  out->insert(out->end(), payload.begin(), payload.end());
}

}  // namespace sonde::signer
