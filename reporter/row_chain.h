// The result store's hash chain. Each row's hash is BLAKE2b-256 (libsodium's
// generic hash) over a domain tag, the table's name, the previous row's hash
// and the row's canonical encoding; the first row of a table chains from 32
// zero bytes (or, after pruning, from the hash a signed checkpoint kept).
// Changing any column of any row, deleting a row, or reordering rows breaks
// the chain at that row.
//
// Canonical encoding: fields in the table's column order, each a type byte
// ('i' int64 little-endian, 's' u32 little-endian length + UTF-8 bytes,
// 'b' u32 length + bytes, 'n' null), so no two rows encode alike. Columns
// that later migrations added follow as name and value, and only when they
// hold something (store_schema.h), so older rows keep their hashes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde {

inline constexpr size_t kChainHashSize = 32;
using ChainHash = std::array<uint8_t, kChainHashSize>;

class RowEncoding {
 public:
  RowEncoding& Int(int64_t v);
  RowEncoding& Text(std::string_view s);
  RowEncoding& Bytes(const std::vector<uint8_t>& b);
  RowEncoding& OptionalInt(std::optional<int64_t> v);
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  void Length(size_t n);
  std::vector<uint8_t> bytes_;
};

ChainHash ChainNext(std::string_view table, const ChainHash& previous, const RowEncoding& row);

std::vector<uint8_t> ToBytes(const ChainHash& h);
// nullopt unless `b` is exactly kChainHashSize bytes.
std::optional<ChainHash> HashFromBytes(const std::vector<uint8_t>& b);

}  // namespace sonde
