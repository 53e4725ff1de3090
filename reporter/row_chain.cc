#include "reporter/row_chain.h"

#include <sodium.h>

#include <algorithm>

#include "signer/sodium_init.h"

namespace sonde {

namespace {
constexpr std::string_view kDomain = "sonde.store.chain.v1";
}

RowEncoding& RowEncoding::Int(int64_t v) {
  bytes_.push_back('i');
  auto u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(u >> (8 * i)));
  return *this;
}

void RowEncoding::Length(size_t n) {
  const auto u = static_cast<uint32_t>(n);
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(u >> (8 * i)));
}

RowEncoding& RowEncoding::Text(std::string_view s) {
  bytes_.push_back('s');
  Length(s.size());
  bytes_.insert(bytes_.end(), s.begin(), s.end());
  return *this;
}

RowEncoding& RowEncoding::Bytes(const std::vector<uint8_t>& b) {
  bytes_.push_back('b');
  Length(b.size());
  bytes_.insert(bytes_.end(), b.begin(), b.end());
  return *this;
}

RowEncoding& RowEncoding::OptionalInt(std::optional<int64_t> v) {
  if (v) return Int(*v);
  bytes_.push_back('n');
  return *this;
}

ChainHash ChainNext(std::string_view table, const ChainHash& previous, const RowEncoding& row) {
  signer::EnsureSodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kChainHashSize);
  // Length-prefixed, like the row's fields, so that table names cannot run
  // into the bytes after them.
  RowEncoding head;
  head.Text(kDomain).Text(table);
  crypto_generichash_update(&state, head.bytes().data(), head.bytes().size());
  crypto_generichash_update(&state, previous.data(), previous.size());
  crypto_generichash_update(&state, row.bytes().data(), row.bytes().size());
  ChainHash out;
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

std::vector<uint8_t> ToBytes(const ChainHash& h) { return {h.begin(), h.end()}; }

std::optional<ChainHash> HashFromBytes(const std::vector<uint8_t>& b) {
  if (b.size() != kChainHashSize) return std::nullopt;
  ChainHash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

}  // namespace sonde
