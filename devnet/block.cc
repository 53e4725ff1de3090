#include "devnet/block.h"

#include <boost/json/array.hpp>

#include "devnet/json_fields.h"
#include "signer/byte_codec.h"
#include "signer/encoding.h"

namespace sonde::devnet {

namespace json = boost::json;

Hash ComputeBlockHash(const Block& b) {
  signer::ByteWriter w;
  w.U64(b.height);
  w.Fixed(b.prev_hash);
  w.U64(b.time_ms);
  for (const Tx& tx : b.txs) w.Fixed(tx.hash);
  return HashBytes(w.Take());
}

Block MakeBlock(uint64_t height, const Hash& prev_hash, uint64_t time_ms, std::vector<Tx> txs) {
  Block b;
  b.height = height;
  b.prev_hash = prev_hash;
  b.time_ms = time_ms;
  b.txs = std::move(txs);
  b.hash = ComputeBlockHash(b);
  return b;
}

Hash GenesisHash(std::string_view chain_id, const std::map<signer::PublicKey, uint64_t>& balances) {
  signer::ByteWriter w;
  w.Prefixed(std::string_view("sonde.devnet.genesis.v1"));
  w.Prefixed(chain_id);
  for (const auto& [key, amount] : balances) {  // std::map: sorted, so one order
    w.Fixed(key);
    w.U64(amount);
  }
  return HashBytes(w.Take());
}

json::object BlockToJson(const Block& b) {
  json::array txs;
  txs.reserve(b.txs.size());
  for (const Tx& tx : b.txs) txs.push_back(TxToJson(tx));
  return json::object{{"height", b.height},
                      {"prev_hash", HashHex(b.prev_hash)},
                      {"time_ms", b.time_ms},
                      {"txs", std::move(txs)},
                      {"hash", HashHex(b.hash)}};
}

Result<Block> BlockFromJson(const json::value& v, std::string_view chain_id) {
  if (!v.is_object()) return Fail("block: must be an object");
  const json::object& o = v.get_object();
  JsonFields f(o);
  if (Status s = f.OnlyKeys({"height", "prev_hash", "time_ms", "txs", "hash"}); !s.ok()) {
    return Fail("block: " + s.error());
  }
  auto height = f.U64("height");
  auto time_ms = f.U64("time_ms");
  auto prev = f.String("prev_hash");
  auto hash = f.String("hash");
  if (!height.ok()) return Fail("block: " + height.error());
  if (!time_ms.ok()) return Fail("block: " + time_ms.error());
  if (!prev.ok()) return Fail("block: " + prev.error());
  if (!hash.ok()) return Fail("block: " + hash.error());
  auto prev_hash = ParseHash(prev.value());
  if (!prev_hash.ok()) return Fail("block: /prev_hash: " + prev_hash.error());
  const json::value* txs = o.if_contains("txs");
  if (txs == nullptr || !txs->is_array()) return Fail("block: /txs: must be an array");
  std::vector<Tx> parsed;
  parsed.reserve(txs->get_array().size());
  for (const json::value& t : txs->get_array()) {
    if (!t.is_object()) return Fail("block: /txs: every entry must be an object");
    auto tx = TxFromJson(t.get_object(), chain_id, std::nullopt);
    if (!tx.ok()) return Fail("block " + std::to_string(height.value()) + ": tx: " + tx.error());
    parsed.push_back(std::move(tx.value()));
  }
  Block b = MakeBlock(height.value(), prev_hash.value(), time_ms.value(), std::move(parsed));
  if (HashHex(b.hash) != hash.value()) {
    return Fail("block " + std::to_string(b.height) + ": /hash: does not match its contents");
  }
  return b;
}

}  // namespace sonde::devnet
