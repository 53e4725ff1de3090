// Strict reading of JSON request bodies: each accessor names the field in
// its error ("/amount: must be an integer from 0 to 2^64-1"), unknown keys
// are refused, and nothing here throws, so a malformed request becomes a 400
// rather than a crash. Thread-safety: one reader per request.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devnet/result.h"
#include "signer/ed25519.h"

namespace sonde::devnet {

// Parses `text` as one JSON object (nothing else is accepted).
Result<boost::json::object> ParseObject(std::string_view text);

class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& o) : o_(o) {}

  Status OnlyKeys(std::initializer_list<std::string_view> keys) const;
  bool Has(std::string_view key) const { return o_.contains(key); }

  Result<std::string> String(std::string_view key) const;
  Result<uint64_t> U64(std::string_view key) const;
  Result<bool> Bool(std::string_view key) const;
  // Hex of any length (within max_bytes).
  Result<std::vector<uint8_t>> Hex(std::string_view key, size_t max_bytes) const;
  Result<signer::PublicKey> Key(std::string_view key) const;
  Result<signer::Signature> Sig(std::string_view key) const;

 private:
  Result<const boost::json::value*> Get(std::string_view key) const;
  const boost::json::object& o_;
};

}  // namespace sonde::devnet
